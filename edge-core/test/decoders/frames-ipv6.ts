/**
 * Hand-written IPv6 frames (RFC 8200) walking each extension header the decoder knows, and one
 * non-IP frame (LLDP). The monitor's link-local address is fe80::209:fbff:fe1a:2b3c.
 */
import { hex, text } from './hex.js';

const MONITOR_LINK_LOCAL = 'fe800000000000000209fbfffe1a2b3c';
const MONITOR_GLOBAL = '20010db8001400000000000000000037'; // 2001:db8:14::37
const SYSLOG_COLLECTOR = '20010db8001e00000000000000000014'; // 2001:db8:1e::14

/** An MLDv2 report (RFC 3810 §5.2) behind a hop-by-hop header carrying router alert. */
export const IPV6_MLD_HOP_BY_HOP = hex(
  '333300000016', // Ethernet destination: IPv6 multicast 33:33 + ff02::16
  '0009fb1a2b3c', // source: the monitor
  '86dd', // EtherType: IPv6
  // IPv6 (RFC 8200 §3)
  '6', // version 6
  '00', // traffic class 0
  '00000', // flow label 0
  '0024', // payload length 36 = 8 + 28
  '00', // next header 0: hop-by-hop options
  '01', // hop limit 1
  MONITOR_LINK_LOCAL, // source
  'ff020000000000000000000000000016', // destination ff02::16 (all MLDv2 routers)
  // Hop-by-hop options (RFC 8200 §4.3)
  '3a', // next header 58 ICMPv6
  '00', // header extension length 0: 8 octets
  '05 02 0000', // option router alert (RFC 2711): MLD
  '01 00', // option PadN, no data octets
  // ICMPv6 (RFC 4443 §2.1) MLDv2 report
  '8f', // type 143 MLDv2 report
  '00', // code 0
  '1e53', // checksum
  '0000', // reserved
  '0001', // number of multicast address records
  '04', // record type 4 CHANGE_TO_EXCLUDE_MODE
  '00', // aux data length 0
  '0000', // number of sources 0
  'ff0200000000000000000001ff1a2b3c', // multicast address: solicited-node ff02::1:ff1a:2b3c
);

/** The first fragment of a syslog datagram, behind a destination options header. */
export const IPV6_FIRST_FRAGMENT = hex(
  '00005e000114', // Ethernet destination: the gateway
  '0009fb1a2b3c', // source: the monitor
  '86dd', // EtherType: IPv6
  '60000000', // version 6, traffic class 0, flow label 0
  '0028', // payload length 40 = 8 + 8 + 8 + 16
  '3c', // next header 60: destination options
  '40', // hop limit 64
  MONITOR_GLOBAL, // source
  SYSLOG_COLLECTOR, // destination
  // Destination options (RFC 8200 §4.6)
  '2c', // next header 44: fragment
  '00', // header extension length 0: 8 octets
  '01 04 00000000', // option PadN with four data octets
  // Fragment header (RFC 8200 §4.5)
  '11', // next header 17 UDP
  '00', // reserved
  '0001', // fragment offset 0, res 0, M 1: more fragments follow
  '00a1b2c3', // identification
  // UDP header of the whole datagram (RFC 768)
  'c001', // source port 49153
  '0202', // destination port 514 (syslog)
  '0580', // length 1408: the whole datagram, longer than this fragment
  '0000', // checksum (over the whole datagram; not checked here)
  text('<134>1 2024-01-0'), // the first 16 octets of the message
);

/** A later fragment of the same datagram, behind a type 2 routing header. */
export const IPV6_LATER_FRAGMENT = hex(
  '00005e000114', // Ethernet destination: the gateway
  '0009fb1a2b3c', // source: the monitor
  '86dd', // EtherType: IPv6
  '60000000', // version 6, traffic class 0, flow label 0
  '0030', // payload length 48 = 24 + 8 + 16
  '2b', // next header 43: routing
  '40', // hop limit 64
  MONITOR_GLOBAL, // source
  SYSLOG_COLLECTOR, // destination
  // Routing header type 2 (RFC 8200 §4.4, RFC 6275 §6.4)
  '2c', // next header 44: fragment
  '02', // header extension length 2: 24 octets
  '02', // routing type 2
  '01', // segments left 1
  '00000000', // reserved
  MONITOR_GLOBAL, // home address
  // Fragment header
  '11', // next header 17 UDP
  '00', // reserved
  '04d0', // fragment offset 154 × 8 = 1232, M 0: the last fragment
  '00a1b2c3', // identification
  text('03T12:00:00Z mx'), // 16 octets of the message
  '0a',
);

/** LLDP (IEEE 802.1AB): not an L3 protocol the sensor decodes; the frame is well formed. */
export const LLDP = hex(
  '0180c200000e', // Ethernet destination: nearest bridge
  '0009fb1a2b3d', // source: the monitor's port
  '88cc', // EtherType: LLDP
  '0207 04 0009fb1a2b3c', // TLV type 1 chassis ID, length 7: subtype 4 MAC address
  '0407 03 0009fb1a2b3d', // TLV type 2 port ID, length 7: subtype 3 MAC address
  '0602 0078', // TLV type 3 time to live, length 2: 120 s
  '0000', // TLV type 0 end of LLDPDU
);
