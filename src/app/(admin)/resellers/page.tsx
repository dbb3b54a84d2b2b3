import { Forbidden } from '@/components/forbidden';
import { ResellersList } from '@/components/resellers/resellers-list';
import { actorWith } from '@/server/auth/require';

export const metadata = { title: 'Resellers · NAS Panel' };

export default async function ResellersPage() {
  const { allowed } = await actorWith('resellers.manage', '/resellers');
  if (!allowed) return <Forbidden permission="resellers.manage" />;
  return <ResellersList />;
}
