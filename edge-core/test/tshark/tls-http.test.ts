/**
 * TLS hellos, server certificates and HTTP/1.x heads, field by field against tshark: on every
 * shared capture of device identification (devid: TLS, JA4, HTTP User-Agents, IoT vendors, DHCP,
 * discovery, LLDP/CDP, NetBIOS/SMB, …) and of medical protocols, on a dozen captures of consumer
 * medical devices (raw IP, with QUIC) and one cut short mid-packet, and on our hand-made fixtures
 * written as a capture. JA4 is
 * checked against the FoxIO reference implementation's expected output for every ClientHello.
 * What still differs is listed below, with the reason.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDissection, dissectLink } from '../../src/dissect.js';
import { ja4 } from '../../src/fingerprints/ja4.js';
import { writePcap } from '../decoders/pcap-file.js';
import { compareCapture, HAVE_TSHARK, readFrames, sharedCaptures, sharedName, skipNotice, tsharkFields, unexplained, type Exception } from './harness.js';
import { TLS_HTTP_COUNTS, TLS_HTTP_EXCEPTIONS } from './tls-http.expected.js';
import { tlsHttpExtractor, X509_NAME_FIELDS, type TlsHttpExtractor } from './tls-http.fields.js';
import { fixtureConnections } from './tls-http.fixtures.js';

/**
 * Of the consumer medical-device captures, a dozen (every device, TLS, HTTP and QUIC, raw IP and
 * Ethernet) and one whose last record is cut short.
 */
const IOMT_CAPTURES = [
  'babymonitor__wifi__2_2',
  'babymonitor__wifi__3_2',
  'fitbitfitness__wifi__3_2',
  'guardianalertsystem__4_3',
  'guardianalertsystem__7_2',
  'kardiamobile__2_2',
  'ketoscanketonemeter__wifi__2_4',
  'withing_wifi__03_03',
  'withing_wifi__12_07',
  'withingsbpm__wifi__8_3',
  'wyzescale__wifi__3_5',
  'wyzescale__wifi__4_4',
  'withing_wifi__02_07', // cut short: tshark and our reader both read the whole frames before the cut
];

const CAPTURES = [
  ...['devid', 'medical-protocols'].flatMap(sharedCaptures),
  ...sharedCaptures('iomt-devices').filter((path) => IOMT_CAPTURES.some((name) => path.endsWith(`/${name}.pcap`))),
];

/** The pseudo-field under which certificate name attributes are compared (as a multiset). */
const NAMES = 'x509sat.* (issuer and subject attribute values)';

/**
 * Frames where the certificate name attributes we read and those tshark shows differ as multisets:
 * tshark gathers X509_NAME_FIELDS from every name in the frame, we from each certificate's issuer
 * and subject.
 */
function nameDisagreements(file: string, extractor: TlsHttpExtractor, theirs: ReturnType<typeof tsharkFields>): Exception[] {
  const frames = new Set([...extractor.certificateNames.keys(), ...theirs.keys()]);
  const differ: Exception[] = [];
  for (const frame of frames) {
    const tshark = X509_NAME_FIELDS.flatMap((field) => theirs.get(frame)?.[field] ?? []).sort();
    const ours = [...(extractor.certificateNames.get(frame) ?? [])].sort();
    if (JSON.stringify(tshark) !== JSON.stringify(ours)) differ.push({ file, frame, field: NAMES, reason: `tshark ${tshark.join('|')} ours ${ours.join('|')}` });
  }
  return differ;
}

/** Runs our extractor over a capture without tshark (for JA4). */
async function extracted(path: string): Promise<TlsHttpExtractor> {
  const extractor = tlsHttpExtractor();
  const d = createDissection();
  for (const frame of await readFrames(path)) extractor.frame(frame, d, dissectLink(frame.bytes, d, frame.linkType));
  return extractor;
}

