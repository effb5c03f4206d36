/** Users: create, change role, disable or enable, delete. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, type Role, useCurrentUser } from '../../api';
import { Card, QueryContent } from '../../components/Card';
import { ConfirmButton } from '../../components/ConfirmButton';
import { type Column, DataTable } from '../../components/DataTable';
import { FormError, SelectField, StatusNote, TextField } from '../../components/form';
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
      <TextField label="User name" value={username} onChange={setUsername} required autoComplete="off" />
      <TextField
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        required
        minLength={8}
        autoComplete="new-password"
      />
      <SelectField label="Role" value={role} options={ROLES} onChange={setRole} />
      <button type="submit" className="button button-primary" disabled={create.isPending}>
        Create user
      </button>
      <FormError error={create.error} />
      {create.isSuccess && <StatusNote>User {create.data.username} created.</StatusNote>}
    </form>
  );
}

function RoleCell({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: (role: Role) => api.patch<User>(`/users/${user.id}`, { role }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
  return (
    <>
      <SelectField
        label={`Role of ${user.username}`}
        hiddenLabel
        value={user.role}
        options={ROLES.map((r) => ({ value: r.value, label: r.value }))}
        onChange={(role) => update.mutate(role)}
        disabled={update.isPending}
      />
      <FormError error={update.error} inline />
    </>
  );
}

function UserActions({ user, isSelf }: { user: User; isSelf: boolean }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: usersKey });
  const toggle = useMutation({
    mutationFn: () => api.patch<User>(`/users/${user.id}`, { disabled: !user.disabled }),
    onSettled: refresh,
  });
  const remove = useMutation({ mutationFn: () => api.delete(`/users/${user.id}`), onSettled: refresh });
  return (
    <div className="row-actions">
      <button
        type="button"
        className="button"
        onClick={() => toggle.mutate()}
        disabled={toggle.isPending || isSelf}
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
      <FormError error={toggle.error ?? remove.error} inline />
    </div>
  );
}

export function UsersSection() {
  const me = useCurrentUser();
  const users = useQuery({ queryKey: usersKey, queryFn: () => api.get<{ data: User[] }>('/users') });
  const columns: Column<User>[] = [
    {
      header: 'User',
      cell: (user) => (
        <>
          <strong>{user.username}</strong>
          {user.id === me.id && <span className="muted"> (you)</span>}
        </>
      ),
    },
    { header: 'Role', cell: (user) => <RoleCell user={user} /> },
    {
      header: 'State',
      cell: (user) =>
        user.disabled ? <span className="tag tag-off">Disabled</span> : <span className="tag">Active</span>,
    },
    {
      header: 'Last sign-in',
      cell: (user) => (
        <time dateTime={user.last_sign_in_at ?? undefined} title={formatDateTime(user.last_sign_in_at)}>
          {formatRelative(user.last_sign_in_at)}
        </time>
      ),
    },
    { header: 'Created by', cell: (user) => <span className="muted">{user.created_by}</span> },
    {
      header: 'Actions',
      hiddenHeader: true,
      cell: (user) => <UserActions user={user} isSelf={user.id === me.id} />,
    },
  ];
  return (
    <Card
      title="Users"
      className="admin-section"
      hint="People sign in with a user name and password; their role says what they may change."
    >
      <CreateUserForm />
      <QueryContent
        query={users}
        what="users"
        isEmpty={(d) => d.data.length === 0}
        empty={{ title: 'No users yet' }}
      >
        {(data) => (
          <DataTable
            caption="Users"
            columns={columns}
            rows={data.data}
            rowKey={(u) => u.id}
            rowTestId="user-row"
          />
        )}
      </QueryContent>
    </Card>
  );
}
