// One call for the RADIUS service: which method an Access-Request uses, whether its credentials match the
// subscriber's cleartext password, and the attributes that method adds to the Accept or Reject.
import { verifyChap } from './chap';
import type { AttributeInput } from './encode-attributes';
import type { RadiusRequest } from './message';
import { msChapV2AcceptAttributes, verifyMsChapV2, type MppeOptions } from './mschapv2';
import { decryptUserPasswordBytes } from './pap';
import type { RadiusSecret } from './wire';

export type AuthMethod = 'pap' | 'chap' | 'mschapv2';

/** What the request offers; 'mschapv1' and 'eap' are recognised so the log can say so, not served. */
export function detectAuthMethod(request: RadiusRequest): AuthMethod | 'mschapv1' | 'eap' | null {
  if (request.userPassword) return 'pap';
  if (request.chapPassword) return 'chap';
  if (request.msChap2Response && request.msChapChallenge) return 'mschapv2';
  if (request.msChapResponse) return 'mschapv1';
  if (request.eapMessage) return 'eap';
  return null;
}

export type AuthenticationResult =
  | { ok: true; method: AuthMethod; replyAttributes: AttributeInput[] }
  | {
      ok: false;
      method: AuthMethod | 'mschapv1' | 'eap' | null;
      reason: 'wrong-password' | 'malformed-credentials' | 'no-credentials' | 'unsupported-method';
      detail: string;
      /** MS-CHAP-Error for MS-CHAPv2, so the peer shows "691" instead of timing out; empty otherwise. */
      replyAttributes: AttributeInput[];
    };

export function authenticateRequest(args: {
  request: RadiusRequest;
  secret: RadiusSecret;
  /** The subscriber's cleartext password. */
  password: string;
  mppe?: MppeOptions;
}): AuthenticationResult {
  const { request, secret, password } = args;
  const method = detectAuthMethod(request);
  switch (method) {
    case 'pap': {
      const given = decryptUserPasswordBytes(request, secret);
      if (given === null) return failed(method, 'malformed-credentials', 'User-Password is not 16-128 octets in 16-octet blocks');
      return sameOctets(given, Buffer.from(password, 'utf8'))
        ? { ok: true, method, replyAttributes: [] }
        : failed(method, 'wrong-password', 'PAP password does not match');
    }
    case 'chap': {
      const chapPassword = request.chapPassword!;
      if (chapPassword.length !== 17)
        return failed(method, 'malformed-credentials', `CHAP-Password is ${chapPassword.length} octets (17 expected)`);
      const challenge = request.chapChallenge ?? request.authenticator;
      return verifyChap(password, chapPassword, challenge)
        ? { ok: true, method, replyAttributes: [] }
        : failed(method, 'wrong-password', 'CHAP response does not match');
    }
    case 'mschapv2': {
      const verified = verifyMsChapV2({
        userName: request.userName ?? '',
        password,
        authenticatorChallenge: request.msChapChallenge!,
        response: request.msChap2Response!,
      });
      if (!verified.ok) {
        const detail =
          verified.reason === 'malformed'
            ? 'MS-CHAP2-Response is not 50 octets or MS-CHAP-Challenge not 16'
            : 'MS-CHAPv2 NT-Response does not match';
        return {
          ...failed(method, verified.reason === 'malformed' ? 'malformed-credentials' : 'wrong-password', detail),
          replyAttributes: [['MS-CHAP-Error', verified.error]],
        };
      }
      const replyAttributes = msChapV2AcceptAttributes(verified, { secret, requestAuthenticator: request.authenticator, mppe: args.mppe });
      return { ok: true, method, replyAttributes };
    }
    case 'mschapv1':
    case 'eap':
      return failed(method, 'unsupported-method', `${method === 'eap' ? 'EAP' : 'MS-CHAPv1'} is not supported: use PAP, CHAP or MS-CHAPv2`);
    case null:
      return failed(null, 'no-credentials', 'no User-Password, CHAP-Password or MS-CHAP2-Response in the request');
  }
}

function failed(
  method: AuthMethod | 'mschapv1' | 'eap' | null,
  reason: Extract<AuthenticationResult, { ok: false }>['reason'],
  detail: string,
): Extract<AuthenticationResult, { ok: false }> {
  return { ok: false, method, reason, detail, replyAttributes: [] };
}

/** Constant time over the longer of the two, so the comparison does not reveal where they differ. */
function sameOctets(x: Buffer, y: Buffer): boolean {
  let difference = x.length ^ y.length;
  const length = Math.max(x.length, y.length);
  for (let i = 0; i < length; i++) difference |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return difference === 0;
}
