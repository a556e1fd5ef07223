/** The shared decoder contract (./contract.ts), applied to every decoder and to the dissector. */
import * as arp from '../../src/decoders/arp.js';
import * as dhcp from '../../src/decoders/dhcp.js';
import * as ethernet from '../../src/decoders/ethernet.js';
import * as icmp from '../../src/decoders/icmp.js';
import * as ipv4 from '../../src/decoders/ipv4.js';
import * as ipv6 from '../../src/decoders/ipv6.js';
import * as tcp from '../../src/decoders/tcp.js';
import * as udp from '../../src/decoders/udp.js';
import { createDissection, dissect } from '../../src/dissect.js';
import { decoderContract } from './contract.js';
import { ACK_DHCP_OFFSET, DHCP_ACK_QINQ, DHCP_DISCOVER, DISCOVER_DHCP_OFFSET } from './dhcp-frames.js';
import { IPV6_FIRST_FRAGMENT, IPV6_LATER_FRAGMENT, IPV6_MLD_HOP_BY_HOP, LLDP } from './frames-ipv6.js';
import { ARP_REQUEST_VLAN, ICMP_ECHO, IPV4_LATER_FRAGMENT, TCP_ACK_PADDED, TCP_HL7_PUSH, TCP_SYN } from './frames.js';

const eth = ethernet.createEthernet();
decoderContract({
  name: 'ethernet',
  accepts: (buf, offset, end) => ethernet.decode(buf, offset, eth, end) !== null,
  lastWeird: () => eth.weird,
  result: (base) => ({ ...eth, payloadOffset: eth.payloadOffset - base }),
  cases: [
    { name: 'untagged', bytes: TCP_SYN, offset: 0, declaredLength: 14 },
    { name: '802.1Q', bytes: ARP_REQUEST_VLAN, offset: 0, declaredLength: 18 },
    { name: 'QinQ', bytes: DHCP_ACK_QINQ, offset: 0, declaredLength: 22 },
    { name: 'LLDP', bytes: LLDP, offset: 0, declaredLength: 14 },
  ],
});

const arpRecord = arp.createArp();
decoderContract({
  name: 'arp',
  accepts: (buf, offset, end) => arp.decode(buf, offset, arpRecord, end) !== null,
  lastWeird: () => arpRecord.weird,
  result: () => ({ ...arpRecord }),
  cases: [{ name: 'request', bytes: ARP_REQUEST_VLAN, offset: 18 }],
});

const ip4 = ipv4.createIpv4();
decoderContract({
  name: 'ipv4',
  accepts: (buf, offset, end) => ipv4.decode(buf, offset, ip4, end) !== null,
  lastWeird: () => ip4.weird,
  result: (base) => ({ ...ip4, payloadOffset: ip4.payloadOffset - base }),
  cases: [
    { name: 'DHCP discover', bytes: DHCP_DISCOVER, offset: 14 },
    { name: 'DHCP ack in QinQ', bytes: DHCP_ACK_QINQ, offset: 22 },
    { name: 'TCP SYN', bytes: TCP_SYN, offset: 14 },
    { name: 'padded ACK', bytes: TCP_ACK_PADDED, offset: 14, declaredLength: 54 },
    { name: 'ICMP echo', bytes: ICMP_ECHO, offset: 14 },
    { name: 'later fragment', bytes: IPV4_LATER_FRAGMENT, offset: 14 },
  ],
});

const ip6 = ipv6.createIpv6();
decoderContract({
  name: 'ipv6',
  accepts: (buf, offset, end) => ipv6.decode(buf, offset, ip6, end) !== null,
  lastWeird: () => ip6.weird,
  result: (base) => ({
    ...ip6,
    srcOffset: ip6.srcOffset - base,
    dstOffset: ip6.dstOffset - base,
    payloadOffset: ip6.payloadOffset - base,
  }),
  cases: [
    { name: 'hop-by-hop MLD report', bytes: IPV6_MLD_HOP_BY_HOP, offset: 14 },
    { name: 'destination options + first fragment', bytes: IPV6_FIRST_FRAGMENT, offset: 14 },
    { name: 'routing + later fragment', bytes: IPV6_LATER_FRAGMENT, offset: 14 },
  ],
});

