/** Users: create, change role, disable or enable, delete. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, describeError, type Role, useCurrentUser } from '../../api';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { formatDateTime, formatRelative } from '../../format';
import type { User } from './types';

const ROLES: { value: Role; label: string }[] = [
  { value: 'viewer', label: 'Viewer (read only)' },
  { value: 'editor', label: 'Editor (send data, handle alerts, edit monitors)' },
  { value: 'admin', label: 'Admin (everything)' },
];

const usersKey = ['users'] as const;

function CreateUserForm() {
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const create = useMutation({
    mutationFn: () => api.post<User>('/users', { username, password, role }),
    onSuccess: () => {
      setUsername('');
      setPassword('');
      setRole('viewer');
      void queryClient.invalidateQueries({ queryKey: usersKey });
    },
  });
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <form className="inline-form" onSubmit={onSubmit} aria-label="Create a user">
      <label className="field">
        <span>User name</span>
        <input value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" />
      </label>
      <label className="field">
        <span>Password</span>
        <input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          minLength={8}
          autoComplete="new-password"
        />
      </label>
      <label className="field">
        <span>Role</span>
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button button-primary" disabled={create.isPending}>
        Create user
      </button>
      {create.isError && (
        <p className="form-error" role="alert">
          {describeError(create.error)}
        </p>
      )}
      {create.isSuccess && (
        <p className="hint" role="status">
          User {create.data.username} created.
        </p>
      )}
    </form>
  );
}

function UserRow({ user, isSelf }: { user: User; isSelf: boolean }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: usersKey });
  const update = useMutation({
    mutationFn: (patch: Partial<Pick<User, 'role' | 'disabled'>>) =>
      api.patch<User>(`/users/${user.id}`, patch),
    onSettled: refresh,
  });
  const remove = useMutation({ mutationFn: () => api.delete(`/users/${user.id}`), onSettled: refresh });
  const error = update.error ?? remove.error;
  return (
    <tr data-testid="user-row">
      <td>
        <strong>{user.username}</strong>
        {isSelf && <span className="muted"> (you)</span>}
      </td>
      <td>
        <label>
          <span className="visually-hidden">Role of {user.username}</span>
          <select
            value={user.role}
            onChange={(e) => update.mutate({ role: e.target.value as Role })}
            disabled={update.isPending}
          >
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.value}
              </option>
            ))}
          </select>
        </label>
      </td>
      <td>
        {user.disabled ? <span className="tag tag-off">Disabled</span> : <span className="tag">Active</span>}
      </td>
      <td>
        <time dateTime={user.last_sign_in_at ?? undefined} title={formatDateTime(user.last_sign_in_at)}>
          {formatRelative(user.last_sign_in_at)}
        </time>
      </td>
      <td className="muted">{user.created_by}</td>
      <td>
        <div className="row-actions">
          <button
            type="button"
            className="button"
            onClick={() => update.mutate({ disabled: !user.disabled })}
            disabled={update.isPending || isSelf}
            aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.username}`}
          >
            {user.disabled ? 'Enable' : 'Disable'}
          </button>
          <ConfirmButton
            label="Delete"
            question={`Delete ${user.username}?`}
            onConfirm={() => remove.mutate()}
            disabled={remove.isPending || isSelf}
          />
          {error && (
            <span className="form-error" role="alert">
              {describeError(error)}
            </span>
          )}
        </div>
      </td>
    </tr>
  );
}

export function UsersSection() {
  const me = useCurrentUser();
  const users = useQuery({ queryKey: usersKey, queryFn: () => api.get<{ data: User[] }>('/users') });
  return (
    <section className="card admin-section" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <p className="hint">
        People sign in with a user name and password; their role says what they may change.
      </p>
      <CreateUserForm />
      {users.isPending ? (
        <Loading label="Loading users…" />
      ) : users.isError ? (
        <ErrorState error={users.error} title="Could not load users" onRetry={() => users.refetch()} />
      ) : users.data.data.length === 0 ? (
        <EmptyState title="No users yet" />
      ) : (
        <table className="table">
          <caption className="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">State</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">Created by</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.data.data.map((user) => (
              <UserRow key={user.id} user={user} isSelf={user.id === me.id} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
