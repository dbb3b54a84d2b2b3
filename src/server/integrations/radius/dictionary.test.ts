import fs from 'node:fs';
import radius from 'radius';
import { describe, expect, it } from 'vitest';
import { parseDictionaries, radiusDictionary } from './dictionary';

describe('radiusDictionary', () => {
  const dictionary = radiusDictionary();

  it.each([
    ['Mikrotik-Recv-Limit', 14988, 1, 'integer'],
    ['Mikrotik-Xmit-Limit', 14988, 2, 'integer'],
    ['Mikrotik-Group', 14988, 3, 'string'],
    ['Mikrotik-Rate-Limit', 14988, 8, 'string'],
    ['Mikrotik-Realm', 14988, 9, 'string'],
    ['Mikrotik-Host-IP', 14988, 10, 'ipaddr'],
    ['Mikrotik-Mark-Id', 14988, 11, 'string'],
    ['Mikrotik-Advertise-URL', 14988, 12, 'string'],
    ['Mikrotik-Advertise-Interval', 14988, 13, 'integer'],
    ['Mikrotik-Recv-Limit-Gigawords', 14988, 14, 'integer'],
    ['Mikrotik-Xmit-Limit-Gigawords', 14988, 15, 'integer'],
    ['Mikrotik-Address-List', 14988, 19, 'string'],
    ['MS-CHAP-Response', 311, 1, 'octets'],
    ['MS-CHAP-Error', 311, 2, 'string'],
    ['MS-MPPE-Encryption-Policy', 311, 7, 'integer'],
    ['MS-MPPE-Encryption-Types', 311, 8, 'integer'],
    ['MS-CHAP-Challenge', 311, 11, 'octets'],
    ['MS-MPPE-Send-Key', 311, 16, 'octets'],
    ['MS-MPPE-Recv-Key', 311, 17, 'octets'],
    ['MS-CHAP2-Response', 311, 25, 'octets'],
    ['MS-CHAP2-Success', 311, 26, 'octets'],
    ['WISPr-Bandwidth-Max-Up', 14122, 7, 'integer'],
    ['WISPr-Bandwidth-Max-Down', 14122, 8, 'integer'],
    ['NAS-IPv6-Address', 0, 95, 'ipv6addr'],
    ['Delegated-IPv6-Prefix', 0, 123, 'ipv6prefix'],
    ['Event-Timestamp', 0, 55, 'date'],
  ])('%s is vendor %i attribute %i (%s)', (name, vendor, type, dataType) => {
    expect(dictionary.byName(name)).toMatchObject({ vendor, type, dataType });
    expect(dictionary.byKey(vendor * 256 + type)?.name).toBe(name);
  });

  it('marks the hidden attributes', () => {
    expect(dictionary.byName('User-Password')?.encrypt).toBe(1);
    expect(dictionary.byName('MS-MPPE-Send-Key')?.encrypt).toBe(2);
    expect(dictionary.byName('Tunnel-Type')?.hasTag).toBe(true);
  });

  // The installed FreeRADIUS is the reference: every attribute we ship has its number and type there.
  const installed = ['mikrotik', 'microsoft', 'wispr'].map((v) => `/usr/share/freeradius/dictionary.${v}`);
  it.skipIf(!installed.every((f) => fs.existsSync(f)))('agrees with /usr/share/freeradius on every shipped attribute', () => {
    const reference = parseDictionaries(installed.map((f) => fs.readFileSync(f, 'latin1')));
    const names = installed.flatMap((f) => [...fs.readFileSync(f, 'latin1').matchAll(/^ATTRIBUTE\s+(\S+)/gm)].map((m) => m[1]));
    expect(names.length).toBeGreaterThan(100);
    for (const name of names) {
      const ours = dictionary.byName(name) ?? dictionary.byKey(reference.byName(name)!.key);
      expect(ours, name).toBeDefined();
      expect({ key: ours!.key, dataType: ours!.dataType }, name).toEqual({
        key: reference.byName(name)!.key,
        dataType: reference.byName(name)!.dataType,
      });
    }
  });

  it('loads the vendor dictionaries into the radius package too', () => {
    expect(radius.vendor_name_to_id('Mikrotik')).toBe('14988');
    const packet = radius.encode({
      code: 'Access-Accept',
      secret: 'k',
      identifier: 1,
      attributes: [['Vendor-Specific', 14988, [['Mikrotik-Rate-Limit', '1M/2M']]]] as never,
    });
    expect(radius.decode_without_secret({ packet }).attributes['Vendor-Specific']).toEqual({ 'Mikrotik-Rate-Limit': '1M/2M' });
  });
});
