// The `radius` npm package (1.1.4) ships no types; this covers the part packet.ts and dictionary.ts use.
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
    decode(args: { packet: Buffer; secret: string }): DecodedPacket;
    add_dictionary(path: string): void;
    load_dictionaries(): void;
    load_dictionary(file: string): void;
    vendor_name_to_id(name: string): string | undefined;
    attr_name_to_id(name: string, vendor?: number): string | undefined;
  }

  const radius: Radius;
  export default radius;
}
