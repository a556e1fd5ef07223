/**
 * The discovery decoders against tshark on every shared device-identification and medical capture:
 * LLDP and CDP, SNMP, DHCPv6, SSH identification strings, and DHCPv4 and ARP as the older decoders
 * read them. Every disagreement must be listed below with its reason.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CDP_DEVICE_ID_ONLY, CDP_PHONE, LLDP_MANDATORY_ONLY, LLDP_SWITCH } from '../decoders/discovery-frames.js';
import { DHCPV6_RELAY_FRAME, DHCPV6_SOLICIT_FRAME } from '../decoders/dhcpv6-messages.js';
import { writePcap } from '../decoders/pcap-file.js';
import { SNMP_RESPONSE_FRAME } from '../decoders/snmp-messages.js';
import { TCP_ACK, TCP_SYN } from '../../src/decoders/tcp.js';
import { createDissection, dissectLink, L4_TCP } from '../../src/dissect.js';
import { guessOsFamily } from '../../src/fingerprints/tcp-os-families.js';
import { tcpSignature } from '../../src/fingerprints/tcp-signature.js';
import { discoveryExtractor } from './discovery.fields.js';
import { compareCapture, HAVE_TSHARK, readFrames, SHARED_DATA, sharedCaptures, sharedName, skipNotice, tsharkFields, unexplained, type Exception } from './harness.js';

const CAPTURES = [...sharedCaptures('devid'), ...sharedCaptures('medical-protocols')];

const FUZZED_DHCP = 'devid/dhcp/ndpi_dhcp-fuzz.pcapng';
const OPTION_60_OVERRUNS =
  'fuzzed DHCP: option 60 claims 49 octets past the end of the message; tshark shows the options before it and flags the packet malformed, the decoder rejects the whole message';

/** Where we knowingly differ from tshark. */
const EXCEPTIONS: Exception[] = [
  { file: FUZZED_DHCP, frame: 1, field: 'dhcp.option.dhcp', reason: OPTION_60_OVERRUNS },
  { file: FUZZED_DHCP, frame: 1, field: 'dhcp.option.hostname', reason: OPTION_60_OVERRUNS },
  { file: FUZZED_DHCP, frame: 1, field: 'dhcp.hw.mac_addr', reason: OPTION_60_OVERRUNS },
];

/** Field values compared and disagreements excepted, per capture, for the report. */
const tally = new Map<string, { compared: number; excepted: number }>();

describe('discovery decoders agree with tshark on the shared captures', () => {
  if (!HAVE_TSHARK || CAPTURES.length === 0) {
    skipNotice('tshark discovery comparison: tshark or ../shared/data is absent');
    it.skip('needs tshark and ../shared/data', () => undefined);
    return;
  }

  it.each(CAPTURES.map((path) => [sharedName(path), path] as const))('%s', async (name, path) => {
    const result = await compareCapture(path, discoveryExtractor());
    const { open, stale } = unexplained(result.disagreements, EXCEPTIONS.filter((x) => x.file === name));
    tally.set(name, { compared: result.compared, excepted: result.disagreements.length - open.length });
    expect(open.slice(0, 8)).toEqual([]);
    expect(stale).toEqual([]);
  });

  it('lists exceptions only for captures that are compared', () => {
    const names = new Set(CAPTURES.map(sharedName));
    expect(EXCEPTIONS.filter((x) => !names.has(x.file))).toEqual([]);
  });

  it('reports the field values compared per capture', () => {
    const report = [...tally].filter(([, t]) => t.compared > 0).map(([n, t]) => `${n}: ${t.compared} compared, ${t.excepted} excepted`);
    console.log(report.join('\n'));
    expect(report.length).toBeGreaterThan(10);
  });
});

describe('the hand-made discovery fixtures read the same in tshark', () => {
  if (!HAVE_TSHARK) {
    skipNotice('tshark discovery fixture check: tshark is absent');
    it.skip('needs tshark', () => undefined);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'wardsight-discovery-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('agrees on every field of every fixture', async () => {
    const path = join(dir, 'fixtures.pcap');
    writePcap(path, [LLDP_SWITCH, LLDP_MANDATORY_ONLY, CDP_PHONE, CDP_DEVICE_ID_ONLY, SNMP_RESPONSE_FRAME, DHCPV6_SOLICIT_FRAME, DHCPV6_RELAY_FRAME]);
    const result = await compareCapture(path, discoveryExtractor());
    expect(result.disagreements).toEqual([]);
    expect(result.compared).toBe(30);
  });
});

/** Captures whose first SYN comes from a known OS family (SOURCES.md), and that family. */
const SYN_SENDERS: readonly (readonly [capture: string, family: string])[] = [
  ['devid/tls-ja4/macos_tcp_flags.pcap', 'macOS/iOS'],
  ['devid/tls-ja4/latest.pcapng', 'Windows'],
  ['devid/http-ua/ndpi_android.pcap', 'Linux/Android'],
  ['devid/tls/zeek_tls_openjdk-25.0.2-zeek.org.pcap', 'Linux/Android'],
];
const SYN_FIELDS = ['tcp.window_size_value', 'tcp.options.mss_val', 'tcp.options.wscale.shift'];

describe('TCP SYN signatures of the shared captures', () => {
  const present = SYN_SENDERS.filter(([capture]) => existsSync(join(SHARED_DATA, capture)));
  if (!HAVE_TSHARK || present.length === 0) {
    skipNotice('TCP SYN signature check: tshark or ../shared/data is absent');
    it.skip('needs tshark and ../shared/data', () => undefined);
    return;
  }
  it.each(present)('%s: the first SYN is %s, its fields as tshark reads them', async (capture, family) => {
    const path = join(SHARED_DATA, capture);
    const d = createDissection();
    const syn = (await readFrames(path)).find((f) => dissectLink(f.bytes, d, f.linkType) && d.l4 === L4_TCP && (d.tcpFlags & (TCP_SYN | TCP_ACK)) === TCP_SYN);
    expect(syn).toBeDefined();
    if (syn === undefined) return;
    const signature = tcpSignature(syn.bytes, d.l4Offset, syn.bytes.length, d.ttl);
    expect(signature && guessOsFamily(signature)?.family).toBe(family);
    const theirs = tsharkFields(path, SYN_FIELDS).get(syn.number);
    expect(theirs).toEqual({
      'tcp.window_size_value': [`${signature?.window}`],
      'tcp.options.mss_val': [`${signature?.mss}`],
      'tcp.options.wscale.shift': [`${signature?.windowScale}`],
    });
  });
});
