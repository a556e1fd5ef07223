/**
 * The pure parts of risk, each fed records the test builds: segments, the service a flaw lies in,
 * reach, impact, the entry's score and mitigations, unsupported operating systems, the candidate
 * index, the pre-purchase assessment, the maker's record and the supplier scorecard.
 */
import { describe, expect, it } from 'vitest';
import type { AdvisoryRecord, Mds2Record, SbomRecord, VulnerabilityRecord } from '@wardsight/vulns';
import { assessModel } from '../src/risk/assessment.js';
import { CandidateIndex, cpeVendor } from '../src/risk/candidates.js';
import { bestCvssOf } from '../src/risk/cvss-choice.js';
import { mitigationsFor, remediationsFor, scoreOf } from '../src/risk/entry.js';
import type { DeviceExposure } from '../src/risk/exposure.js';
import { impactOf } from '../src/risk/impact.js';
import { makerRecord, type MakerRecord } from '../src/risk/maker-record.js';
import { unsupportedOs } from '../src/risk/os-support.js';
import { reachOf, type ReachVerdict } from '../src/risk/reach.js';
import { SegmentMap } from '../src/risk/segments.js';
import { affectedService } from '../src/risk/services.js';
import { scorecard } from '../src/risk/suppliers.js';
import type { VulnerabilityEntry } from '../src/vulns/library.js';
import { affectedProduct, statement } from './vuln-fixtures.js';

const CRITICAL_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const MEDIUM_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N';
const said = (title: string, cwes: string[] = []): VulnerabilityRecord[] => [statement({ id: 'CVE-2099-2000', title, cwes })];
const scored = (vector: string, source = 'cisa-csaf') => bestCvssOf([statement({ id: 'CVE-2099-2000', cvss: [{ version: '3.1', vector, source }] })], ['3.1']);

describe('SegmentMap', () => {
  const map = new SegmentMap([
    { name: 'workstations', blocks: ['10.30.0.0/16'] },
    { name: 'pumps', blocks: ['10.40.1.0/24', '10.40.2.0/24'] },
  ]);

  it('names configured blocks, else the /24, and calls only public addresses the internet', () => {
    expect(['10.30.200.7', '10.40.2.9', '10.50.3.4', '8.8.8.8', '::1'].map((a) => map.segmentOf(a))).toEqual(['workstations', 'pumps', '10.50.3.0/24', 'internet', 'unknown']);
    const notInternet = ['10.1.1.1', '172.16.5.5', '172.31.255.255', '192.168.1.1', '127.0.0.1', '169.254.10.10', '100.64.0.1', '100.127.255.254', '224.0.0.251', '239.255.255.250', '0.1.2.3', '::1'];
    expect(notInternet.filter((a) => map.isInternet(a))).toEqual([]);
    expect(['8.8.8.8', '172.32.0.1', '100.128.0.1', '192.169.0.1'].filter((a) => map.isInternet(a))).toHaveLength(4);
    expect(new SegmentMap().segmentOf('10.30.200.7')).toBe('10.30.200.0/24');
  });

  it('refuses a block that is not an IPv4 CIDR, naming the segment and the block', () => {
    for (const block of ['10.40.1.0/33', '10.40.1.0', 'pumps/24', '300.1.1.1/24', '10.0.0.0/8/9', 'fe80::/10']) {
      expect(() => new SegmentMap([{ name: 'pumps', blocks: [block] }]), block).toThrow(`segment pumps: ${block} is not an IPv4 CIDR block`);
    }
  });
});

