import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCycloneDx } from '../src/feeds/cyclonedx.js';
import { parseSpdx } from '../src/feeds/spdx.js';
import { sharedFiles } from './shared-data.js';

interface RawComponent {
  'bom-ref': string;
  type: string;
  name: string;
  version?: string;
  publisher?: string;
  cpe?: string;
  purl?: string;
  components?: RawComponent[];
}

/** Every component of a raw CycloneDX tree, depth first, as the BOM nests them. */
function flatten(components: RawComponent[] | undefined): RawComponent[] {
  return (components ?? []).flatMap((c) => [c, ...flatten(c.components)]);
}

describe('parseCycloneDx on the medical device case-study SBOMs', () => {
  const files = sharedFiles('sbom/medical-device-case-study', '.json');
  it.skipIf(files.length === 0)('reads the device and every component of each SBOM', () => {
    expect(files).toHaveLength(2);
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      const raw = JSON.parse(text) as { specVersion: string; serialNumber: string; metadata: { timestamp: string; component: RawComponent & { author?: string } }; components: RawComponent[] };
      const doc = parseCycloneDx(text, path);
      expect(doc.problems).toEqual([]);
      expect(doc.sboms).toHaveLength(1);
      const sbom = doc.sboms[0]!;
      expect(sbom.specVersion).toBe(raw.specVersion);
      expect(sbom.serial).toBe(raw.serialNumber);
      expect(sbom.created).toBe(raw.metadata.timestamp);
      expect(sbom.subject).toEqual({ name: raw.metadata.component.name, type: 'device', supplier: raw.metadata.component.author });
      const expected = flatten(raw.components);
      expect(sbom.components.map((c) => c.ref)).toEqual(expected.map((c) => c['bom-ref']));
      expect(sbom.components.map((c) => c.type)).toEqual(expected.map((c) => c.type));
      expect(sbom.components.map((c) => c.supplier)).toEqual(expected.map((c) => c.publisher));
      expect(sbom.components.map((c) => [c.cpe, c.purl])).toEqual(expected.map((c) => [c.cpe, c.purl]));
      // An empty version string means "not stated".
      expect(sbom.components.map((c) => c.version)).toEqual(expected.map((c) => (c.version === '' ? undefined : c.version)));
      expect(sbom.vex).toEqual([]);
      const types = new Map<string, number>();
      for (const c of sbom.components) types.set(c.type, (types.get(c.type) ?? 0) + 1);
      console.info(`${path.split('/').pop()}: ${sbom.components.length} components ${JSON.stringify(Object.fromEntries(types))}, ${sbom.components.filter((c) => c.version === undefined).length} without a version`);
    }
  });
});

