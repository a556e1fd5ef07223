import { describe, it, expect } from 'vitest';
import { matchConfigurations } from '../src/match/configuration.js';
import type { Configuration, ConfigurationNode, CpeMatchCriterion, DeviceDescription, VulnerabilityRecord } from '../src/model.js';

const FIRMWARE = 'cpe:2.3:o:acme:p100_firmware:*:*:*:*:*:*:*:*';
const HARDWARE = 'cpe:2.3:h:acme:p100:-:*:*:*:*:*:*:*';

function node(cpeMatch: CpeMatchCriterion[], operator: 'AND' | 'OR' = 'OR', negate = false, children: ConfigurationNode[] = []): ConfigurationNode {
  return { operator, negate, cpeMatch, children };
}

function vulnerability(configurations: Configuration[]): VulnerabilityRecord {
  return {
    id: 'CVE-2099-2001', cwes: [], cvss: [], products: [], configurations, remediations: [], advisories: [], references: [],
    source: { feed: 'nvd', file: 'test.json', document: 'CVE-2099-2001' },
  };
}

function device(cpes: string[], software: DeviceDescription['software'] = []): DeviceDescription {
  return { vendor: 'Acme', model: 'P100', cpes, software };
}

function firmware(version: string): string {
  return `cpe:2.3:o:acme:p100_firmware:${version}:*:*:*:*:*:*:*`;
}

/** Firmware up to a bound (vulnerable) AND the pump hardware (not vulnerable): NVD's shape for device firmware. */
function firmwareOnHardware(bounds: Partial<CpeMatchCriterion>): VulnerabilityRecord {
  return vulnerability([{
    operator: 'AND',
    negate: false,
    nodes: [node([{ vulnerable: true, criteria: FIRMWARE, ...bounds }]), node([{ vulnerable: false, criteria: HARDWARE }])],
  }]);
}

/** A configuration of one vulnerable criterion. */
function single(criterion: CpeMatchCriterion): VulnerabilityRecord {
  return vulnerability([{ operator: 'OR', negate: false, nodes: [node([criterion])] }]);
}

describe('firmware running on hardware (AND configuration)', () => {
  const record = firmwareOnHardware({ versionEndExcluding: '9.33.2' });

  it('matches the device known by both, naming the firmware criterion and the hardware', () => {
    const reason = matchConfigurations(device([firmware('9.33.1'), HARDWARE]), record);
    expect(reason).toEqual({
      basis: 'nvd-cpe',
      verdict: 'affected',
      text: expect.stringContaining(`CVE-2099-2001: ${FIRMWARE} (below 9.33.2) met by the device's ${firmware('9.33.1')}`),
      vendor: 'acme',
      product: 'p100_firmware',
      versions: 'below 9.33.2',
      deviceProduct: firmware('9.33.1'),
      deviceVersion: '9.33.1',
    });
    expect(reason!.text).toContain(`also requires, not vulnerable itself: ${HARDWARE}, met by the device's ${HARDWARE}.`);
  });

  it('does not match the firmware alone, nor the hardware alone', () => {
    expect(matchConfigurations(device([firmware('9.33.1')]), record)).toBeNull();
    expect(matchConfigurations(device([HARDWARE]), record)).toBeNull();
    expect(matchConfigurations(device([firmware('9.33.1'), 'cpe:2.3:h:acme:p200:-:*:*:*:*:*:*:*']), record)).toBeNull();
  });

  it('takes the hardware listed without a version as the same hardware', () => {
    const reason = matchConfigurations(device([firmware('9.33.1'), 'cpe:2.3:h:acme:p100:*:*:*:*:*:*:*:*']), record);
    expect(reason?.verdict).toBe('affected');
  });

  it('reads the firmware from the device software (its SBOM) too', () => {
    const reason = matchConfigurations(device([HARDWARE], [{ product: 'P100 firmware', cpe: firmware('9.0'), from: 'sbom:urn:uuid:1' }]), record);
    expect(reason?.deviceVersion).toBe('9.0');
  });
});