describe('affectedService', () => {
  it('reads the service from the words and from web CWEs', () => {
    expect(affectedService(said('Cross-site scripting in the web interface'))).toEqual({ names: ['web interface'], services: ['tcp/80', 'tcp/443', 'tcp/8080', 'tcp/8443'], offNetwork: null });
    expect(affectedService(said('Improper neutralisation of input', ['CWE-89']))).toEqual({ names: ['web interface'], services: ['tcp/80', 'tcp/443', 'tcp/8080', 'tcp/8443'], offNetwork: null });
    expect(affectedService(said('Improper neutralisation of input', ['CWE-787'])).names).toEqual([]);
    expect(affectedService(said('Hard-coded credentials for the Telnet service'))).toMatchObject({ names: ['Telnet'], services: ['tcp/23'] });
    expect(affectedService(said('SMBv1 remote code execution (EternalBlue)'))).toMatchObject({ names: ['SMB'], services: ['tcp/445', 'tcp/139'] });
    expect(affectedService(said('The DICOM listener accepts any calling AE title'))).toMatchObject({ names: ['DICOM'], services: ['tcp/104', 'tcp/11112', 'tcp/4242'] });
    expect(affectedService(said('HL7 MLLP listener crashes on a long segment'))).toMatchObject({ names: ['HL7'], services: ['tcp/2575', 'tcp/6661'] });
    expect(affectedService(said('Memory corruption in the dose calculation'))).toEqual({ names: [], services: [], offNetwork: null });
  });

  it('takes SFTP for SSH, not for FTP', () => {
    expect(affectedService(said('The SFTP server accepts any client key'))).toMatchObject({ names: ['SSH'], services: ['tcp/22'] });
    expect(affectedService(said('Anonymous FTP login allowed'))).toMatchObject({ names: ['FTP'], services: ['tcp/21'] });
  });

  it('marks radio and physical paths; physical only where no network service is named', () => {
    expect(affectedService(said('Bluetooth Low Energy pairing without authentication')).offNetwork).toBe('radio');
    expect(affectedService(said('Unencrypted RF telemetry between the implant and the programmer')).offNetwork).toBe('radio');
    expect(affectedService(said('An attacker with physical access can read the USB port'))).toEqual({ names: [], services: [], offNetwork: 'physical' });
    expect(affectedService(said('With physical access an attacker can enable Telnet')).offNetwork).toBeNull();
  });
});

describe('reachOf', () => {
  const exposure: DeviceExposure = {
    device: 'mac:00:50:c2:00:00:01',
    segment: 'pumps',
    firstSeen: '2024-05-01T10:00:00.000Z',
    lastSeen: '2024-05-01T10:05:00.000Z',
    services: {
      'tcp/443': { service: 'tcp/443', app: 'tls', clients: { workstations: { lastSeen: '2024-05-01T10:05:00.000Z', peers: 2 }, pharmacy: { lastSeen: '2024-05-01T10:05:00.000Z', peers: 1 }, pumps: { lastSeen: '2024-05-01T10:05:00.000Z', peers: 1 } } },
      'tcp/23': { service: 'tcp/23', clients: { pumps: { lastSeen: '2024-05-01T10:05:00.000Z', peers: 1 } } },
      'tcp/104': { service: 'tcp/104', app: 'dicom', clients: { internet: { lastSeen: '2024-05-01T10:05:00.000Z', peers: 1 }, imaging: { lastSeen: '2024-05-01T10:05:00.000Z', peers: 1 } } },
    },
  };
  const web = affectedService(said('Web interface accepts unauthenticated uploads'));
  const telnet = affectedService(said('Telnet with a fixed password'));
  const dicom = affectedService(said('DICOM association without authentication'));
  const ssh = affectedService(said('SSH daemon with a default key'));
  const verdict = (r: ReachVerdict) => [r.reach, r.because.join(' ')];

  it('gives no path for physical and local vectors and for radio or cable flaws, whatever the exposure', () => {
    expect(verdict(reachOf('physical', web, exposure))).toEqual(['no-path', 'needs physical access to the device; the network gives no path']);
    expect(verdict(reachOf('local', web, exposure))).toEqual(['no-path', 'needs local access (a user or program on the device); no network path by itself']);
    expect(verdict(reachOf('network', affectedService(said('Bluetooth pairing flaw')), exposure))[1]).toMatch(/radio link/);
    expect(verdict(reachOf('network', affectedService(said('Debug port left open: physical access')), exposure))[1]).toMatch(/cable or port/);
  });

  it('says unknown while no traffic of the device is summarised', () => {
    expect(verdict(reachOf('network', web, undefined))).toEqual(['unknown', 'no traffic of the device has been summarised yet; its exposure is not known']);
  });

  it('tells internet, other segments, own segment only and never seen apart, with the services and segments', () => {
    const internet = reachOf('network', dicom, exposure);
    expect(internet).toEqual({ reach: 'internet', because: ['tcp/104 (dicom) answered clients on the internet'], services: ['tcp/104'], fromSegments: ['imaging'] });
    const reachable = reachOf('network', web, exposure);
    expect(reachable).toEqual({ reach: 'reachable', because: ['tcp/443 (tls) answered clients from pharmacy, workstations'], services: ['tcp/443'], fromSegments: ['pharmacy', 'workstations'] });
    expect(verdict(reachOf('network', telnet, exposure))).toEqual(['segment-only', 'tcp/23 answered clients only from its own segment (pumps)']);
    expect(verdict(reachOf('network', ssh, exposure))).toEqual(['no-path', 'the SSH service was never seen in use on this device: no client reached tcp/22']);
    // A flaw whose words name no service is reached through any service the device exposes.
    expect(reachOf(null, affectedService(said('Memory corruption')), exposure)).toMatchObject({ reach: 'internet', services: ['tcp/443', 'tcp/23', 'tcp/104'] });
  });

  it('keeps an adjacent-vector flaw to the own segment, served or not', () => {
    expect(verdict(reachOf('adjacent', web, exposure))).toEqual(['segment-only', "needs an attacker on the device's own segment (pumps); it serves tcp/443 (tls)"]);
    expect(verdict(reachOf('adjacent', ssh, exposure))).toEqual(['segment-only', "needs an attacker on the device's own segment (pumps); no client was seen reaching it"]);
  });
});

