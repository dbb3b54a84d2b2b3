import type { CoaResult } from '@/server/integrations/radius';
import { formatTimeout } from '@/server/integrations/radius/udp-exchange';

/** RFC 5176 §3.5 Error-Cause values, in the words of what the NAS means by them. */
const ERROR_CAUSE_WORDS: Record<number, string> = {
  201: 'the session was removed',
  401: 'the NAS does not support an attribute the panel sent',
  402: 'an attribute the NAS needs to find the session is missing',
  403: 'the NAS-IP-Address sent is not this NAS’s own address',
  404: 'the NAS found the request invalid',
  405: 'the NAS does not support this service',
  406: 'the NAS does not support an extension the request needs',
  407: 'an attribute value was refused by the NAS',
  501: 'the NAS is configured to refuse this (administratively prohibited)',
  502: 'the NAS could not route the request',
  503: 'the NAS has no session matching the User-Name, Acct-Session-Id and Framed-IP-Address sent',
  504: 'the NAS cannot remove this session',
  505: 'a proxy on the way failed',
  506: 'the NAS is out of resources for this now',
  507: 'the NAS started this request itself',
  508: 'the attributes name several sessions and the NAS will not act on more than one',
};

/** "Error-Cause 503 Session-Context-Not-Found: the NAS has no session matching …" */
export function errorCauseInWords(result: Pick<CoaResult, 'errorCause'>): string | null {
  if (result.errorCause === undefined) return null;
  const words = ERROR_CAUSE_WORDS[result.errorCause];
  return `Error-Cause ${result.errorCause}${words ? ` (${words})` : ''}`;
}

/** Why CoA did not do it, as the second half of a sentence: "CoA <this>". */
export function whyCoaFailed(result: CoaResult, coaPort: number, timeoutMs: number): string {
  switch (result.result) {
    case 'nak':
      return `was refused with ${errorCauseInWords(result) ?? 'no Error-Cause'}`;
    case 'no-answer':
      return `got no answer on udp/${coaPort} within ${formatTimeout(timeoutMs)} (check /radius incoming accept=yes and its port, the firewall, and that the router has the same RADIUS secret)`;
    case 'closed':
      return `found nothing listening on udp/${coaPort} (turn on /radius incoming, or set the NAS's CoA port to the router's)`;
    case 'bad-authenticator':
      return 'got a reply that fails verification: the router has a different RADIUS secret than this NAS entry';
    case 'error':
      return `could not be sent: ${result.detail}`;
    case 'ack':
      return 'was accepted';
  }
}
