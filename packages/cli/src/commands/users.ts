/**
 * `vigil users`: the people who sign in to the dashboard. `list`, `create`, `set-role`,
 * `set-password`, `disable`, `enable` and `delete` go through a running server's API (an admin
 * key); `reset-password --data-dir` works on a stopped server's data folder, the way back in
 * when every admin password is lost.
 */
import type { User, UserRole } from '@vigil/sdk';
import { USER_ROLES } from '@vigil/server/domain';
import { Argument, type Command, Option } from 'commander';
import { CliError, type CliIo } from '../io.js';
import { connect, inheritIo, request, type ServerFlags, serverOptions, table } from '../server-api.js';

interface PasswordFlags {
  passwordStdin?: boolean;
}

/** The password from standard input (first line, without its line end), when asked for. */
async function passwordFrom(flags: PasswordFlags, io: CliIo): Promise<string | undefined> {
  if (!flags.passwordStdin) return undefined;
  if (!io.stdin) throw new CliError('--password-stdin: no standard input to read from');
  let text = '';
  for await (const chunk of io.stdin) text += chunk.toString();
  const password = text.split(/\r?\n/)[0] ?? '';
  if (password === '') throw new CliError('--password-stdin: standard input is empty');
  return password;
}

function randomPassword(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64url');
}

const describeUser = (user: User) =>
  `${user.username} (id ${user.id}, ${user.role}${user.disabled ? ', disabled' : ''})`;

const passwordOption = () =>
  new Option(
    '--password-stdin',
    'read the password from the first line of standard input (default: a random one, printed once)',
  );

export function register(program: Command, io: CliIo): void {
  const users = program
    .command('users')
    .summary('list, create, change and delete users; reset a password offline')
    .description(
      'People who sign in to the dashboard, each with a role: admin (everything), editor (read, send data, acknowledge and silence alerts, edit monitors) or viewer (read only).',
    );

  serverOptions(
    users
      .command('list', { isDefault: true })
      .description('List users.')
      .option('--json', 'print the users as JSON'),
  ).action(async (flags: ServerFlags & { json?: boolean }) => {
    const list = await request(() => connect(flags, io).listUsers());
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return;
    }
    const rows = list.map((u) => [
      String(u.id),
      u.username,
      u.role,
      u.disabled ? 'disabled' : 'enabled',
      u.last_sign_in_at ?? 'never',
    ]);
    io.stdout.write(table(['ID', 'USERNAME', 'ROLE', 'STATE', 'LAST SIGN-IN'], rows));
  });

  serverOptions(
    users
      .command('create')
      .description('Create a user; without --password-stdin a random password is printed once.')
      .argument('<username>', 'sign-in name (letters, digits, ".", "_", "@", "-"; starts with a letter)')
      .addOption(
        new Option('--role <role>', 'what the user may do').choices(USER_ROLES).makeOptionMandatory(),
      )
      .addOption(passwordOption()),
  ).action(async (username: string, flags: ServerFlags & PasswordFlags & { role: UserRole }) => {
    const given = await passwordFrom(flags, io);
    const password = given ?? randomPassword();
    const user = await request(() => connect(flags, io).createUser({ username, password, role: flags.role }));
    io.stderr.write(`Created user ${describeUser(user)}.\n`);
    if (given === undefined) {
      io.stderr.write('Its password is shown once:\n');
      io.stdout.write(`${password}\n`);
    }
  });

  serverOptions(
    users
      .command('set-role')
      .description('Change what a user may do.')
      .argument('<user>', 'user name or id')
      .addArgument(new Argument('<role>', 'admin, editor or viewer').choices(USER_ROLES)),
  ).action(async (user: string, role: string, flags: ServerFlags) => {
    if (!USER_ROLES.includes(role as UserRole))
      throw new CliError(`role must be admin, editor or viewer; got '${role}'`);
    const changed = await request(() => connect(flags, io).updateUser(user, { role: role as UserRole }));
    io.stdout.write(`User ${describeUser(changed)}.\n`);
  });

  serverOptions(
    users
      .command('set-password')
      .description(
        "Set a user's password (their other sessions end); without --password-stdin a random one is printed once.",
      )
      .argument('<user>', 'user name or id')
      .addOption(passwordOption()),
  ).action(async (user: string, flags: ServerFlags & PasswordFlags) => {
    const given = await passwordFrom(flags, io);
    const password = given ?? randomPassword();
    const changed = await request(() => connect(flags, io).updateUser(user, { password }));
    io.stderr.write(`New password set for ${describeUser(changed)}; their sessions ended.\n`);
    if (given === undefined) io.stdout.write(`${password}\n`);
  });

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    serverOptions(
      users
        .command(verb)
        .description(
          disabled
            ? 'Stop a user from signing in; their sessions end at once.'
            : 'Let a disabled user sign in again.',
        )
        .argument('<user>', 'user name or id'),
    ).action(async (user: string, flags: ServerFlags) => {
      const changed = await request(() => connect(flags, io).updateUser(user, { disabled }));
      io.stdout.write(`User ${describeUser(changed)}.\n`);
    });
  }

  serverOptions(
    users
      .command('delete')
      .description('Delete a user and end their sessions.')
      .argument('<user>', 'user name or id'),
  ).action(async (user: string, flags: ServerFlags) => {
    await request(() => connect(flags, io).deleteUser(user));
    io.stdout.write(`Deleted user ${user}.\n`);
  });

  users
    .command('reset-password')
    .description(
      "Set a user's password in the data folder of a stopped server, enable the user and end their sessions (creates the user as an admin if there is none of that name). The way back in when every admin password is lost.",
    )
    .argument('<username>', 'user name, e.g. admin')
    .requiredOption('-d, --data-dir <dir>', 'data folder of the stopped server')
    .addOption(passwordOption())
    .addHelpText(
      'after',
      `
The server must be stopped: a running server holds the database, and this command then
refuses with a message saying so (use \`vigil users set-password\` with an admin key instead).`,
    )
    .action(async (username: string, flags: PasswordFlags & { dataDir: string }) => {
      const given = await passwordFrom(flags, io);
      const { resetPasswordInDataDir, StartupError } = await import('@vigil/server');
      const { resolve } = await import('node:path');
      try {
        const result = await resetPasswordInDataDir(resolve(io.cwd, flags.dataDir), {
          username,
          ...(given !== undefined ? { password: given } : {}),
        });
        io.stderr.write(
          result.created
            ? `Created admin user ${result.user.username}.`
            : `New password set for ${result.user.username} (${result.user.role}); the user is enabled and their sessions ended.`,
        );
        if (given === undefined) {
          io.stderr.write(' The password is shown once:\n');
          io.stdout.write(`${result.password}\n`);
        } else io.stderr.write('\n');
      } catch (error) {
        if (error instanceof StartupError) throw new CliError(error.message);
        throw error;
      }
    });

  inheritIo(users, io);
}
