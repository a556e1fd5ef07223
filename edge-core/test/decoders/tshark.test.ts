/**
 * Cross-check against Wireshark's dissectors: the fixtures are written to a pcap, read back with
 * tshark, and its field values compared with ours. Skipped, with a notice, where tshark is absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decode as decodeDhcp } from '../../src/decoders/dhcp.js';
import { APP_NAMES, createDissection, dissect, ipv4ToString, ipv6ToString, L3_NAMES, L4_NAMES } from '../../src/dissect.js';
import { macToString } from '../../src/dissect.js';
import { DHCP_ACK_QINQ, DHCP_DISCOVER } from './dhcp-frames.js';
import { IPV6_FIRST_FRAGMENT, IPV6_MLD_HOP_BY_HOP } from './frames-ipv6.js';
import { ARP_REQUEST_VLAN, ICMP_ECHO, IPV4_LATER_FRAGMENT, TCP_ACK_PADDED, TCP_SYN } from './frames.js';
import { writePcap } from './pcap-file.js';

const TSHARK = '/usr/bin/tshark';
const FRAMES = [
  ARP_REQUEST_VLAN,
  DHCP_DISCOVER,
  DHCP_ACK_QINQ,
  TCP_SYN,
  TCP_ACK_PADDED,
  ICMP_ECHO,
  IPV4_LATER_FRAGMENT,
  IPV6_MLD_HOP_BY_HOP,
  IPV6_FIRST_FRAGMENT,
];
/** Fields compared with ours, then checksum verdicts (1 = good) that prove the fixtures' bytes. */
const COMPARED = [
  'eth.src',
  'vlan.id',
  'ieee8021ad.id',
  'arp.src.proto_ipv4',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'udp.srcport',
  'udp.dstport',
  'tcp.dstport',
  'tcp.flags',
  'icmp.type',
  'icmpv6.type',
  'dhcp.option.dhcp',
  'dhcp.option.hostname',
  'dhcp.option.request_list_item',
  'dhcp.option.vendor_class_id',
  'dhcp.fqdn.name',
] as const;
const CHECKSUMS = ['ip.checksum.status', 'tcp.checksum.status', 'icmp.checksum.status', 'icmpv6.checksum.status'];

type Row = Partial<Record<(typeof COMPARED)[number], string>>;

/** Our reading of a frame, in tshark's field names and text forms. */
function ours(frame: Uint8Array): Row {
  const d = createDissection();
  expect(dissect(frame, d)).toBe(true);
  const row: Row = { 'eth.src': macToString(d.srcMac) };
  // Wireshark names the 0x8100 tag vlan and the 0x88a8 tag ieee8021ad.
  if (d.innerVlan >= 0) Object.assign(row, { 'vlan.id': `${d.innerVlan}`, 'ieee8021ad.id': `${d.outerVlan}` });
  else if (d.outerVlan >= 0) row['vlan.id'] = `${d.outerVlan}`;
  if (L3_NAMES[d.l3] === 'arp') row['arp.src.proto_ipv4'] = ipv4ToString(d.arpSenderIp);
  if (L3_NAMES[d.l3] === 'ipv4') Object.assign(row, { 'ip.src': ipv4ToString(d.ipSrc), 'ip.dst': ipv4ToString(d.ipDst) });
  if (L3_NAMES[d.l3] === 'ipv6') {
    Object.assign(row, { 'ipv6.src': ipv6ToString(frame, d.ip6SrcOffset), 'ipv6.dst': ipv6ToString(frame, d.ip6DstOffset) });
  }
  if (L4_NAMES[d.l4] === 'udp') Object.assign(row, { 'udp.srcport': `${d.srcPort}`, 'udp.dstport': `${d.dstPort}` });
  if (L4_NAMES[d.l4] === 'tcp') {
    Object.assign(row, { 'tcp.dstport': `${d.dstPort}`, 'tcp.flags': `0x${d.tcpFlags.toString(16).padStart(4, '0')}` });
  }
  if (L4_NAMES[d.l4] === 'icmp') row['icmp.type'] = `${d.icmpType}`;
  if (L4_NAMES[d.l4] === 'icmpv6') row['icmpv6.type'] = `${d.icmpType}`;
  if (APP_NAMES[d.app] === 'dhcp') {
    const dhcp = decodeDhcp(frame, d.payloadOffset, d.payloadLength);
    if (dhcp?.messageType != null) row['dhcp.option.dhcp'] = `${dhcp.messageType}`;
    if (dhcp?.hostname != null) row['dhcp.option.hostname'] = dhcp.hostname;
    if (dhcp?.parameterRequestList != null) row['dhcp.option.request_list_item'] = dhcp.parameterRequestList.join(',');
    if (dhcp?.vendorClassId != null) row['dhcp.option.vendor_class_id'] = dhcp.vendorClassId;
    if (dhcp?.clientFqdn != null) row['dhcp.fqdn.name'] = dhcp.clientFqdn;
  }
  return row;
}

if (!existsSync(TSHARK)) console.log(`tshark cross-check skipped: ${TSHARK} not found`);

describe.skipIf(!existsSync(TSHARK))('decoders agree with tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wardsight-decoders-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('on the fixtures', () => {
    const pcap = join(dir, 'fixtures.pcap');
    writePcap(pcap, FRAMES);
    const args = ['-n', '-r', pcap, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
    // Verify checksums; leave fragments unreassembled so the first one shows its UDP header.
    for (const pref of ['ip.check_checksum:TRUE', 'tcp.check_checksum:TRUE', 'ip.defragment:FALSE', 'ipv6.defragment:FALSE']) {
      args.push('-o', pref);
    }
    for (const field of [...COMPARED, ...CHECKSUMS]) args.push('-e', field);
    const lines = execFileSync(TSHARK, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd().split('\n');
    expect(lines).toHaveLength(FRAMES.length);
    lines.forEach((line, i) => {
      const values = line.split('\t');
      const theirs: Row = {};
      COMPARED.forEach((field, k) => {
        if (values[k]) theirs[field] = values[k];
      });
      const frame = FRAMES[i] ?? new Uint8Array();
      expect(ours(frame), `frame ${i + 1}`).toEqual(theirs);
      const verdicts = values.slice(COMPARED.length).filter((v) => v !== '');
      expect(verdicts.every((v) => v === '1'), `checksums of frame ${i + 1}: ${verdicts.join(' ')}`).toBe(true);
    });
  });
});