describe('TLS and HTTP agree with tshark on the shared captures', () => {
  if (!HAVE_TSHARK || CAPTURES.length === 0) {
    skipNotice('tshark TLS/HTTP comparison: tshark or ../shared/data is absent');
    it.skip('needs tshark and ../shared/data', () => undefined);
    return;
  }

  it.each(CAPTURES.map((path) => [sharedName(path), path] as const))('%s', async (name, path) => {
    const extractor = tlsHttpExtractor();
    const result = await compareCapture(path, extractor);
    // Certificate names are read again only where certificates are: ours, or tshark's countries or DNS names.
    const withCertificates = extractor.certificateNames.size > 0 || result.disagreements.some((x) => x.field.startsWith('x509'));
    const names = withCertificates ? nameDisagreements(name, extractor, tsharkFields(path, X509_NAME_FIELDS)) : [];
    const differences = [...result.disagreements, ...names.map((x) => ({ ...x, tshark: [], ours: [] }))];
    const { open, stale } = unexplained(differences, TLS_HTTP_EXCEPTIONS.filter((e) => e.file === name));
    expect(open).toEqual([]);
    expect(stale).toEqual([]);
    const counts = { compared: result.compared, certificateFrames: extractor.certificateNames.size, hellos: extractor.hellos.length };
    expect(counts).toEqual(TLS_HTTP_COUNTS[name] ?? { compared: 0, certificateFrames: 0, hellos: 0 });
  });
});

interface ExpectedStream {
  transport: string;
  src: string;
  dst: string;
  src_port: number;
  dst_port: number;
  ja4?: string;
}

/** Where our JA4 knowingly differs from the reference's expected output. */
const JA4_EXCEPTIONS: readonly { file: string; ja4: string; ours: string; reason: string }[] = [
  {
    file: 'devid/tls-ja4/tls-non-ascii-alpn.pcapng',
    ja4: 't13d151699_8daaf6152771_e5627efa2ab1',
    ours: 't13d1516bd_8daaf6152771_e5627efa2ab1',
    reason:
      'first ALPN value is the octets ba ad: the reference at this snapshot wrote "9" for each non-ASCII character; the specification now writes the first and last hex digits of a value whose ends are not ASCII letters or digits ("bd")',
  },
];

describe('JA4 agrees with the reference implementation for every ClientHello', () => {
  const captures = sharedCaptures('devid/tls-ja4').filter((path) => existsSync(`${path}.ja4-expected.json`));
  if (captures.length === 0) {
    skipNotice('JA4 comparison: ../shared/data is absent');
    it.skip('needs ../shared/data', () => undefined);
    return;
  }

  it.each(captures.map((path) => [sharedName(path), path] as const))('%s', async (name, path) => {
    const expected = (JSON.parse(readFileSync(`${path}.ja4-expected.json`, 'utf8')) as ExpectedStream[]).filter((s) => s.ja4 !== undefined);
    const { hellos } = await extracted(path);
    const differences: { ja4: string; ours: string }[] = [];
    for (const stream of expected) {
      // The reference reads the first ClientHello of a connection (a second follows a HelloRetryRequest).
      const hello = hellos.find((h) => h.transport === stream.transport && h.src === stream.src && h.srcPort === stream.src_port && h.dst === stream.dst && h.dstPort === stream.dst_port);
      const ours = hello === undefined ? 'no ClientHello' : ja4(hello.hello, hello.transport === 'udp' ? 'q' : 't').ja4;
      if (ours !== stream.ja4) differences.push({ ja4: stream.ja4 ?? '', ours });
    }
    const excepted = JA4_EXCEPTIONS.filter((e) => e.file === name).map(({ ja4: j, ours }) => ({ ja4: j, ours }));
    expect(differences).toEqual(excepted);
  });
});

describe('TLS and HTTP fixtures agree with tshark', () => {
  if (!HAVE_TSHARK) {
    skipNotice('tshark TLS/HTTP fixture comparison: tshark is absent');
    it.skip('needs tshark', () => undefined);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'wardsight-tls-http-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(fixtureConnections())('$name', async ({ name, frames, compared, exceptions }) => {
    const path = join(dir, `${name}.pcap`);
    writePcap(path, frames);
    const extractor = tlsHttpExtractor();
    const result = await compareCapture(path, extractor);
    const file = sharedName(path);
    const names = nameDisagreements(file, extractor, tsharkFields(path, X509_NAME_FIELDS));
    const differences = [...result.disagreements, ...names.map((x) => ({ ...x, tshark: [], ours: [] }))];
    const { open, stale } = unexplained(differences, exceptions.map((e) => ({ ...e, file })));
    expect(open).toEqual([]);
    expect(stale).toEqual([]);
    expect(result.compared).toBe(compared);
  });
});
