import { describe, expect, it } from 'vitest';
import type { Dissection } from '../../src/dissect.js';
import { APP_NAMES, createDissection, dissect, ipv4ToString, ipv6ToString, L3_NAMES, L4_NAMES } from '../../src/dissect.js';
import { macToString, WEIRD_NONE } from '../../src/dissect.js';
import { DHCP_ACK_QINQ, DHCP_DISCOVER } from './dhcp-frames.js';
import { IPV6_FIRST_FRAGMENT, IPV6_LATER_FRAGMENT, IPV6_MLD_HOP_BY_HOP, LLDP } from './frames-ipv6.js';
import { ARP_REQUEST_VLAN, ICMP_ECHO, IPV4_LATER_FRAGMENT, TCP_ACK_PADDED, TCP_HL7_PUSH, TCP_SYN } from './frames.js';

/** A readable summary of a dissection, with only the layers present. */
function summary(buf: Uint8Array, d: Dissection): Record<string, unknown> {
  const s: Record<string, unknown> = {
    mac: `${macToString(d.srcMac)} > ${macToString(d.dstMac)}`,
    vlan: [d.outerVlan, d.innerVlan],
    etherType: d.etherType,
    l3: L3_NAMES[d.l3],
  };
  if (L3_NAMES[d.l3] === 'arp') {
    s.arp = [d.arpOp, macToString(d.arpSenderMac), ipv4ToString(d.arpSenderIp), macToString(d.arpTargetMac), ipv4ToString(d.arpTargetIp)];
  }
  if (L3_NAMES[d.l3] === 'ipv4') s.ip = `${ipv4ToString(d.ipSrc)} > ${ipv4ToString(d.ipDst)}`;
  if (L3_NAMES[d.l3] === 'ipv6') s.ip = `${ipv6ToString(buf, d.ip6SrcOffset)} > ${ipv6ToString(buf, d.ip6DstOffset)}`;
  if (d.ipProto >= 0) Object.assign(s, { ipProto: d.ipProto, ttl: d.ttl, isFragment: d.isFragment });
  s.l4 = L4_NAMES[d.l4];
  if (d.l4 !== 0) s.l4Offset = d.l4Offset;
  if (L4_NAMES[d.l4] === 'tcp' || L4_NAMES[d.l4] === 'udp') s.ports = [d.srcPort, d.dstPort];
  if (L4_NAMES[d.l4] === 'tcp') Object.assign(s, { tcpFlags: d.tcpFlags, tcpSeq: d.tcpSeq, tcpAck: d.tcpAck, tcpWindow: d.tcpWindow });
  if (d.icmpType >= 0) s.icmp = [d.icmpType, d.icmpCode];
  s.payload = [d.payloadOffset, d.payloadLength];
  s.app = APP_NAMES[d.app];
  return s;
}

function dissected(frame: Uint8Array): Record<string, unknown> {
  const d = createDissection();
  expect(dissect(frame, d)).toBe(true);
  expect(d.weird).toBe(WEIRD_NONE);
  return summary(frame, d);
}

const MONITOR = '00:09:fb:1a:2b:3c';
const GATEWAY = '00:00:5e:00:01:14';

