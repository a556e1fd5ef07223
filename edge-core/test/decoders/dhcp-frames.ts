/**
 * Hand-written DHCP frames (RFC 2131 §2, RFC 2132), commented field by field. The client is a
 * patient monitor (MAC 00:09:fb:1a:2b:3c) on VLAN 20, its server 10.20.0.2. Each frame ends at the
 * end option, so every truncation of it is malformed.
 */
import { hex, text, zeros } from './hex.js';

/** Offsets of the DHCP message in the frames below. */
export const DISCOVER_DHCP_OFFSET = 14 + 20 + 8;
export const ACK_DHCP_OFFSET = 22 + 20 + 8;

/** BOOTP fixed part shared by both messages after op: sname and file empty. */
const EMPTY_SNAME_FILE = zeros(64) + zeros(128);

export const DHCP_DISCOVER = hex(
  // Ethernet II
  'ffffffffffff', // destination: broadcast
  '0009fb1a2b3c', // source: the monitor
  '0800', // EtherType: IPv4
  // IPv4 (RFC 791 §3.1)
  '45', // version 4, IHL 5 (20 octets)
  '00', // DSCP 0, ECN 0
  '0164', // total length 356 = 20 + 8 + 328
  '0000', // identification
  '0000', // flags 0, fragment offset 0
  '40', // TTL 64
  '11', // protocol 17 UDP
  '798a', // header checksum
  '00000000', // source 0.0.0.0: no address yet
  'ffffffff', // destination 255.255.255.255
  // UDP (RFC 768)
  '0044', // source port 68 (DHCP client)
  '0043', // destination port 67 (DHCP server)
  '0150', // length 336 = 8 + 328
  '0000', // checksum (0: not computed, allowed over IPv4)
  // DHCP (RFC 2131 §2)
  '01', // op 1 BOOTREQUEST
  '01', // htype 1 Ethernet
  '06', // hlen 6
  '00', // hops 0
  '3903f326', // xid
  '0000', // secs 0
  '8000', // flags: broadcast bit
  '00000000', // ciaddr 0.0.0.0
  '00000000', // yiaddr 0.0.0.0
  '00000000', // siaddr 0.0.0.0
  '00000000', // giaddr 0.0.0.0
  '0009fb1a2b3c' + zeros(10), // chaddr: the MAC, padded to 16
  EMPTY_SNAME_FILE, // sname 64, file 128
  '63825363', // magic cookie 99.130.83.99 (RFC 2131 §3)
  // options (RFC 2132): code, length, value
  '35 01 01', // 53 message type: 1 DHCPDISCOVER
  '3d 07 01 0009fb1a2b3c', // 61 client identifier: type 1 (Ethernet) + MAC
  '39 02 05dc', // 57 maximum message size 1500
  '32 04 0a140037', // 50 requested IP 10.20.0.55
  '0c 0b' + text('MX450-2B3C') + '00', // 12 hostname, with a C string's trailing NUL
  '3c 0c' + text('udhcp 1.30.1'), // 60 vendor class identifier
  '37 07 01 03 06 0c 0f 1c 2a', // 55 parameter request list: 1 3 6 12 15 28 42
  '51 1b 05 00 00', // 81 client FQDN (RFC 4702): flags S|E, RCODE1 0, RCODE2 0
  '0a' + text('mx450-2b3c') + '03' + text('icu') + '07' + text('example') + '00', // wire-format name
  'ff', // end
);

export const DHCP_ACK_QINQ = hex(
  // Ethernet II with an 802.1ad service tag over an 802.1Q customer tag
  '0009fb1a2b3c', // destination: the monitor
  '0050569a0002', // source: the DHCP server
  '88a8', // TPID: IEEE 802.1ad S-tag
  '0064', // TCI: PCP 0, DEI 0, VID 100
  '8100', // TPID: IEEE 802.1Q C-tag
  '0014', // TCI: PCP 0, DEI 0, VID 20
  '0800', // EtherType: IPv4
  // IPv4
  '45', // version 4, IHL 5
  '10', // DSCP 4
  '012e', // total length 302 = 20 + 8 + 274
  '1f2e', // identification
  '0000', // flags 0, fragment offset 0
  '80', // TTL 128
  '11', // protocol 17 UDP
  '0621', // header checksum
  '0a140002', // source 10.20.0.2
  '0a140037', // destination 10.20.0.55
  // UDP
  '0043', // source port 67
  '0044', // destination port 68
  '011a', // length 282 = 8 + 274
  '0000', // checksum not computed
  // DHCP
  '02', // op 2 BOOTREPLY
  '01', // htype 1 Ethernet
  '06', // hlen 6
  '00', // hops 0
  '3903f326', // xid, as in the request
  '0000', // secs
  '0000', // flags: unicast
  '00000000', // ciaddr 0.0.0.0
  '0a140037', // yiaddr 10.20.0.55
  '00000000', // siaddr 0.0.0.0
  '00000000', // giaddr 0.0.0.0: not relayed
  '0009fb1a2b3c' + zeros(10), // chaddr
  EMPTY_SNAME_FILE,
  '63825363', // magic cookie
  '35 01 05', // 53 message type: 5 DHCPACK
  '36 04 0a140002', // 54 server identifier 10.20.0.2
  '33 04 00015180', // 51 lease time 86400 s
  '01 04 ffffff00', // 1 subnet mask 255.255.255.0
  '03 04 0a140001', // 3 router 10.20.0.1
  '06 04 0a140002', // 6 DNS server 10.20.0.2
  'ff', // end
);
