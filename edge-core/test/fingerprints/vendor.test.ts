import { describe, expect, it } from 'vitest';
import { canonicalVendor, indexRegistry, lookupVendor, useVendorRegistry, vendorRegistryBuffers } from '../../src/fingerprints/vendor.js';

const mac = (hex: string): number => Number.parseInt(hex.replaceAll(':', ''), 16);

describe('NIC vendor from the IEEE registry', () => {
  it('finds an MA-L assignment and folds the maker name', () => {
    expect(lookupVendor(mac('00:09:fb:12:34:56'))).toEqual({ vendor: 'Philips', organisation: 'Philips Patient Monitoring', assignment: '0009FB' });
    expect(lookupVendor(mac('9c:c8:ae:00:00:01'))?.vendor).toBe('Becton Dickinson');
  });

  it('prefers the longest assignment (MA-S inside an MA-L block)', () => {
    const match = lookupVendor(mac('70:b3:d5:36:a0:01'));
    expect(match?.assignment).toBe('70B3D536A');
    expect(match?.vendor).toBe('Becton Dickinson');
  });

  it('has nothing for locally administered or unassigned addresses', () => {
    expect(lookupVendor(mac('02:00:00:00:00:01'))).toBeNull();
    expect(lookupVendor(mac('ee:ee:ee:00:00:01'))).toBeNull();
  });

  it('folds the registry\'s many spellings of one maker', () => {
    expect(canonicalVendor('PHILIPS ELECTRONICS UK LTD')).toBe('Philips');
    expect(canonicalVendor('Carefusion')).toBe('Becton Dickinson');
    expect(canonicalVendor('Hewlett Packard Enterprise')).toBe('HPE');
    expect(canonicalVendor('Hewlett Packard')).toBe('HP');
    expect(canonicalVendor('Drägerwerk AG & Co. KG aA')).toBe('Draeger');
    expect(canonicalVendor('Acme Widgets, Inc.')).toBe('Acme Widgets');
    expect(canonicalVendor('Example Systems GmbH')).toBe('Example Systems');
  });
});

describe('registry loading', () => {
  it('reads every assignment of the package, with the first line of each entry as the organisation', async () => {
    const { createRequire } = await import('node:module');
    const full = createRequire(import.meta.url)('oui-data') as Record<string, string>;
    const keys = Object.keys(full);
    expect(keys.length).toBeGreaterThan(50_000);
    const wrong: string[] = [];
    // Blocks subdivided into MA-M or MA-S assignments answer by the longer one (or not, if it is private).
    const subdivided = new Set(keys.filter((k) => k.length > 6).map((k) => k.slice(0, 6)));
    for (let i = 0; i < keys.length; i += 7) {
      const key = keys[i]!;
      const organisation = full[key]!.split('\n', 1)[0]!;
      // Locally administered blocks and "Private" entries are never answered.
      if ((Number.parseInt(key.slice(0, 2), 16) & 0x02) !== 0 || /^private$/i.test(organisation) || (key.length === 6 && subdivided.has(key))) continue;
      const match = lookupVendor(Number.parseInt(key.padEnd(12, '0'), 16));
      // A longer (MA-M, MA-S) assignment inside this block may rightly answer first.
      if (!match || (match.assignment === key ? match.organisation !== organisation : !match.assignment.startsWith(key))) wrong.push(`${key}: ${JSON.stringify(match)} vs ${organisation}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('registry index', () => {
  it('finds every entry of a registry listed out of order, escapes and all, and answers nothing for a private block', () => {
    // The package lists each section by key; this one does not, and mixes the sections.
    const entries: Record<string, string> = {
      '9CC8AE': 'Becton, Dickinson and Company\nStreet',
      '0009FB': 'Philips Patient Monitoring\nBoeblingen',
      '70B3D536A': 'Becton Dickinson\nSomewhere',
      '70B3D5': 'IEEE Registration Authority\nPiscataway',
      '000001': 'Private\n',
      '58D56E0': 'Acme "Infusion" Systems\nÉcole street',
      '004A2F': 'Zeta Medical GmbH\nBerlin',
      '58D56E': 'Dräger Parent\nLübeck',
    };
    const text = `{\n${Object.entries(entries).map(([k, v]) => ` ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n}\n`;
    const bytes = Buffer.from(text, 'utf8');
    const shared = new SharedArrayBuffer(bytes.length);
    new Uint8Array(shared).set(bytes);
    useVendorRegistry(indexRegistry(shared));
    try {
      for (const [key, value] of Object.entries(entries)) {
        // Padded with F: inside the assignment, outside any longer one listed under it.
        const match = lookupVendor(Number.parseInt(key.padEnd(12, 'F'), 16));
        if (key === '000001') expect(match).toBeNull();
        else expect(match).toMatchObject({ assignment: key, organisation: value.split('\n')[0] });
      }
      // Inside the 70B3D5 block but outside its MA-S assignment, the MA-L answers.
      expect(lookupVendor(0x70b3d5000001)?.assignment).toBe('70B3D5');
      expect(lookupVendor(0x123456000001)).toBeNull();
    } finally {
      useVendorRegistry(vendorRegistryBuffers());
    }
  });
});
