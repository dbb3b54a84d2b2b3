import { z } from 'zod';
import { isIpv4 } from '@/lib/ip-address';
import { singleLine, zId } from './common';

/** A session's radacct id (bigserial): a whole positive number JavaScript holds exactly. */
const zSessionId = z
  .number({ message: 'Session id must be a number' })
  .int('Session id must be a whole number')
  .min(1, 'Session id must be positive')
  .max(Number.MAX_SAFE_INTEGER, 'Session id is too large');

/** Live Torch of one open session: its interface on its NAS. */
export const ZTorchSessionInput = z.object({ id: zSessionId });

/** `10.0.0.0/24` or `10.0.0.5` (a /32): RouterOS torch's src-address / dst-address take IPv4 prefixes. */
const zIpv4Prefix = (label: string) =>
  singleLine(label, 18).refine((s) => {
    const [addr, bits, ...rest] = s.split('/');
    return rest.length === 0 && isIpv4(addr) && (bits === undefined || (/^\d{1,2}$/.test(bits) && Number(bits) <= 32));
  }, `${label} must be an IPv4 address or prefix, e.g. 10.0.0.0/24`);

/** Live Torch of an interface of a NAS, optionally narrowed to addresses. */
export const ZTorchInterfaceInput = z.object({
  id: zId('NAS id'),
  // RouterOS interface names: up to 64 characters, spaces and punctuation allowed (`<pppoe-alice>`, `vlan 100`).
  interface: singleLine('Interface', 64).min(1, 'Interface is required'),
  srcAddress: zIpv4Prefix('Source address').optional(),
  dstAddress: zIpv4Prefix('Destination address').optional(),
});

export type TorchSessionInput = z.infer<typeof ZTorchSessionInput>;
export type TorchInterfaceInput = z.infer<typeof ZTorchInterfaceInput>;
