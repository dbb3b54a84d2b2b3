export { probeUdpPort, type UdpProbeResult, type UdpProbeState } from './udp-probe';
export { sendCoaRequest, sendDisconnect, sendDisconnectProbe, type CoaResult, type CoaResultKind, type CoaTarget } from './coa';
export {
  RadiusCode,
  decodeRadiusPacket,
  describeErrorCause,
  encodeDynamicAuthRequest,
  encodeStatusServer,
  requestAuthenticatorMatches,
  responseAuthenticatorMatches,
  type DecodedRadiusPacket,
  type DynamicAuthRequestCode,
  type RadiusAttributeList,
} from './packet';

// Our RADIUS server's packet layer (issue 11). Importing reads no file: the dictionaries load on first use.
export { peekHeader, CODES as RADIUS_CODES, type RadiusCodeName, type RadiusHeader, type RadiusSecret } from './wire';
export {
  decodeRequest,
  decodeUnverified,
  type DecodeFailureReason,
  type DecodeRequestOptions,
  type DecodeRequestResult,
} from './decode-request';
export { RadiusMessage, type RadiusAttribute, type RadiusReply, type RadiusRequest, type AttributeValue } from './message';
export { encodeReply, type ReplyCodeName, type ReplyTo } from './encode-reply';
export { RadiusAttributeError, type AttributeInput, type AttributeInputList, type AttributeInputValue } from './encode-attributes';
export { decryptUserPassword, decryptUserPasswordBytes, encryptUserPassword } from './pap';
export { verifyChap, chapResponse } from './chap';
export {
  verifyMsChapV2,
  msChapV2AcceptAttributes,
  msChapError,
  msChap2SuccessMatches,
  generateNtResponse,
  generateAuthenticatorResponse,
  buildMsChap2Response,
  parseMsChap2Response,
  ntPasswordHash,
  hashNtPasswordHash,
  getMasterKey,
  getAsymmetricStartKey,
  encryptMppeKey,
  decryptMppeKey,
  type MsChapV2Verification,
  type MppeOptions,
} from './mschapv2';
export { authenticateRequest, detectAuthMethod, type AuthMethod, type AuthenticationResult } from './authenticate';
export {
  encodeRequest,
  encodeAccessRequest,
  encodeAccountingRequest,
  decodeReply,
  type AccessRequest,
  type Credentials,
  type DecodeReplyFailure,
  type DecodeReplyResult,
  type RequestCodeName,
} from './client';
export { radiusDictionary, type AttributeDefinition, type RadiusDictionary } from './dictionary';