describe('version range ends', () => {
  const at = (bounds: Partial<CpeMatchCriterion>, version: string): string | null =>
    matchConfigurations(device([firmware(version), HARDWARE]), firmwareOnHardware(bounds))?.verdict ?? null;

  it('excludes versionEndExcluding and includes versionEndIncluding', () => {
    expect(at({ versionEndExcluding: '9.33.2' }, '9.33.2')).toBeNull();
    expect(at({ versionEndExcluding: '9.33.2' }, '9.33.1.9')).toBe('affected');
    expect(at({ versionEndIncluding: '9.33.2' }, '9.33.2')).toBe('affected');
    expect(at({ versionEndIncluding: '9.33.2' }, '9.33.2.1')).toBeNull();
  });

  it('includes versionStartIncluding and excludes versionStartExcluding', () => {
    expect(at({ versionStartIncluding: '9.0', versionEndExcluding: '9.5' }, '9.0')).toBe('affected');
    expect(at({ versionStartIncluding: '9.0', versionEndExcluding: '9.5' }, '8.99')).toBeNull();
    expect(at({ versionStartExcluding: '9.0', versionEndExcluding: '9.5' }, '9.0')).toBeNull();
    expect(at({ versionStartExcluding: '9.0', versionEndExcluding: '9.5' }, '9.0.1')).toBe('affected');
    expect(at({ versionStartExcluding: '9.0', versionEndExcluding: '9.5' }, '9.5')).toBeNull();
  });

  it('orders versions as firmware versions: 2.8.123e is after 2.8.75 (Dependency-Track #2803)', () => {
    const gsoap = (version: string): string | null => matchConfigurations(
      device([`cpe:2.3:a:genivia:gsoap:${version}:*:*:*:*:*:*:*`]),
      single({ vulnerable: true, criteria: 'cpe:2.3:a:genivia:gsoap:*:*:*:*:*:*:*:*', versionStartIncluding: '2.8.0', versionEndExcluding: '2.8.75' }),
    )?.verdict ?? null;
    expect(gsoap('2.8.123e')).toBeNull();
    expect(gsoap('2.8.75')).toBeNull();
    expect(gsoap('2.8.74')).toBe('affected');
    expect(gsoap('2.8.7')).toBe('affected');
    expect(gsoap('2.7.17')).toBeNull();
  });

  it('says when the device version is not known, or cannot be ordered against the range', () => {
    expect(at({ versionEndExcluding: '9.33.2' }, '*')).toBe('version-unknown');
    const venue = vulnerability([{ operator: 'OR', negate: false, nodes: [node([{ vulnerable: true, criteria: 'cpe:2.3:o:gehealthcare:venue_firmware:*:*:*:*:*:*:*:*', versionEndIncluding: 'R4.2' }])] }]);
    const venueOn = (version: string): string | null => matchConfigurations(device([`cpe:2.3:o:gehealthcare:venue_firmware:${version}:*:*:*:*:*:*:*`]), venue)?.verdict ?? null;
    expect(venueOn('r4.1')).toBe('affected');
    expect(venueOn('r4.3')).toBeNull();
    expect(venueOn('l81')).toBe('not-comparable');
  });

  it('compares a criterion naming one version as CPE does, by the string', () => {
    const sante = single({ vulnerable: true, criteria: 'cpe:2.3:a:sante:pacs_server:3.3.3:*:*:*:*:*:*:*' });
    const on = (version: string): string | null => matchConfigurations(device([`cpe:2.3:a:sante:pacs_server:${version}:*:*:*:*:*:*:*`]), sante)?.verdict ?? null;
    expect(on('3.3.3')).toBe('affected');
    expect(on('3.3.4')).toBeNull();
    expect(on('*')).toBe('version-unknown');
  });
});

