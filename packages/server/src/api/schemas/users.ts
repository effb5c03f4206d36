import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../auth/passwords.js';
import { MAX_NAME_LENGTH, USER_ROLES } from '../../domain/index.js';
import { tooLong } from './common.js';

export const Role = z
  .enum(USER_ROLES)
  .describe(
    'admin: everything; editor: read, send data, acknowledge and silence alerts, edit monitors; viewer: read only.',
  );

export const Username = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9._@-]*$/, 'use letters, digits, ".", "_", "@" and "-", starting with a letter')
  .describe('Sign-in name; stored in lower case, and sign-in ignores case.');

export const Password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `at most ${MAX_PASSWORD_LENGTH} characters`)
  .describe(`${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters. Never returned or logged.`);

export const User = z
  .object({
    id: z.number().int(),
    username: z.string(),
    role: Role,
    disabled: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
    last_sign_in_at: z.string().nullable(),
    created_by: z.string().describe('`user:<name>`, `api-key:<id>`, `first-start` or `vigil users`.'),
  })
  .meta({ id: 'User' });

export const UserList = z.object({ data: z.array(User) });

export const CreateUserBody = z
  .object({ username: Username, password: Password, role: Role })
  .strict()
  .meta({ id: 'CreateUser' });

export const UpdateUserBody = z
  .object({
    role: Role.optional(),
    password: Password.optional(),
    disabled: z.boolean().optional().describe('A disabled user cannot sign in; their sessions end at once.'),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'give at least one of role, password, disabled')
  .meta({ id: 'UpdateUser' });

export const UserParams = z.object({
  id: z
    .string()
    .min(1)
    .max(MAX_NAME_LENGTH, tooLong)
    .describe('The numeric id of the user, or their user name.'),
});

export const SignInBody = z
  .object({
    username: z.string().min(1).max(256),
    password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  })
  .strict();

export const SessionBody = z
  .object({
    user: z.object({ id: z.number().int(), username: z.string(), role: Role }),
    csrfToken: z
      .string()
      .describe(
        'Send it as `X-CSRF-Token` with every POST, PUT, PATCH and DELETE made with the session cookie.',
      ),
    expiresAt: z
      .string()
      .describe(
        'When the session ends unless used again (each use moves it forward, up to its maximum age).',
      ),
  })
  .meta({ id: 'Session' });

export const ChangeOwnPasswordBody = z
  .object({
    current_password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
    new_password: Password,
  })
  .strict();