describe('impactOf', () => {
  it('takes the level from the clinical function', () => {
    const cases = ['ventilator', 'infusion-pump', 'patient-monitor', 'pacs', 'printer', null].map((c) => [c, impactOf(c, null).level, impactOf(c, null).function]);
    expect(cases).toEqual([
      ['ventilator', 'Critical', 'life-sustaining'],
      ['infusion-pump', 'High', 'therapy'],
      ['patient-monitor', 'High', 'diagnosis'],
      ['pacs', 'Medium', 'phi'],
      ['printer', 'Low', 'support'],
      [null, 'Low', 'support'],
    ]);
    expect(impactOf('printer', null).because).toEqual(['printer: no clinical function → Low']);
    expect(impactOf(null, null).because).toEqual(['kind of device unknown → Low']);
  });

  it('lets the CMMS criticality raise the level, never lower it', () => {
    expect(impactOf('infusion-pump', 'critical')).toEqual({ level: 'Critical', function: 'therapy', criticality: 'critical', because: ['infusion-pump: therapy function → High', 'asset register criticality critical → Critical'] });
    expect(impactOf('printer', 'medium').level).toBe('Medium');
    expect(impactOf('ventilator', 'low')).toMatchObject({ level: 'Critical', criticality: 'low' });
    expect(impactOf('pacs', 'vital').level).toBe('Medium');
  });
});

