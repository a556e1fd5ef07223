/**
 * Hand-written DHCPv6 messages (RFC 8415), commented field by field: a patient monitor's SOLICIT
 * with the options the sensor reads, the same monitor's smallest SOLICIT, and a RELAY-FORW carrying
 * a SOLICIT. The first and last also come in whole frames (UDP checksums over the IPv6 pseudo-header).
 */
import { hex, text } from './hex.js';

const MONITOR_LINK_LOCAL = 'fe800000000000000209fbfffe1a2b3c'; // fe80::209:fbff:fe1a:2b3c
const ALL_DHCP_AGENTS = 'ff020000000000000000000000010002'; // ff02::1:2
const RELAY_ADDRESS = '20010db8001400000000000000000001'; // 2001:db8:14::1
const SERVER_ADDRESS = '20010db8001e00000000000000000002'; // 2001:db8:1e::2
/** RFC 5612: the enterprise number reserved for documentation. */
const EXAMPLE_ENTERPRISE = '00007ed9';

export const DHCPV6_SOLICIT = hex(
  '01', // msg-type 1 SOLICIT (§8)
  '5a3c1f', // transaction-id
  '0001 000e', // OPTION_CLIENTID, length 14 (§21.2)
  '0001', // DUID-LLT (§11.2)
  '0001', // hardware type 1 Ethernet
  '2a3b4c5d', // time: seconds since 2000-01-01
  '0009fb1a2b3c', // link-layer address
  '0008 0002 0000', // OPTION_ELAPSED_TIME, length 2: 0
  '0003 0028', // OPTION_IA_NA, length 40 (§21.4)
  '1a2b3c4d', // IAID
  '00000000', // T1
  '00000000', // T2
  '0005 0018', // OPTION_IAADDR, length 24 (§21.6)
  '20010db8001400000000000000000037', // 2001:db8:14::37
  '00000000', // preferred-lifetime
  '00000000', // valid-lifetime
  '0006 0006', // OPTION_ORO, length 6 (§21.7)
  '0017 0018 0027', // 23 DNS servers, 24 domain list, 39 client FQDN
  '000f 0005', // OPTION_USER_CLASS, length 5 (§21.15)
  '0003', text('icu'), // user-class-data
  '0010 0013', // OPTION_VENDOR_CLASS, length 19 (§21.16)
  EXAMPLE_ENTERPRISE, // enterprise-number 32473
  '000d', text('MX450-monitor'), // vendor-class-data
  '0011 0008', // OPTION_VENDOR_OPTS, length 8 (§21.17)
  EXAMPLE_ENTERPRISE, // enterprise-number 32473
  '0001 0000', // sub-option 1, empty
  '0027 0019', // OPTION_CLIENT_FQDN, length 25 (RFC 4704 §4)
  '01', // flags: S (server updates AAAA)
  '0a', text('mx450-2b3c'), // labels
  '03', text('icu'),
  '07', text('example'),
  '00', // root: fully qualified
);

/** The smallest SOLICIT the decoder accepts: one option. */
export const DHCPV6_SOLICIT_CLIENT_ID_ONLY = hex(
  '01', // msg-type 1 SOLICIT
  '0a0b0c', // transaction-id
  '0001 000a', // OPTION_CLIENTID, length 10
  '0003', // DUID-LL (§11.4)
  '0001', // hardware type 1 Ethernet
  '0009fb1a2b3d', // link-layer address
);

export const DHCPV6_RELAY_FORW = hex(
  '0c', // msg-type 12 RELAY-FORW (§9)
  '00', // hop-count 0
  RELAY_ADDRESS, // link-address
  'fe800000000000000209fbfffe1a2b3d', // peer-address: the client fe80::209:fbff:fe1a:2b3d
  '0012 0004', // OPTION_INTERFACE_ID, length 4 (§21.18)
  text('vl20'),
  '0009 0012', // OPTION_RELAY_MSG, length 18 (§21.10)
  '01', // relayed msg-type 1 SOLICIT
  'aabbcc', // transaction-id
  '0001 000a', // OPTION_CLIENTID, length 10
  '0003 0001 0009fb1a2b3d', // DUID-LL, Ethernet, link-layer address
);

/** The SOLICIT from the monitor's link-local address to All_DHCP_Relay_Agents_and_Servers. */
export const DHCPV6_SOLICIT_FRAME = Uint8Array.from([
  ...hex(
    '333300010002', // Ethernet destination: IPv6 multicast 33:33 + ff02::1:2
    '0009fb1a2b3c', // source: the monitor
    '86dd', // EtherType: IPv6
    '6', // IPv6 (RFC 8200 §3): version 6
    '00', // traffic class 0
    '00000', // flow label 0
    '00a3', // payload length 163 = 8 + 155
    '11', // next header 17 UDP
    '01', // hop limit 1
    MONITOR_LINK_LOCAL, // source
    ALL_DHCP_AGENTS, // destination
    '0222', // UDP source port 546 (client)
    '0223', // destination port 547 (servers and relay agents)
    '00a3', // length 163
    '1203', // checksum
  ),
  ...DHCPV6_SOLICIT,
]);

/** The relay agent forwarding to the server, 2001:db8:14::1 → 2001:db8:1e::2. */
export const DHCPV6_RELAY_FRAME = Uint8Array.from([
  ...hex(
    '00005e000114', // Ethernet destination: the gateway
    '00000c9f0a14', // source: the relay agent
    '86dd', // EtherType: IPv6
    '6', // version 6
    '00', // traffic class 0
    '00000', // flow label 0
    '0048', // payload length 72 = 8 + 64
    '11', // next header 17 UDP
    '40', // hop limit 64
    RELAY_ADDRESS, // source
    SERVER_ADDRESS, // destination
    '0223', // UDP source port 547 (relay agent)
    '0223', // destination port 547
    '0048', // length 72
    'b30c', // checksum
  ),
  ...DHCPV6_RELAY_FORW,
]);

/** Offset of the DHCPv6 message in both frames: Ethernet 14, IPv6 40, UDP 8. */
export const DHCPV6_IN_FRAME_OFFSET = 62;
