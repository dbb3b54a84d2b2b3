import { Forbidden } from '@/components/forbidden';
import { ResellerDetail } from '@/components/resellers/reseller-detail';
import { actorWith } from '@/server/auth/require';

export const metadata = { title: 'Reseller · NAS Panel' };

export default async function ResellerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { allowed } = await actorWith('resellers.manage', `/resellers/${id}`);
  if (!allowed) return <Forbidden permission="resellers.manage" />;
  const resellerId = Number(id);
  return <ResellerDetail id={Number.isSafeInteger(resellerId) && resellerId > 0 ? resellerId : null} />;
}
