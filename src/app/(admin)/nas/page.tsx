import { Forbidden } from '@/components/forbidden';
import { NasList } from '@/components/nas/nas-list';
import { actorWith } from '@/server/auth/require';

export const metadata = { title: 'NAS / Routers · NAS Panel' };

export default async function NasPage() {
  const { allowed } = await actorWith('nas.view', '/nas');
  if (!allowed) return <Forbidden permission="nas.view" />;
  return <NasList />;
}
