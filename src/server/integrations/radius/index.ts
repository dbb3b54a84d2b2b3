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