describe('dissect', () => {
  it('dissects ARP in 802.1Q', () => {
    expect(dissected(ARP_REQUEST_VLAN)).toEqual({
      mac: `${MONITOR} > ff:ff:ff:ff:ff:ff`,
      vlan: [20, -1],
      etherType: 0x0806,
      l3: 'arp',
      arp: [1, MONITOR, '10.20.0.55', '00:00:00:00:00:00', '10.20.0.1'],
      l4: 'none',
      payload: [18, 0],
      app: 'none',
    });
  });

  it('dissects a DHCP discover to the DHCP decoder', () => {
    expect(dissected(DHCP_DISCOVER)).toEqual({
      mac: `${MONITOR} > ff:ff:ff:ff:ff:ff`,
      vlan: [-1, -1],
      etherType: 0x0800,
      l3: 'ipv4',
      ip: '0.0.0.0 > 255.255.255.255',
      ipProto: 17,
      ttl: 64,
      isFragment: false,
      l4: 'udp',
      l4Offset: 34,
      ports: [68, 67],
      payload: [42, 328],
      app: 'dhcp',
    });
  });

  it('dissects a DHCP ack in QinQ', () => {
    expect(dissected(DHCP_ACK_QINQ)).toMatchObject({
      mac: `00:50:56:9a:00:02 > ${MONITOR}`,
      vlan: [100, 20],
      ip: '10.20.0.2 > 10.20.0.55',
      ttl: 128,
      ports: [67, 68],
      payload: [50, 274],
      app: 'dhcp',
    });
  });

  it('dissects TCP', () => {
    expect(dissected(TCP_SYN)).toEqual({
      mac: `${MONITOR} > ${GATEWAY}`,
      vlan: [-1, -1],
      etherType: 0x0800,
      l3: 'ipv4',
      ip: '10.20.0.55 > 10.30.0.10',
      ipProto: 6,
      ttl: 64,
      isFragment: false,
      l4: 'tcp',
      l4Offset: 34,
      ports: [49152, 2575],
      tcpFlags: 0x02,
      tcpSeq: 0x6b8b4567,
      tcpAck: 0,
      tcpWindow: 64240,
      payload: [74, 0],
      app: 'hl7', // port 2575: HL7 over MLLP
    });
    expect(dissected(TCP_HL7_PUSH)).toMatchObject({ tcpFlags: 0x18, payload: [54, 22], app: 'hl7' });
    expect(dissected(TCP_ACK_PADDED)).toMatchObject({ ip: '10.30.0.10 > 10.20.0.55', tcpFlags: 0x10, payload: [54, 0] });
  });

  it('dissects ICMP echo', () => {
    expect(dissected(ICMP_ECHO)).toMatchObject({ l4: 'icmp', icmp: [8, 0], payload: [38, 12] });
  });

  it('dissects IPv6 through extension headers', () => {
    expect(dissected(IPV6_MLD_HOP_BY_HOP)).toEqual({
      mac: `${MONITOR} > 33:33:00:00:00:16`,
      vlan: [-1, -1],
      etherType: 0x86dd,
      l3: 'ipv6',
      ip: 'fe80::209:fbff:fe1a:2b3c > ff02::16',
      ipProto: 58,
      ttl: 1,
      isFragment: false,
      l4: 'icmpv6',
      l4Offset: 62,
      icmp: [143, 0],
      payload: [66, 24],
      app: 'none',
    });
  });

  it('reads the L4 header of a first fragment only', () => {
    expect(dissected(IPV6_FIRST_FRAGMENT)).toMatchObject({
      ip: '2001:db8:14::37 > 2001:db8:1e::14',
      ipProto: 17,
      isFragment: true,
      l4: 'udp',
      ports: [49153, 514],
      payload: [78, 16],
      app: 'none',
    });
    expect(dissected(IPV6_LATER_FRAGMENT)).toMatchObject({ ipProto: 17, isFragment: true, l4: 'none', payload: [86, 16] });
    expect(dissected(IPV4_LATER_FRAGMENT)).toMatchObject({
      ip: '10.20.0.55 > 10.30.0.20',
      ipProto: 17,
      isFragment: true,
      l4: 'none',
      payload: [34, 20],
    });
  });

  it('passes a frame of another EtherType with its payload', () => {
    expect(dissected(LLDP)).toEqual({
      mac: '00:09:fb:1a:2b:3d > 01:80:c2:00:00:0e',
      vlan: [-1, -1],
      etherType: 0x88cc,
      l3: 'none',
      l4: 'none',
      payload: [14, 24],
      app: 'lldp', // EtherType 0x88cc
    });
  });

  it('leaves nothing of the previous frame in a reused record', () => {
    const frames = [TCP_SYN, ARP_REQUEST_VLAN, IPV6_MLD_HOP_BY_HOP, DHCP_ACK_QINQ, LLDP, ICMP_ECHO, TCP_SYN.subarray(0, 40)];
    const reused = createDissection();
    for (const frame of frames) {
      const fresh = createDissection();
      expect(dissect(frame, reused)).toBe(dissect(frame, fresh));
      expect(reused).toEqual(fresh);
    }
  });
});