describe('scoreOf, remediationsFor and mitigationsFor', () => {
  const reach = (r: ReachVerdict['reach'], services: string[] = [], fromSegments: string[] = []): ReachVerdict => ({ reach: r, because: [], services, fromSegments });
  const fix = { category: 'vendor_fix' as const, details: 'Update to 3.2.2 or later.' };
  const mitigation = { category: 'mitigation' as const, details: 'Restrict the web interface to the pharmacy workstation.' };
  const web = affectedService(said('Web interface flaw'));
  const telnet = affectedService(said('Telnet with a fixed password'));

  it('multiplies severity, likelihood and impact, and takes the middle of the scale without a vector', () => {
    expect(scoreOf(scored(CRITICAL_VECTOR), 'Medium', impactOf('infusion-pump', null))).toEqual({ score: 58.3, components: { severity: 0.98, likelihood: 0.7, impact: 0.85 } });
    expect(scoreOf(null, 'Low', impactOf('printer', null))).toEqual({ score: 7, components: { severity: 0.5, likelihood: 0.35, impact: 0.4 } });
    expect(scoreOf(scored(CRITICAL_VECTOR), 'High', impactOf('ventilator', null)).score).toBe(98);
  });

  it('keeps the remediations of the matched product and drops repeated texts', () => {
    const statements = [
      statement({ id: 'CVE-2099-2000', remediations: [{ ...fix, productIds: ['P1'] }, { category: 'vendor_fix', details: 'Update to 9.0.', productIds: ['P2'] }, mitigation] }),
      statement({ id: 'CVE-2099-2000', remediations: [{ ...fix }] }),
    ];
    expect(remediationsFor(statements, new Set(['P1'])).map((r) => r.details)).toEqual([fix.details, mitigation.details]);
    expect(remediationsFor(statements, new Set()).map((r) => r.details)).toEqual([fix.details, 'Update to 9.0.', mitigation.details]);
  });

  it('patches first, then blocks the port from the segments clients came from', () => {
    expect(mitigationsFor([mitigation, fix], reach('reachable', ['tcp/443'], ['pharmacy', 'workstations']), web)).toEqual([
      { action: 'patch', text: "Apply the maker's fix: Update to 3.2.2 or later." },
      { action: 'block-port', text: 'Allow tcp/443 only from the systems that need it; block it from pharmacy, workstations' },
      { action: 'mitigate', text: `Maker's mitigation: ${mitigation.details}` },
    ]);
    expect(mitigationsFor([fix], reach('internet', ['tcp/443']), web).map((m) => m.text)).toEqual(["Apply the maker's fix: Update to 3.2.2 or later.", 'Block tcp/443 of this device from the internet at the perimeter firewall']);
  });

  it('disables a legacy service on a path, segments without a fix, and monitors when nothing applies', () => {
    expect(mitigationsFor([], reach('reachable', ['tcp/23'], ['workstations']), telnet).map((m) => m.action)).toEqual(['block-port', 'disable-service', 'segment']);
    expect(mitigationsFor([], reach('segment-only', ['tcp/23']), telnet).map((m) => [m.action, m.text])).toEqual([['disable-service', 'Disable Telnet on the device if its function allows']]);
    expect(mitigationsFor([], reach('no-path'), telnet).map((m) => m.action)).toEqual(['monitor']);
    expect(mitigationsFor([], reach('unknown'), web).map((m) => m.action)).toEqual(['segment']);
    expect(mitigationsFor([fix], reach('no-path'), web).map((m) => m.action)).toEqual(['patch']);
  });
});

describe('unsupportedOs', () => {
  it('names releases past their end of support on the day asked, and never a supported one', () => {
    const at = '2026-01-01T00:00:00.000Z';
    expect(unsupportedOs('Microsoft Windows XP Professional SP3', at)).toBe('Windows XP');
    expect(unsupportedOs('XP Embedded', at)).toBe('Windows XP');
    expect(unsupportedOs('Windows Server 2008 R2 Standard', at)).toBe('Windows Server 2008');
    expect(unsupportedOs('Windows 10 Enterprise 21H2', '2025-10-13T23:59:59.000Z')).toBeNull();
    expect(unsupportedOs('Windows 10 Enterprise 21H2', '2025-10-14T00:00:00.000Z')).toBe('Windows 10');
    expect(unsupportedOs('Windows 8.1', '2022-12-31T00:00:00.000Z')).toBeNull();
    expect(unsupportedOs('Windows 8.1', at)).toBe('Windows 8.1');
    for (const supported of ['Windows 10 Enterprise LTSC 2019', 'Windows 10 IoT Enterprise LTSC 2021', 'Windows 11 Pro', 'Microsoft SQL Server 2008 R2', 'Ubuntu 22.04']) {
      expect(unsupportedOs(supported, at), supported).toBeNull();
    }
  });
});

const ACME = 'Acme Medical';
const entry = (id: string, statements: VulnerabilityRecord[], extra: Partial<VulnerabilityEntry> = {}): VulnerabilityEntry => ({ id, statements, ...extra });

