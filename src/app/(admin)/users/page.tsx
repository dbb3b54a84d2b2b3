import { Forbidden } from '@/components/forbidden';
import { UsersList } from '@/components/users/users-list';
import { actorWith } from '@/server/auth/require';

export const metadata = { title: 'Users · NAS Panel' };

export default async function UsersPage() {
  const { allowed } = await actorWith('users.manage', '/users');
  if (!allowed) return <Forbidden permission="users.manage" />;
  return <UsersList />;
}
