// The `radius` npm package (1.1.4) ships no types; this covers the part packet.ts uses.
declare module 'radius' {
  type AttributeValue = string | number | Buffer | Date;
  type AttributeList = Array<[string | number, AttributeValue]>;

  interface DecodedPacket {
    code: string;
    identifier: number;
    length: number;
    authenticator: Buffer;
    attributes: Record<string, unknown>;
    raw_attributes: Array<[number, Buffer]>;
  }

  interface Radius {
    encode(args: {
      code: string;
      secret: string;
      identifier?: number;
      authenticator?: Buffer;
      attributes?: AttributeList;
      add_message_authenticator?: boolean;
    }): Buffer;
    decode_without_secret(args: { packet: Buffer }): DecodedPacket;
  }

  const radius: Radius;
  export default radius;
}