describe('CandidateIndex', () => {
  const pump = entry('CVE-2099-3001', [statement({ id: 'CVE-2099-3001', products: [affectedProduct(ACME, 'InfuCare 300')] })]);
  const monitor = entry('CVE-2099-3002', [statement({ id: 'CVE-2099-3002', products: [affectedProduct('Philips', 'IntelliVue MX40')] })]);
  const fixedOnly = entry('CVE-2099-3003', [statement({ id: 'CVE-2099-3003', products: [affectedProduct('Zeta Imaging', 'Z1', { status: 'fixed' })] })]);
  const ssl = entry('CVE-2099-3004', [
    statement({
      id: 'CVE-2099-3004',
      configurations: [{ operator: 'OR', negate: false, nodes: [{ operator: 'OR', negate: false, cpeMatch: [], children: [{ operator: 'OR', negate: false, children: [], cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:a:wolfssl:wolfssl:*:*:*:*:*:*:*:*', versionEndExcluding: '5.0.0' }] }] }] }],
    }),
  ]);
  const gateway = entry('CVE-2099-3005', [statement({ id: 'CVE-2099-3005', products: [affectedProduct('GE Healthcare', 'CARESCAPE Gateway')] })]);
  const index = new CandidateIndex([pump, monitor, fixedOnly, ssl, gateway]);
  const ids = (found: Set<VulnerabilityEntry>) => [...found].map((e) => e.id).sort();

  it("gives a device only its maker's vulnerabilities, whatever the spelling of the maker", () => {
    expect(ids(index.candidates({ vendor: ACME, cpes: [], software: [] }))).toEqual(['CVE-2099-3001']);
    expect(ids(index.candidates({ vendor: 'ACME MEDICAL, Inc.', cpes: [], software: [] }))).toEqual(['CVE-2099-3001']);
    expect(ids(index.candidates({ vendor: 'Zeta Imaging', cpes: [], software: [] }))).toEqual([]);
    expect(ids(index.candidates({ vendor: 'Nobody', cpes: [], software: [] }))).toEqual([]);
  });

  it('finds NVD configurations by CPE vendor, statements by a folded CPE vendor, and SBOM components by their makers', () => {
    expect(ids(index.candidates({ cpes: ['cpe:2.3:a:wolfssl:wolfssl:4.8.1:*:*:*:*:*:*:*'], software: [] }))).toEqual(['CVE-2099-3004']);
    expect(ids(index.candidates({ cpes: ['cpe:2.3:h:ge_healthcare:carescape_gateway:-:*:*:*:*:*:*:*'], software: [] }))).toEqual(['CVE-2099-3005']);
    const withSbom = { vendor: 'Philips', cpes: [], software: [{ product: 'wolfSSL', vendor: 'wolfSSL Inc.', cpe: 'cpe:2.3:a:wolfssl:wolfssl:4.8.1:*:*:*:*:*:*:*', from: 'sbom:x' }, { product: 'dose engine', vendor: ACME, from: 'sbom:x' }] };
    expect(ids(index.candidates(withSbom))).toEqual(['CVE-2099-3001', 'CVE-2099-3002', 'CVE-2099-3004']);
  });

  it('reads the CPE vendor field, and none from a wildcard', () => {
    expect([cpeVendor('cpe:2.3:a:WolfSSL:wolfssl:*:*:*:*:*:*:*:*'), cpeVendor('cpe:2.3:a:*:wolfssl:*:*:*:*:*:*:*:*'), cpeVendor('cpe:2.3:a:-:x:*:*:*:*:*:*:*:*')]).toEqual(['wolfssl', null, null]);
  });
});

/** A maker's record with nothing against it; each test changes what it needs. */
function record(change: Partial<MakerRecord> = {}): MakerRecord {
  return {
    vendor: ACME,
    advisories: [],
    cves: 0,
    kev: [],
    fixRate: 1,
    medianDaysToFix: 0,
    sbom: { available: true, documents: ['urn:uuid:1'] },
    mds2: { available: true, documents: [] },
    unsupportedOs: { inAdvisories: [], onNetwork: [] },
    ...change,
  };
}

describe('assessModel', () => {
  const medium = entry('CVE-2099-4001', [statement({ id: 'CVE-2099-4001', title: 'Information leak', cvss: [{ version: '3.1', vector: MEDIUM_VECTOR, source: 'cisa-csaf' }], advisories: ['ICSMA-99-004-01'], remediations: [{ category: 'vendor_fix', details: 'Update to 2.0.' }] })]);
  const match = { basis: 'csaf' as const, verdict: 'version-unknown' as const, text: 'InfuCare 500, every version', vendor: ACME, product: 'InfuCare 500', versions: '<= 1.9', deviceProduct: 'InfuCare 500' };
  const maker = record({ fixRate: 0.5, advisories: [], sbom: { available: false, documents: [] } });
  const input = { vendor: ACME, model: 'InfuCare 500', matches: [{ entry: medium, match }], maker, deployed: { units: 0, versions: [] } };

  it('weighs the parts, and a part with nothing known passes its weight on to the others', () => {
    const alone = assessModel({ ...input, behaviour: null });
    expect(alone.components.vulnerabilities).toMatchObject({ score: 53, weight: 0.5 });
    expect(alone.components.maker).toMatchObject({ score: 35, weight: 0.3 });
    expect(alone.components.behaviour).toEqual({ score: null, weight: 0.2, because: ['no unit of this model has been learnt on this network'] });
    expect(alone.score).toBe(46.3);
    expect(alone.level).toBe('Medium');
    expect(alone.vulnerabilities).toEqual([{ id: 'CVE-2099-4001', title: 'Information leak', cvss: expect.objectContaining({ score: 5.3, vector: MEDIUM_VECTOR }), kev: false, epss: null, match, advisories: ['ICSMA-99-004-01'], remediation: 'Update to 2.0.' }]);

    const learnt = { model: `${ACME} / InfuCare 500`, units: 2, protocols: ['tls', 'telnet'], served: ['tcp/23', 'tcp/443'], clinicalPeers: {}, floors: ['2'], meanBytesPerHour: 1000, internetTraffic: false };
    const all = assessModel({ ...input, behaviour: learnt });
    expect(all.components.behaviour).toMatchObject({ score: 40, because: ['2 units learnt; serves tcp/23, tcp/443', 'clear-text services: tcp/23'] });
    expect(all.score).toBe(45);
  });

  it('cuts the score into levels, from a model with nothing known against it to one exploited in the wild', () => {
    const clean = assessModel({ ...input, matches: [], maker: record(), behaviour: null });
    expect([clean.score, clean.level, clean.components.vulnerabilities.because]).toEqual([0, 'Low', ['no published vulnerability matches this model']]);
    const exploited = entry('CVE-2099-4002', [statement({ id: 'CVE-2099-4002', cvss: [{ version: '3.1', vector: CRITICAL_VECTOR, source: 'nvd' }] })], { epss: { cve: 'CVE-2099-4002', epss: 0.4, percentile: 0.99 }, kev: { cve: 'CVE-2099-4002', vendorProject: ACME, product: 'InfuCare', name: 'flaw', dateAdded: '2024-04-01', dueDate: '2024-04-22', requiredAction: 'patch', knownRansomwareCampaignUse: false, notes: '', cwes: [] } });
    const worst = assessModel({ ...input, matches: [{ entry: exploited, match }, { entry: medium, match }], maker: record({ fixRate: 0, sbom: { available: false, documents: [] }, mds2: { available: false, documents: [] }, unsupportedOs: { inAdvisories: ['Windows XP'], onNetwork: [] } }), behaviour: null });
    expect(worst.components.vulnerabilities.score).toBe(100);
    expect(worst.components.maker.score).toBe(100);
    expect([worst.score, worst.level]).toEqual([100, 'Critical']);
    expect(worst.vulnerabilities.map((v) => v.id)).toEqual(['CVE-2099-4002', 'CVE-2099-4001']);
  });
});

describe('scorecard', () => {
  const footprint = { devices: 3, models: ['InfuCare 300'], openFindings: 2, highestDeviceRisk: 0 };
  const grade = (r: MakerRecord, risk = 0) => {
    const card = scorecard(r, { ...footprint, highestDeviceRisk: risk });
    return [card.score, card.grade];
  };

  it('grades in fifths from what is on record and the risk here', () => {
    expect(scorecard(record(), footprint)).toMatchObject({ score: 100, grade: 'A', because: ['nothing against it on record'], devices: 3, openFindings: 2 });
    expect(grade(record({ fixRate: null, sbom: { available: false, documents: [] }, mds2: { available: false, documents: [] } }))).toEqual([80, 'A']);
    expect(grade(record({ fixRate: null, sbom: { available: false, documents: [] }, mds2: { available: false, documents: [] } }), 50)).toEqual([65, 'B']);
    expect(grade(record({ fixRate: 0.5, kev: ['CVE-1'] }), 50)).toEqual([60, 'B']);
    expect(grade(record({ fixRate: 0.5, kev: ['CVE-1', 'CVE-2', 'CVE-3'], unsupportedOs: { inAdvisories: ['Windows XP'], onNetwork: [] } }))).toEqual([50, 'C']);
    expect(grade(record({ fixRate: 0, kev: ['CVE-1', 'CVE-2'], sbom: { available: false, documents: [] }, mds2: { available: false, documents: [] } }))).toEqual([30, 'D']);
    const worst = scorecard(record({ fixRate: 0, kev: ['CVE-1', 'CVE-2'], sbom: { available: false, documents: [] }, mds2: { available: false, documents: [] }, unsupportedOs: { inAdvisories: [], onNetwork: [{ device: 'd', os: 'Windows XP' }] } }), { ...footprint, highestDeviceRisk: 72.5 });
    expect([worst.score, worst.grade, worst.unsupportedOs]).toEqual([0, 'E', 1]);
    expect(worst.because).toEqual(['100 % of advisories without a fix', '2 vulnerabilities exploited in the wild', 'no SBOM', 'no MDS2 form', '1 products or devices on unsupported operating systems', 'a device here at risk 72.5']);
  });
});

describe('makerRecord', () => {
  const advisory = (id: string, vendor: string, published: string, updated: string, cves: string[]): AdvisoryRecord => ({ id, title: `${vendor} advisory`, publisher: 'CISA', vendors: [vendor], published, updated, revision: '1', cves, source: { feed: 'csaf', file: `${id}.json`, document: id } });
  const withFix = (id: string, advisoryId: string, fixed: boolean, products = [affectedProduct(ACME, 'InfuCare 300')]) =>
    statement({ id, advisories: [advisoryId], products, remediations: fixed ? [{ category: 'vendor_fix', details: 'Update.' }] : [{ category: 'mitigation', details: 'Isolate.' }] });
  const kev = { cve: 'CVE-2099-5002', vendorProject: ACME, product: 'InfuCare', name: 'flaw', dateAdded: '2024-04-01', dueDate: '2024-04-22', requiredAction: 'patch', knownRansomwareCampaignUse: false, notes: '', cwes: [] };
  const entries = new Map([
    ['CVE-2099-5001', entry('CVE-2099-5001', [withFix('CVE-2099-5001', 'ICSMA-99-005-01', true)])],
    ['CVE-2099-5002', entry('CVE-2099-5002', [withFix('CVE-2099-5002', 'ICSMA-99-005-02', false)], { kev })],
    ['CVE-2099-5003', entry('CVE-2099-5003', [withFix('CVE-2099-5003', 'ICSMA-99-005-03', true, [affectedProduct(ACME, 'InfuCare Workstation / Windows XP')])])],
    ['CVE-2099-5004', entry('CVE-2099-5004', [statement({ id: 'CVE-2099-5004', products: [affectedProduct('ACME MEDICAL INC', 'InfuCare 300')] })])],
    ['CVE-2099-5005', entry('CVE-2099-5005', [withFix('CVE-2099-5005', 'ICSMA-99-006-01', false, [affectedProduct('Philips', 'IntelliVue')])])],
  ]);
  const sbom = (serial: string, supplier: string): SbomRecord => ({ format: 'cyclonedx', specVersion: '1.5', serial, subject: { name: 'InfuCare 300', supplier }, components: [], vex: [], source: { feed: 'cyclonedx', file: 'x.json', document: serial } });
  const form: Mds2Record = {
    manufacturer: 'ACME MEDICAL',
    model: 'InfuCare 300',
    documentId: 'MDS2-77',
    answers: [
      { id: 'SBOM-1', section: 'SBOM', question: 'Is the SBOM for this product available?', value: 'yes', raw: 'Yes' },
      { id: 'CONN-6', section: 'CONN', question: 'Does the device require an internet connection for its intended use?', value: 'no', raw: 'No' },
      { id: 'ALOF-2', section: 'ALOF', question: 'Is the length of inactivity time before auto-logoff configurable?', value: 'yes', raw: 'Yes' },
    ],
    source: { feed: 'mds2', file: 'mds2.xlsx', document: 'MDS2-77' },
  };
  const facts = {
    advisories: [
      advisory('ICSMA-99-005-01', ACME, '2024-01-10T00:00:00.000Z', '2024-03-01T00:00:00.000Z', ['CVE-2099-5001']),
      advisory('ICSMA-99-005-02', ACME, '2024-02-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z', ['CVE-2099-5002']),
      advisory('ICSMA-99-005-03', 'Acme Medical Inc.', '2023-06-01T00:00:00.000Z', '2023-06-11T00:00:00.000Z', ['CVE-2099-5003']),
      advisory('ICSMA-99-006-01', 'Philips', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', ['CVE-2099-5005']),
    ],
    entries,
    sboms: [sbom('urn:uuid:acme', 'Acme Medical Inc.'), sbom('urn:uuid:other', 'Philips')],
    mds2: [form, { ...form, manufacturer: 'Philips' }],
    devices: [
      { device: 'mac:00:00:00:00:00:01', vendor: ACME, os: 'Windows 7 Professional' },
      { device: 'mac:00:00:00:00:00:02', vendor: ACME, os: 'Windows 10 IoT Enterprise LTSC 2021' },
      { device: 'mac:00:00:00:00:00:03', vendor: 'Philips', os: 'Windows XP' },
      { device: 'mac:00:00:00:00:00:04', vendor: null, os: 'Windows XP' },
    ],
  };

  it("counts the maker's advisories, fixes, days to fix and exploited vulnerabilities", () => {
    const r = makerRecord(ACME, facts);
    expect(r.advisories.map((a) => [a.id, a.fix, a.daysToFix])).toEqual([
      ['ICSMA-99-005-02', false, null],
      ['ICSMA-99-005-01', true, 51],
      ['ICSMA-99-005-03', true, 10],
    ]);
    expect([r.cves, r.kev, r.fixRate, r.medianDaysToFix]).toEqual([4, ['CVE-2099-5002'], 0.67, 30.5]);
  });

  it("finds the maker's SBOMs and MDS2 facts, and unsupported systems in advisories and on the network", () => {
    const r = makerRecord(ACME, facts);
    expect(r.sbom).toEqual({ available: true, documents: ['urn:uuid:acme'] });
    expect(r.mds2).toEqual({
      available: true,
      documents: [{ model: 'InfuCare 300', documentId: 'MDS2-77', facts: [{ id: 'CONN-6', answer: 'no', question: form.answers[1]!.question }, { id: 'SBOM-1', answer: 'yes', question: form.answers[0]!.question }] }],
    });
    expect(r.unsupportedOs).toEqual({ inAdvisories: ['Windows XP'], onNetwork: [{ device: 'mac:00:00:00:00:00:01', os: 'Windows 7 Professional' }] });
    const none = makerRecord('Nobody Ltd', facts);
    expect([none.advisories.length, none.cves, none.fixRate, none.medianDaysToFix, none.sbom.available, none.mds2.available]).toEqual([0, 0, null, null, false, false]);
  });
});

describe('bestCvssOf', () => {
  it("prefers the advisory's vector, passes over an invalid one, and keeps a stated score only where it differs", () => {
    const statements = [
      statement({ id: 'CVE-2099-6001', source: { feed: 'nvd', file: 'n.json', document: 'CVE-2099-6001' }, cvss: [{ version: '3.1', vector: CRITICAL_VECTOR, source: 'nvd', statedScore: 9.8 }] }),
      statement({ id: 'CVE-2099-6001', cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L', source: 'cisa-csaf' }, { version: '3.1', vector: MEDIUM_VECTOR, source: 'cna', statedScore: 6.1 }] }),
    ];
    expect(bestCvssOf(statements, ['3.1'])).toMatchObject({ vector: MEDIUM_VECTOR, score: 5.3, source: 'cna', statedScore: 6.1 });
    expect(bestCvssOf(statements.slice(0, 1), ['3.1'])).not.toHaveProperty('statedScore');
    expect(bestCvssOf(statements, ['4.0'])).toBeNull();
  });
});
