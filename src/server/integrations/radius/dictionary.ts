// The attribute dictionary: the `radius` package's RFC files plus the vendor files we ship in ./dictionaries
// (MikroTik, Microsoft, WISPr; production machines have no /usr/share/freeradius).
// The same files are loaded into the package (for packet.ts and anyone decoding with it) and parsed here
// into a typed table, because the package exposes no attribute types and our hot path reads by number.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import radius from 'radius';

export type AttributeDataType =
  'string' | 'text' | 'octets' | 'ipaddr' | 'ipv6addr' | 'ipv6prefix' | 'ifid' | 'integer' | 'short' | 'byte' | 'integer64' | 'date';

export interface AttributeDefinition {
  name: string;
  /** 0 for the standard space, else the IANA enterprise number of Vendor-Specific (26). */
  vendor: number;
  type: number;
  /** vendor * 256 + type: one number for lookups in the decoded packet. */
  key: number;
  dataType: AttributeDataType;
  /** RFC 2865 User-Password (1), RFC 2868 Tunnel-Password / RFC 2548 MPPE keys (2). */
  encrypt: 0 | 1 | 2;
  hasTag: boolean;
  /** Enumerated values: 'Framed-User' → 2. */
  values: ReadonlyMap<string, number>;
  valueNames: ReadonlyMap<number, string>;
}

export interface RadiusDictionary {
  byName(name: string): AttributeDefinition | undefined;
  byKey(key: number): AttributeDefinition | undefined;
  vendorId(name: string): number | undefined;
}

export const VENDOR_SPECIFIC = 26;

export function attributeKey(vendor: number, type: number): number {
  return vendor * 256 + type;
}

/**
 * Where our vendor dictionaries are: next to this file (the RADIUS service runs from source with tsx).
 * Resolved on first use, never at import: the panel's bundle imports this module without using it.
 */
export function dictionaryDir(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'dictionaries');
}

let loaded: RadiusDictionary | null = null;

/** Loads the dictionaries once (lazily, so importing this module reads no file). */
export function radiusDictionary(): RadiusDictionary {
  if (!loaded) loaded = load();
  return loaded;
}

function load(): RadiusDictionary {
  const dir = dictionaryDir();
  const packageDir = path.join(path.dirname(createRequire(import.meta.url).resolve('radius')), '..', 'dictionaries');
  const ours = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('dictionary.'))
    .sort()
    .map((f) => path.join(dir, f));
  const packageFiles = fs
    .readdirSync(packageDir)
    .sort()
    .map((f) => path.join(packageDir, f));

  registerWithPackage(dir, ours);
  return parseDictionaries([...packageFiles, ...ours].map((f) => fs.readFileSync(f, 'latin1')));
}

/** The package loads its folder list once; when something already made it load, add our files directly. */
function registerWithPackage(dir: string, files: string[]) {
  radius.add_dictionary(dir);
  radius.load_dictionaries();
  if (radius.vendor_name_to_id('Mikrotik') === undefined) for (const file of files) radius.load_dictionary(file);
}

const DATA_TYPES = new Set<string>([
  'string',
  'text',
  'octets',
  'ipaddr',
  'ipv6addr',
  'ipv6prefix',
  'ifid',
  'integer',
  'short',
  'byte',
  'integer64',
  'date',
]);

/** The FreeRADIUS format subset the shipped files use: VENDOR, BEGIN/END-VENDOR, ATTRIBUTE, VALUE. */
export function parseDictionaries(contents: string[]): RadiusDictionary {
  const byName = new Map<string, AttributeDefinition & { values: Map<string, number>; valueNames: Map<number, string> }>();
  const byKey = new Map<number, AttributeDefinition>();
  const vendors = new Map<string, number>();
  const pendingValues: Array<[attribute: string, name: string, value: number]> = [];

  for (const content of contents) {
    let vendor = 0;
    for (const rawLine of content.split('\n')) {
      const words = rawLine.replace(/#.*/, '').trim().split(/\s+/);
      switch (words[0]) {
        case 'VENDOR':
          vendors.set(words[1], Number(words[2]));
          break;
        case 'BEGIN-VENDOR': {
          const id = vendors.get(words[1]);
          if (id === undefined) throw new Error(`RADIUS dictionary: BEGIN-VENDOR ${words[1]} before its VENDOR line`);
          vendor = id;
          break;
        }
        case 'END-VENDOR':
          vendor = 0;
          break;
        case 'ATTRIBUTE': {
          const [, name, number, rawType, flags = ''] = words;
          const type = Number(number);
          const baseType = rawType.toLowerCase().replace(/\[\d+\]$/, '');
          const encrypt = /encrypt=([12])/.exec(flags);
          const definition = {
            name,
            vendor,
            type,
            key: attributeKey(vendor, type),
            dataType: (DATA_TYPES.has(baseType) ? baseType : 'octets') as AttributeDataType,
            encrypt: (encrypt ? Number(encrypt[1]) : 0) as 0 | 1 | 2,
            hasTag: flags.includes('has_tag'),
            values: new Map<string, number>(),
            valueNames: new Map<number, string>(),
          };
          byName.set(name, definition);
          // The first name given to a number is its name when decoding.
          if (!byKey.has(definition.key)) byKey.set(definition.key, definition);
          break;
        }
        case 'VALUE':
          pendingValues.push([words[1], words[2], Number(words[3])]);
          break;
      }
    }
  }

  for (const [attribute, name, value] of pendingValues) {
    const definition = byName.get(attribute);
    if (!definition) continue;
    definition.values.set(name, value);
    if (!definition.valueNames.has(value)) definition.valueNames.set(value, name);
  }

  return {
    byName: (name) => byName.get(name),
    byKey: (key) => byKey.get(key),
    vendorId: (name) => vendors.get(name),
  };
}
