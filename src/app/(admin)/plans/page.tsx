import { Forbidden } from '@/components/forbidden';
import { PlansList } from '@/components/plans/plans-list';
import { actorWith } from '@/server/auth/require';

export const metadata = { title: 'Services & Plans · NAS Panel' };

export default async function PlansPage() {
  const { allowed } = await actorWith('plans.manage', '/plans');
  if (!allowed) return <Forbidden permission="plans.manage" />;
  return <PlansList />;
}
