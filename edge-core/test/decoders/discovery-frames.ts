/**
 * Hand-written link-layer discovery frames, commented field by field: an LLDP advertisement from a
 * ward switch port, a CDP advertisement from an IP phone, and the smallest well-formed LLDPDU and CDP
 * PDU (nothing after their last TLV, so every truncation of them is malformed).
 */
import { hex, text } from './hex.js';

/** Where the LLDPDU and the CDP LLC header start: right after the 14-octet Ethernet header. */
export const L2_PAYLOAD_OFFSET = 14;

export const LLDP_SWITCH = hex(
  '0180c200000e', // Ethernet destination: nearest bridge group address
  '00000c9f0a11', // source: the switch port
  '88cc', // EtherType: LLDP
  // IEEE 802.1AB §8.4 TLVs: type 7 bits, length 9 bits
  '0207', // type 1 chassis ID, length 7
  '04', // subtype 4 MAC address
  '00000c9f0a00', // the switch's base MAC
  '0409', // type 2 port ID, length 9
  '05', // subtype 5 interface name
  text('Gi1/0/12'),
  '0602', // type 3 time to live, length 2
  '0078', // 120 s
  '080a', // type 4 port description, length 10
  text('ICU bed 12'),
  '0a09', // type 5 system name, length 9
  text('icu-sw-03'),
  '0c1a', // type 6 system description, length 26, two lines
  text('ExampleOS 15.2\nward switch'),
  '0e04', // type 7 system capabilities, length 4
  '0014', // capabilities: bridge, router
  '0004', // enabled: bridge
  '100c', // type 8 management address, length 12
  '05', // address string length 5: subtype + 4 octets
  '01', // subtype 1 IPv4 (IANA address family)
  '0a140003', // 10.20.0.3
  '02', // interface numbering: ifIndex
  '0000000c', // interface 12
  '00', // OID string length 0
  'fe06', // type 127 organizationally specific, length 6
  '0080c2', // OUI IEEE 802.1
  '01', // subtype 1 port VLAN ID
  '0014', // VLAN 20
  '0000', // type 0 end of LLDPDU
);

/** The three mandatory TLVs only, no End Of LLDPDU (optional since 802.1AB-2016 §8.4). */
export const LLDP_MANDATORY_ONLY = hex(
  '0180c200000e', // Ethernet destination: nearest bridge
  '0009fb1a2b3c', // source: a patient monitor
  '88cc', // EtherType: LLDP
  '0207', // type 1 chassis ID, length 7
  '04', // subtype 4 MAC address
  '0009fb1a2b3c',
  '0407', // type 2 port ID, length 7
  '03', // subtype 3 MAC address
  '0009fb1a2b3d',
  '0602', // type 3 time to live, length 2
  '0078', // 120 s
);

export const CDP_PHONE = hex(
  '01000ccccccc', // destination: Cisco's CDP multicast
  '001b54112233', // source: the phone
  '0094', // IEEE 802.3 length 148 = LLC/SNAP 8 + CDP 140
  'aa', // DSAP SNAP
  'aa', // SSAP SNAP
  '03', // control: unnumbered information
  '00000c', // OUI Cisco
  '2000', // PID CDP
  '02', // CDP version 2
  'b4', // TTL 180 s
  '2c34', // checksum (RFC 1071 sum over the 140 CDP octets)
  '0001 0013', // TLV device ID, length 19
  text('SEP001B54112233'),
  '0002 0011', // TLV addresses, length 17
  '00000001', // 1 address
  '01', // protocol type 1 NLPID
  '01', // protocol length 1
  'cc', // NLPID IP
  '0004', // address length 4
  '0a140028', // 10.20.0.40
  '0003 000a', // TLV port ID, length 10
  text('Port 1'),
  '0004 0008', // TLV capabilities, length 8
  '00000490', // host 0x10, phone 0x80, two-port MAC relay 0x400
  '0005 001f', // TLV software version, length 31, two lines
  text('Cisco IP Phone\r\nSIP 14.1(1)'),
  '0006 0017', // TLV platform, length 23
  text('Cisco IP Phone 8845'),
  '000a 0006', // TLV native VLAN, length 6
  '0014', // VLAN 20
  '000b 0005', // TLV duplex, length 5
  '01', // full
  '0016 0011', // TLV management addresses, length 17
  '00000001', // 1 address
  '01', // protocol type 1 NLPID
  '01', // protocol length 1
  'cc', // NLPID IP
  '0004', // address length 4
  '0a140028', // 10.20.0.40
);

/** A CDP advertisement with a device ID only. */
export const CDP_DEVICE_ID_ONLY = hex(
  '01000ccccccc', // destination: Cisco's CDP multicast
  '001b54112234', // source: a phone
  '001e', // IEEE 802.3 length 30 = LLC/SNAP 8 + CDP 22
  'aaaa03', // DSAP, SSAP SNAP; control UI
  '00000c', // OUI Cisco
  '2000', // PID CDP
  '02', // version 2
  'b4', // TTL 180 s
  '7841', // checksum
  '0001 0012', // TLV device ID, length 18
  text('icu-phone-0012'),
);