/** A CycloneDX 1.5 SBOM for an infusion pump, with nested components and VEX. */
function pumpBom(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    version: 1,
    metadata: {
      timestamp: '2024-05-01T10:00:00Z',
      manufacture: { name: 'Acme Infusion Systems' },
      component: {
        type: 'device', 'bom-ref': 'pump', name: 'SyringeFlow 300', version: '4.2',
        components: [{ type: 'firmware', 'bom-ref': 'pump-fw', name: 'SyringeFlow firmware', version: '4.2.17', supplier: { name: 'Acme Infusion Systems' } }],
      },
    },
    components: [
      {
        type: 'operating-system', 'bom-ref': 'os', name: 'FreeRTOS', version: '10.4.3', supplier: { name: 'Amazon' },
        cpe: 'cpe:2.3:o:amazon:freertos:10.4.3:*:*:*:*:*:*:*',
        components: [
          { type: 'library', 'bom-ref': 'tcp', name: 'FreeRTOS+TCP', version: '2.3.2', author: 'Amazon', purl: 'pkg:github/freertos/freertos-plus-tcp@2.3.2' },
          { type: 'cryptographic-asset', 'bom-ref': 'cert', name: 'device certificate' },
        ],
      },
      { type: 'library', 'bom-ref': 'ssl', name: 'wolfSSL', version: '4.8.1', manufacturer: { name: 'wolfSSL Inc.' }, cpe: 'cpe:2.3:a:wolfssl:wolfssl:4.8.1:*:*:*:*:*:*:*' },
      { type: 'library', 'bom-ref': 'zlib', name: 'zlib', version: '', publisher: 'Jean-loup Gailly and Mark Adler' },
    ],
    vulnerabilities: [
      { id: 'CVE-2021-31571', analysis: { state: 'not_affected', justification: 'code_not_reachable', detail: 'The TCP window scaling path is compiled out.' }, affects: [{ ref: 'tcp' }] },
      { id: 'CVE-2022-42905', analysis: { state: 'exploitable', response: ['update'] }, affects: [{ ref: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#ssl' }] },
      { id: 'CVE-2022-37434', analysis: { state: 'resolved' }, affects: [{ ref: 'zlib' }] },
      { id: 'CVE-2023-0001', analysis: { state: 'in_triage' }, affects: [{ ref: 'os' }, { ref: 'pump-fw' }] },
      { id: 'CVE-2023-0002', analysis: { state: 'false_positive', justification: 'requires_environment' }, affects: [{ ref: 'ssl' }] },
      { id: 'CVE-2023-0003', affects: [{ ref: 'os' }] },
    ],
    ...overrides,
  };
}

describe('parseCycloneDx on fixtures', () => {
  it('reads the device, nested components depth first, and suppliers from each field CycloneDX offers', () => {
    const doc = parseCycloneDx(JSON.stringify(pumpBom()), 'pump.cdx.json');
    const sbom = doc.sboms[0]!;
    expect(doc.problems).toEqual([]);
    expect(sbom.subject).toEqual({ name: 'SyringeFlow 300', version: '4.2', type: 'device', supplier: 'Acme Infusion Systems' });
    expect(sbom.components.map((c) => [c.ref, c.type, c.supplier ?? null, c.version ?? null])).toEqual([
      ['pump-fw', 'firmware', 'Acme Infusion Systems', '4.2.17'],
      ['os', 'operating-system', 'Amazon', '10.4.3'],
      ['tcp', 'library', 'Amazon', '2.3.2'],
      ['cert', 'other', null, null],
      ['ssl', 'library', 'wolfSSL Inc.', '4.8.1'],
      ['zlib', 'library', 'Jean-loup Gailly and Mark Adler', null],
    ]);
    expect(sbom.components.find((c) => c.ref === 'tcp')!.purl).toBe('pkg:github/freertos/freertos-plus-tcp@2.3.2');
    expect(sbom.source).toEqual({ feed: 'cyclonedx', file: 'pump.cdx.json', document: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79' });
  });

  it('maps CycloneDX analysis states and justifications to VEX, keeping what was written', () => {
    const vex = parseCycloneDx(JSON.stringify(pumpBom()), 'pump.cdx.json').sboms[0]!.vex;
    expect(vex).toEqual([
      { id: 'CVE-2021-31571', state: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', statedJustification: 'code_not_reachable', detail: 'The TCP window scaling path is compiled out.', affects: ['tcp'] },
      { id: 'CVE-2022-42905', state: 'affected', statedState: 'exploitable', affects: ['ssl'] },
      { id: 'CVE-2022-37434', state: 'fixed', statedState: 'resolved', affects: ['zlib'] },
      { id: 'CVE-2023-0001', state: 'under_investigation', statedState: 'in_triage', affects: ['os', 'pump-fw'] },
      { id: 'CVE-2023-0002', state: 'not_affected', statedState: 'false_positive', justification: 'vulnerable_code_cannot_be_controlled_by_adversary', statedJustification: 'requires_environment', affects: ['ssl'] },
      { id: 'CVE-2023-0003', state: 'under_investigation', affects: ['os'] },
    ]);
  });

  it('reports bad components and statements by pointer and reads the rest', () => {
    const bom = pumpBom({
      specVersion: '1.1',
      components: [
        { type: 'library', 'bom-ref': 'ok', name: 'lwIP', version: '2.1.2' },
        { type: 'library', 'bom-ref': 'nameless' },
        42,
        { 'bom-ref': 'untyped', name: 'mbedTLS', components: [{ type: 'library', name: 'no ref' }] },
      ],
      vulnerabilities: [
        { analysis: { state: 'exploitable' }, affects: [{ ref: 'ok' }] },
        { id: 'CVE-2020-1', analysis: { state: 'maybe' }, affects: [{ ref: 'ok' }] },
        { id: 'CVE-2020-2', analysis: { state: 'not_affected', justification: 'because' }, affects: [] },
      ],
    });
    const doc = parseCycloneDx(JSON.stringify(bom), 'bad.cdx.json');
    const sbom = doc.sboms[0]!;
    expect(sbom.components.map((c) => c.ref)).toEqual(['pump-fw', 'ok', 'untyped', '/components/3/components/0']);
    expect(sbom.components.find((c) => c.ref === 'untyped')!.type).toBe('other');
    expect(sbom.vex).toEqual([{ id: 'CVE-2020-2', state: 'not_affected', justification: 'because', affects: [] }]);
    expect(doc.problems.map((p) => p.place)).toEqual([
      '/specVersion',
      '/components/1/name',
      '/components/2',
      '/components/3/type',
      '/vulnerabilities/0/id',
      '/vulnerabilities/1/analysis/state',
      '/vulnerabilities/2/analysis/justification',
      '/vulnerabilities/2/affects',
    ]);
  });

  it('says so when the SBOM does not name its device, and refuses other documents', () => {
    const { metadata: _omitted, ...headless } = pumpBom();
    const doc = parseCycloneDx(JSON.stringify(headless), 'headless.json');
    expect(doc.sboms[0]!.subject).toEqual({ name: '' });
    expect(doc.problems.map((p) => p.place)).toEqual(['/metadata/component']);
    expect(parseCycloneDx('{"spdxVersion":"SPDX-2.3"}', 'x.json').problems.map((p) => p.place)).toEqual(['/bomFormat']);
    expect(parseCycloneDx('{"bomFormat": "CycloneDX",', 'x.json').problems[0]!.place).toMatch(/^line 1, column \d+$/);
  });

  it('never throws on any truncation of an SBOM', () => {
    const text = JSON.stringify(pumpBom());
    for (let end = 0; end < text.length; end += 7) {
      const doc = parseCycloneDx(text.slice(0, end), 'cut.json');
      expect(doc.sboms).toEqual([]);
      expect(doc.problems[0]!.place).toMatch(/^line \d+, column \d+$/);
    }
  });
});

/** An SPDX 2.3 document for a patient monitor, as a build tool would write it. */
function monitorSpdx(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'VitalView-M5-firmware-7.1.0',
    documentNamespace: 'https://sbom.example-medical.com/vitalview-m5/7.1.0-8c5d2f',
    creationInfo: { created: '2024-03-18T09:12:44Z', creators: ['Organization: Example Medical Devices', 'Tool: syft-1.0.1'] },
    packages: [
      {
        SPDXID: 'SPDXRef-Package-vitalview', name: 'VitalView M5', versionInfo: '7.1.0', supplier: 'Organization: Example Medical Devices',
        downloadLocation: 'NOASSERTION', primaryPackagePurpose: 'DEVICE',
      },
      {
        SPDXID: 'SPDXRef-Package-linux', name: 'linux-kernel', versionInfo: '5.10.120', supplier: 'Organization: The Linux Foundation',
        downloadLocation: 'https://kernel.org', primaryPackagePurpose: 'OPERATING-SYSTEM',
        externalRefs: [{ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:o:linux:linux_kernel:5.10.120:*:*:*:*:*:*:*' }],
      },
      {
        SPDXID: 'SPDXRef-Package-openssl', name: 'openssl', versionInfo: '1.1.1k', supplier: 'NOASSERTION', originator: 'Organization: OpenSSL Software Foundation',
        downloadLocation: 'NOASSERTION', primaryPackagePurpose: 'LIBRARY',
        externalRefs: [
          { referenceCategory: 'SECURITY', referenceType: 'cpe22Type', referenceLocator: 'cpe:/a:openssl:openssl:1.1.1k' },
          { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:generic/openssl@1.1.1k' },
        ],
      },
      {
        SPDXID: 'SPDXRef-Package-busybox', name: 'busybox', versionInfo: '1.33.1', supplier: 'Person: Denys Vlasenko (vda.linux@googlemail.com)',
        downloadLocation: 'NOASSERTION', primaryPackagePurpose: 'APPLICATION',
      },
      { SPDXID: 'SPDXRef-Package-cfg', name: 'device-config', downloadLocation: 'NOASSERTION', primaryPackagePurpose: 'SOURCE' },
    ],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Package-vitalview' },
      { spdxElementId: 'SPDXRef-Package-vitalview', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-Package-linux' },
      { spdxElementId: 'SPDXRef-Package-vitalview', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-Package-openssl' },
    ],
    ...overrides,
  };
}

describe('parseSpdx', () => {
  it('reads the described package as the device and the others as its components', () => {
    const doc = parseSpdx(JSON.stringify(monitorSpdx()), 'monitor.spdx.json');
    expect(doc.kind).toBe('spdx');
    expect(doc.problems).toEqual([]);
    const sbom = doc.sboms[0]!;
    expect(sbom).toMatchObject({ format: 'spdx', specVersion: '2.3', serial: 'https://sbom.example-medical.com/vitalview-m5/7.1.0-8c5d2f', created: '2024-03-18T09:12:44Z', vex: [] });
    expect(sbom.subject).toEqual({ name: 'VitalView M5', version: '7.1.0', supplier: 'Example Medical Devices', type: 'device' });
    expect(sbom.components).toEqual([
      { ref: 'SPDXRef-Package-linux', name: 'linux-kernel', type: 'operating-system', version: '5.10.120', supplier: 'The Linux Foundation', cpe: 'cpe:2.3:o:linux:linux_kernel:5.10.120:*:*:*:*:*:*:*' },
      { ref: 'SPDXRef-Package-openssl', name: 'openssl', type: 'library', version: '1.1.1k', supplier: 'OpenSSL Software Foundation', cpe: 'cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*', purl: 'pkg:generic/openssl@1.1.1k' },
      { ref: 'SPDXRef-Package-busybox', name: 'busybox', type: 'application', version: '1.33.1', supplier: 'Denys Vlasenko' },
      { ref: 'SPDXRef-Package-cfg', name: 'device-config', type: 'other' },
    ]);
  });

  it('finds the device of an SPDX 2.2 document through documentDescribes, and types packages without a purpose as other', () => {
    const packages = (monitorSpdx().packages as Record<string, unknown>[]).map(({ primaryPackagePurpose: _omitted, ...rest }) => rest);
    const doc = parseSpdx(JSON.stringify(monitorSpdx({ spdxVersion: 'SPDX-2.2', documentDescribes: ['SPDXRef-Package-vitalview'], relationships: [], packages })), 'm.json');
    expect(doc.problems).toEqual([]);
    expect(doc.sboms[0]!.specVersion).toBe('2.2');
    expect(doc.sboms[0]!.subject.name).toBe('VitalView M5');
    expect(new Set(doc.sboms[0]!.components.map((c) => c.type))).toEqual(new Set(['other']));
  });

  it('reports problems by pointer and reads the rest', () => {
    const doc = parseSpdx(JSON.stringify(monitorSpdx({
      relationships: [{ spdxElementId: 'SPDXRef-Package-vitalview', relationshipType: 'DESCRIBED_BY', relatedSpdxElement: 'SPDXRef-DOCUMENT' }],
      packages: [
        ...(monitorSpdx().packages as unknown[]).slice(0, 2),
        { SPDXID: 'SPDXRef-nameless' },
        'junk',
        { SPDXID: 'SPDXRef-old', name: 'old', externalRefs: [{ referenceType: 'cpe22Type', referenceLocator: 'not a cpe' }] },
      ],
    })), 'm.json');
    expect(doc.sboms[0]!.subject.name).toBe('VitalView M5');
    expect(doc.sboms[0]!.components.map((c) => c.ref)).toEqual(['SPDXRef-Package-linux', 'SPDXRef-old']);
    expect(doc.problems.map((p) => p.place)).toEqual(['/packages/2/name', '/packages/3', '/packages/4/externalRefs']);
  });

  it('says so when no package is described, and refuses other versions and documents', () => {
    const undescribed = parseSpdx(JSON.stringify(monitorSpdx({ relationships: [] })), 'u.json');
    expect(undescribed.sboms[0]!.subject).toEqual({ name: 'VitalView-M5-firmware-7.1.0' });
    expect(undescribed.sboms[0]!.components).toHaveLength(5);
    expect(undescribed.problems.map((p) => p.place)).toEqual(['/documentDescribes']);
    expect(parseSpdx('{"spdxVersion":"SPDX-3.0"}', 'x.json').problems.map((p) => p.place)).toEqual(['/spdxVersion']);
    expect(parseSpdx('{"bomFormat":"CycloneDX"}', 'x.json').sboms).toEqual([]);
    const text = JSON.stringify(monitorSpdx());
    for (let end = 0; end < text.length; end += 11) expect(parseSpdx(text.slice(0, end), 'cut.json').problems[0]!.place).toMatch(/^line \d+, column \d+$/);
  });
});