const udpRecord = udp.createUdp();
decoderContract({
  name: 'udp',
  accepts: (buf, offset, end) => udp.decode(buf, offset, udpRecord, end) !== null,
  lastWeird: () => udpRecord.weird,
  result: (base) => ({ ...udpRecord, payloadOffset: udpRecord.payloadOffset - base }),
  cases: [
    { name: 'DHCP discover', bytes: DHCP_DISCOVER, offset: 34 },
    { name: 'DHCP ack', bytes: DHCP_ACK_QINQ, offset: 42 },
  ],
});

const tcpRecord = tcp.createTcp();
decoderContract({
  name: 'tcp',
  accepts: (buf, offset, end) => tcp.decode(buf, offset, tcpRecord, end) !== null,
  lastWeird: () => tcpRecord.weird,
  result: (base) => ({ ...tcpRecord, payloadOffset: tcpRecord.payloadOffset - base }),
  cases: [
    { name: 'SYN with options', bytes: TCP_SYN, offset: 34 },
    { name: 'HL7 push', bytes: TCP_HL7_PUSH, offset: 34, declaredLength: 54 },
  ],
});

const icmpRecord = icmp.createIcmp();
decoderContract({
  name: 'icmp',
  accepts: (buf, offset, end) => icmp.decode(buf, offset, icmpRecord, end) !== null,
  lastWeird: () => icmpRecord.weird,
  result: (base) => ({ ...icmpRecord, payloadOffset: icmpRecord.payloadOffset - base }),
  cases: [
    { name: 'echo request', bytes: ICMP_ECHO, offset: 34, declaredLength: 38 },
    { name: 'MLDv2 report', bytes: IPV6_MLD_HOP_BY_HOP, offset: 62, declaredLength: 66 },
  ],
});

let dhcpMessage: dhcp.Dhcp | null = null;
decoderContract({
  name: 'dhcp',
  // The DHCP decoder takes a length, not an end: the dissector hands it the UDP payload's.
  accepts: (buf, offset, end = buf.length) => (dhcpMessage = dhcp.decode(buf, offset, end - offset)) !== null,
  result: () => dhcpMessage,
  cases: [
    { name: 'discover', bytes: DHCP_DISCOVER, offset: DISCOVER_DHCP_OFFSET },
    { name: 'ack', bytes: DHCP_ACK_QINQ, offset: ACK_DHCP_OFFSET },
  ],
});

/** A buffer offset relative to `base`; -1 (no such layer) stays -1. */
function relative(at: number, base: number): number {
  return at < 0 ? at : at - base;
}

const dissection = createDissection();
decoderContract({
  name: 'dissect',
  accepts: (buf, offset, end) => dissect(buf, dissection, offset, end),
  lastWeird: () => dissection.weird,
  result: (base) => ({
    ...dissection,
    l3Offset: relative(dissection.l3Offset, base),
    l4Offset: relative(dissection.l4Offset, base),
    ip6SrcOffset: relative(dissection.ip6SrcOffset, base),
    ip6DstOffset: relative(dissection.ip6DstOffset, base),
    payloadOffset: dissection.payloadOffset - base,
  }),
  cases: [
    { name: 'ARP in 802.1Q', bytes: ARP_REQUEST_VLAN, offset: 0 },
    { name: 'DHCP discover', bytes: DHCP_DISCOVER, offset: 0 },
    { name: 'DHCP ack in QinQ', bytes: DHCP_ACK_QINQ, offset: 0 },
    { name: 'TCP SYN', bytes: TCP_SYN, offset: 0 },
    { name: 'TCP HL7 push', bytes: TCP_HL7_PUSH, offset: 0 },
    { name: 'padded ACK', bytes: TCP_ACK_PADDED, offset: 0, declaredLength: 54 },
    { name: 'ICMP echo', bytes: ICMP_ECHO, offset: 0 },
    { name: 'IPv4 later fragment', bytes: IPV4_LATER_FRAGMENT, offset: 0 },
    { name: 'IPv6 hop-by-hop MLD', bytes: IPV6_MLD_HOP_BY_HOP, offset: 0 },
    { name: 'IPv6 first fragment', bytes: IPV6_FIRST_FRAGMENT, offset: 0 },
    { name: 'IPv6 later fragment', bytes: IPV6_LATER_FRAGMENT, offset: 0 },
    { name: 'LLDP', bytes: LLDP, offset: 0, declaredLength: 14 },
  ],
});
