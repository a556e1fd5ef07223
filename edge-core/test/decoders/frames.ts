/**
 * Hand-written frames for the L2–L4 decoders, commented field by field from the RFCs. The hosts:
 * a patient monitor 00:09:fb:1a:2b:3c / 10.20.0.55 / fe80::209:fbff:fe1a:2b3c on VLAN 20, its gateway
 * 00:00:5e:00:01:14 (a VRRP MAC), an HL7 interface engine 10.30.0.10 (MLLP port 2575).
 */
import { hex, text } from './hex.js';

export const ARP_REQUEST_VLAN = hex(
  'ffffffffffff', // Ethernet destination: broadcast
  '0009fb1a2b3c', // source: the monitor
  '8100', // TPID: IEEE 802.1Q
  '0014', // TCI: PCP 0, DEI 0, VID 20
  '0806', // EtherType: ARP
  // ARP (RFC 826)
  '0001', // ar$hrd 1 Ethernet
  '0800', // ar$pro IPv4
  '06', // ar$hln 6
  '04', // ar$pln 4
  '0001', // ar$op 1 request
  '0009fb1a2b3c', // ar$sha
  '0a140037', // ar$spa 10.20.0.55
  '000000000000', // ar$tha unknown
  '0a140001', // ar$tpa 10.20.0.1
);

export const TCP_SYN = hex(
  '00005e000114', // Ethernet destination: the gateway
  '0009fb1a2b3c', // source: the monitor
  '0800', // EtherType: IPv4
  // IPv4 (RFC 791 §3.1)
  '45', // version 4, IHL 5
  '00', // DSCP 0
  '003c', // total length 60 = 20 + 40
  '4d2e', // identification
  '4000', // flags DF, fragment offset 0
  '40', // TTL 64
  '06', // protocol 6 TCP
  'd91b', // header checksum
  '0a140037', // source 10.20.0.55
  '0a1e000a', // destination 10.30.0.10
  // TCP (RFC 9293 §3.1)
  'c000', // source port 49152
  '0a0f', // destination port 2575 (HL7 MLLP)
  '6b8b4567', // sequence number
  '00000000', // acknowledgment number
  'a0', // data offset 10 (40 octets), reserved 0
  '02', // flags SYN
  'faf0', // window 64240
  'db58', // checksum
  '0000', // urgent pointer
  '020405b4', // option MSS 1460
  '0402', // option SACK permitted
  '080a 0001e240 00000000', // option timestamps: TSval 123456, TSecr 0
  '01', // option NOP
  '030307', // option window scale 7
);

export const TCP_HL7_PUSH = hex(
  '00005e000114', // Ethernet destination: the gateway
  '0009fb1a2b3c', // source: the monitor
  '0800', // EtherType: IPv4
  '45', // IPv4: version 4, IHL 5
  '00', // DSCP 0
  '003e', // total length 62 = 20 + 20 + 22
  '4d2f', // identification
  '4000', // flags DF
  '40', // TTL 64
  '06', // protocol TCP
  'd918', // header checksum
  '0a140037', // source 10.20.0.55
  '0a1e000a', // destination 10.30.0.10
  'c000', // TCP source port 49152
  '0a0f', // destination port 2575
  '6b8b4568', // sequence number
  '1c2d3e50', // acknowledgment number
  '50', // data offset 5 (20 octets)
  '18', // flags PSH ACK
  '01f6', // window 502
  'd799', // checksum
  '0000', // urgent pointer
  // MLLP block: start 0x0b, an HL7 v2 segment, end 0x1c 0x0d (22 octets)
  '0b' + text('MSH|^~\\&|MX450|ICU') + '0d' + '1c0d',
);

/** A pure ACK in a minimum-size frame: six octets of Ethernet padding follow the IPv4 datagram. */
export const TCP_ACK_PADDED = hex(
  '0009fb1a2b3c', // Ethernet destination: the monitor
  '00005e000114', // source: the gateway
  '0800', // EtherType: IPv4
  '45', // IPv4: version 4, IHL 5
  '00', // DSCP 0
  '0028', // total length 40 = 20 + 20
  '0b1c', // identification
  '4000', // flags DF
  '3e', // TTL 62
  '06', // protocol TCP
  '1d42', // header checksum
  '0a1e000a', // source 10.30.0.10
  '0a140037', // destination 10.20.0.55
  '0a0f', // TCP source port 2575
  'c000', // destination port 49152
  '1c2d3e50', // sequence number
  '6b8b457e', // acknowledgment number
  '50', // data offset 5
  '10', // flags ACK
  '2000', // window 8192
  'a5cb', // checksum
  '0000', // urgent pointer
  '000000000000', // Ethernet padding to the 60-octet minimum
);

export const ICMP_ECHO = hex(
  '00005e000114', // Ethernet destination: the gateway
  '0009fb1a2b3c', // source: the monitor
  '0800', // EtherType: IPv4
  '45', // IPv4: version 4, IHL 5
  '00', // DSCP 0
  '0024', // total length 36 = 20 + 16
  '0001', // identification
  '0000', // flags 0
  '40', // TTL 64
  '01', // protocol 1 ICMP
  '6679', // header checksum
  '0a140037', // source 10.20.0.55
  '0a140001', // destination 10.20.0.1
  // ICMP (RFC 792)
  '08', // type 8 echo request
  '00', // code 0
  '2127', // checksum
  '1234', // identifier
  '0001', // sequence number 1
  text('wardsigt'), // 8 octets of data
);

/** An IPv4 fragment at offset 1480 of a UDP datagram: data only, no UDP header. */
export const IPV4_LATER_FRAGMENT = hex(
  '00005e000114', // Ethernet destination: the gateway
  '0009fb1a2b3c', // source: the monitor
  '0800', // EtherType: IPv4
  '45', // IPv4: version 4, IHL 5
  '00', // DSCP 0
  '0028', // total length 40 = 20 + 20
  '2f1a', // identification of the fragmented datagram
  '00b9', // flags: MF clear (last fragment); fragment offset 185 × 8 = 1480
  '40', // TTL 64
  '11', // protocol 17 UDP
  '3676', // header checksum
  '0a140037', // source 10.20.0.55
  '0a1e0014', // destination 10.30.0.20
  text('...end of a record.\n'), // 20 octets of UDP data
);
