/** Wire types of the users and API-key routes (`/api/v1/users`, `/api/v1/keys`). */
import type { Role } from '../../api';

export interface User {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
  created_at: string;
  updated_at: string;
  last_sign_in_at: string | null;
  created_by: string;
}

export type KeyScope = 'admin' | 'write' | 'read';

export interface ApiKey {
  id: number;
  name: string;
  scope: KeyScope;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at?: string | null;
  created_by?: string;
}

export interface CreatedApiKey extends ApiKey {
  /** The secret, shown this once. */
  key: string;
}