describe('negation, operators and configurations', () => {
  const app = 'cpe:2.3:a:acme:viewer:*:*:*:*:*:*:*:*';
  const platform = 'cpe:2.3:o:acme:secure_os:*:*:*:*:*:*:*:*';
  const unlessPlatform = vulnerability([{
    operator: 'AND',
    negate: false,
    nodes: [node([{ vulnerable: true, criteria: app }]), node([{ vulnerable: false, criteria: platform }], 'OR', true)],
  }]);

  it('matches a negated node only where its criterion is not met', () => {
    expect(matchConfigurations(device(['cpe:2.3:a:acme:viewer:2.0:*:*:*:*:*:*:*']), unlessPlatform)?.verdict).toBe('affected');
    expect(matchConfigurations(device(['cpe:2.3:a:acme:viewer:2.0:*:*:*:*:*:*:*', 'cpe:2.3:o:acme:secure_os:1.0:*:*:*:*:*:*:*']), unlessPlatform)).toBeNull();
  });

  it('negates a whole configuration', () => {
    const negated = vulnerability([{ operator: 'OR', negate: true, nodes: [node([{ vulnerable: true, criteria: app }])] }]);
    expect(matchConfigurations(device(['cpe:2.3:a:acme:viewer:2.0:*:*:*:*:*:*:*']), negated)).toBeNull();
  });

  it('needs every criterion of an AND node and one of an OR node, through child nodes', () => {
    const nested = vulnerability([{ operator: 'OR', negate: false, nodes: [node([], 'AND', false, [node([{ vulnerable: true, criteria: app }]), node([{ vulnerable: false, criteria: HARDWARE }, { vulnerable: false, criteria: platform }])])] }]);
    expect(matchConfigurations(device(['cpe:2.3:a:acme:viewer:2.0:*:*:*:*:*:*:*', HARDWARE]), nested)?.verdict).toBe('affected');
    expect(matchConfigurations(device(['cpe:2.3:a:acme:viewer:2.0:*:*:*:*:*:*:*']), nested)).toBeNull();
    const both = vulnerability([{ operator: 'OR', negate: false, nodes: [node([{ vulnerable: true, criteria: app }, { vulnerable: false, criteria: HARDWARE }], 'AND')] }]);
    expect(matchConfigurations(device(['cpe:2.3:a:acme:viewer:2.0:*:*:*:*:*:*:*', HARDWARE]), both)?.verdict).toBe('affected');
    expect(matchConfigurations(device([HARDWARE]), both)).toBeNull();
  });

  it('needs a vulnerable criterion: the hardware alone is no match', () => {
    const hardwareOnly = single({ vulnerable: false, criteria: HARDWARE });
    expect(matchConfigurations(device([HARDWARE]), hardwareOnly)).toBeNull();
  });

  it('gives the reason of a certain match before that of a possible one', () => {
    const possible = { operator: 'OR' as const, negate: false, nodes: [node([{ vulnerable: true, criteria: 'cpe:2.3:a:acme:viewer:1.0:*:*:*:*:*:*:*' }])] };
    const certain = { operator: 'OR' as const, negate: false, nodes: [node([{ vulnerable: true, criteria: HARDWARE }])] };
    const reason = matchConfigurations(device(['cpe:2.3:a:acme:viewer:*:*:*:*:*:*:*:*', HARDWARE]), vulnerability([possible, certain]));
    expect(reason).toMatchObject({ verdict: 'affected', product: 'p100', versions: 'no version (the product as such)' });
  });
});

describe('known false matches avoided', () => {
  it('does not use a criterion without vendor or product (wildcard vendor, Dependency-Track #3178)', () => {
    const anyVendor = single({ vulnerable: true, criteria: 'cpe:2.3:a:*:gsoap:*:*:*:*:*:*:*:*' });
    expect(matchConfigurations(device(['cpe:2.3:a:genivia:gsoap:2.8.1:*:*:*:*:*:*:*']), anyVendor)).toBeNull();
    const anyProduct = single({ vulnerable: true, criteria: 'cpe:2.3:a:pascom_cloud_phone_system:*:*:*:*:*:*:*:*:*' });
    expect(matchConfigurations(device(['cpe:2.3:a:pascom_cloud_phone_system:pbx:1:*:*:*:*:*:*:*']), anyProduct)).toBeNull();
    const wildProduct = single({ vulnerable: true, criteria: 'cpe:2.3:a:genivia:gso*:*:*:*:*:*:*:*:*' });
    expect(matchConfigurations(device(['cpe:2.3:a:genivia:gsoap:2.8.1:*:*:*:*:*:*:*']), wildProduct)).toBeNull();
  });

  it('does not match a device name without its vendor', () => {
    const gsoap = single({ vulnerable: true, criteria: 'cpe:2.3:a:genivia:gsoap:*:*:*:*:*:*:*:*' });
    expect(matchConfigurations(device(['cpe:2.3:a:*:gsoap:2.8.1:*:*:*:*:*:*:*']), gsoap)).toBeNull();
    expect(matchConfigurations(device(['cpe:2.3:a:genivia:gsoap:2.8.1:*:*:*:*:*:*:*']), gsoap)?.verdict).toBe('affected');
  });

  it('does not match a criterion naming the product without versions against a versioned name (Dependency-Track #3268)', () => {
    const noVersion = single({ vulnerable: true, criteria: 'cpe:2.3:a:apache:http_server:-:*:*:*:*:*:*:*' });
    expect(matchConfigurations(device(['cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*']), noVersion)).toBeNull();
  });

  it('reads CPE 2.2 device names and passes over names that do not read', () => {
    const record = firmwareOnHardware({ versionEndExcluding: '9.33.2' });
    expect(matchConfigurations(device(['cpe:/o:acme:p100_firmware:9.1', 'cpe:/h:acme:p100:-', 'not a cpe']), record)?.verdict).toBe('affected');
    expect(matchConfigurations(device(['not a cpe']), record)).toBeNull();
    expect(matchConfigurations(device([]), record)).toBeNull();
  });
});
