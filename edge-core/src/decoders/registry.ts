/**
 * Dispatch tables between layers: EtherType → L3 kind, IP protocol → L4 kind, port → application
 * decoder. Decoders never import the next layer; the dissector looks the next one up here. Lookups
 * are typed-array reads, so dispatch allocates nothing and builds no keys.
 */

/** L3 kinds; `L3_NAMES[kind]` names them. */
export const L3_NONE = 0;
export const L3_ARP = 1;
export const L3_IPV4 = 2;
export const L3_IPV6 = 3;
export const L3_NAMES = ['none', 'arp', 'ipv4', 'ipv6'] as const;

/** L4 kinds; `L4_NAMES[kind]` names them. */
export const L4_NONE = 0;
export const L4_TCP = 1;
export const L4_UDP = 2;
export const L4_ICMP = 3;
export const L4_ICMPV6 = 4;
export const L4_NAMES = ['none', 'tcp', 'udp', 'icmp', 'icmpv6'] as const;

/** Identification decoders that apply to a packet's payload; `APP_NAMES[app]` names them. */
export const APP_NONE = 0;
export const APP_DHCP = 1;
export const APP_DNS = 2; // DNS, mDNS and LLMNR share one message format
export const APP_NBNS = 3;
export const APP_SSDP = 4;
export const APP_WSD = 5;
export const APP_SYSLOG = 6;
export const APP_SNMP = 7;
export const APP_DHCPV6 = 8;
export const APP_HTTP = 9;
export const APP_TLS = 10;
export const APP_SSH = 11;
export const APP_FTP = 12;
export const APP_TELNET = 13;
export const APP_SMTP = 14;
export const APP_DICOM = 15;
export const APP_HL7 = 16;
export const APP_LLDP = 17;
export const APP_CDP = 18;
export const APP_NAMES = [
  'none',
  'dhcp',
  'dns',
  'nbns',
  'ssdp',
  'wsd',
  'syslog',
  'snmp',
  'dhcpv6',
  'http',
  'tls',
  'ssh',
  'ftp',
  'telnet',
  'smtp',
  'dicom',
  'hl7',
  'lldp',
  'cdp',
] as const;

/** IEEE EtherType registry values this sensor decodes. */
const ETHERTYPES: readonly (readonly [etherType: number, l3: number])[] = [
  [0x0800, L3_IPV4],
  [0x0806, L3_ARP],
  [0x86dd, L3_IPV6],
];

/** IANA protocol numbers (IPv4 Protocol, IPv6 Next Header). */
const IP_PROTOCOLS: readonly (readonly [protocol: number, l4: number])[] = [
  [1, L4_ICMP],
  [6, L4_TCP],
  [17, L4_UDP],
  [58, L4_ICMPV6],
];

/** IANA service ports whose payload an identification decoder reads. */
const UDP_PORTS: readonly (readonly [port: number, app: number])[] = [
  [53, APP_DNS], // RFC 1035
  [67, APP_DHCP], // RFC 2131 §4.1: DHCP server
  [68, APP_DHCP], // DHCP client
  [137, APP_NBNS], // RFC 1002 name service
  [161, APP_SNMP], // RFC 3417 agent
  [162, APP_SNMP], // RFC 3417 notifications
  [514, APP_SYSLOG], // RFC 5426
  [546, APP_DHCPV6], // RFC 8415 §7.2 client
  [547, APP_DHCPV6], // server and relay agent
  [1900, APP_SSDP], // UPnP Device Architecture 2.0 §1
  [3702, APP_WSD], // WS-Discovery 1.1 §2.4
  [5353, APP_DNS], // RFC 6762 multicast DNS
  [5355, APP_DNS], // RFC 4795 LLMNR
];
/** Stream protocols read from the start of a connection's data (reassembled where it must be). */
const TCP_PORTS: readonly (readonly [port: number, app: number])[] = [
  [21, APP_FTP], // RFC 959
  [22, APP_SSH], // RFC 4253
  [23, APP_TELNET], // RFC 854
  [25, APP_SMTP], // RFC 5321
  [80, APP_HTTP], // RFC 9110
  [104, APP_DICOM], // DICOM PS3.8 §G.3 (well-known port)
  [443, APP_TLS], // RFC 8446 over HTTPS
  [587, APP_SMTP], // RFC 6409 submission
  [2575, APP_HL7], // HL7 over MLLP (IANA hl7)
  [2762, APP_TLS], // DICOM over TLS (PS3.15 Annex B)
  [6661, APP_HL7], // a common MLLP listener port
  [8000, APP_HTTP],
  [8080, APP_HTTP],
  [8443, APP_TLS],
  [11112, APP_DICOM], // DICOM PS3.8 §G.3 (IANA dicom)
];

const l3ByEtherType = new Uint8Array(0x1_0000);
const l4ByIpProtocol = new Uint8Array(0x100);
const appByUdpPort = new Uint8Array(0x1_0000);
const appByTcpPort = new Uint8Array(0x1_0000);

for (const [etherType, l3] of ETHERTYPES) l3ByEtherType[etherType] = l3;
for (const [protocol, l4] of IP_PROTOCOLS) l4ByIpProtocol[protocol] = l4;
for (const [port, app] of UDP_PORTS) appByUdpPort[port] = app;
for (const [port, app] of TCP_PORTS) appByTcpPort[port] = app;

/** The L3 kind for an EtherType, or L3_NONE. */
export function l3Of(etherType: number): number {
  return l3ByEtherType[etherType] ?? L3_NONE;
}

/** The L4 kind for an IP protocol / next-header number, or L4_NONE. */
export function l4Of(protocol: number): number {
  return l4ByIpProtocol[protocol] ?? L4_NONE;
}

/** The application decoder for a UDP datagram: the destination port's, else the source port's. */
export function appOfUdp(srcPort: number, dstPort: number): number {
  const app = appByUdpPort[dstPort] ?? APP_NONE;
  return app !== APP_NONE ? app : (appByUdpPort[srcPort] ?? APP_NONE);
}

/** The application decoder for a TCP segment: the destination port's, else the source port's. */
export function appOfTcp(srcPort: number, dstPort: number): number {
  const app = appByTcpPort[dstPort] ?? APP_NONE;
  return app !== APP_NONE ? app : (appByTcpPort[srcPort] ?? APP_NONE);
}

const ETHERTYPE_LLDP = 0x88cc; // IEEE 802.1AB §7.1
/** IEEE 802.3 §3.2.6: a Length/Type field up to 1500 is a length, and an LLC PDU follows. */
const MAX_LLC_LENGTH = 1500;
/** CDP's LLC/SNAP header: DSAP 0xaa, SSAP 0xaa, control 0x03 (UI), OUI 00:00:0c (Cisco), PID 0x2000. */
const CDP_SNAP = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00] as const;

/** The link-layer discovery protocol a non-IP frame carries (LLDP by EtherType, CDP by its SNAP header), or APP_NONE. */
export function appOfLink(etherType: number, buf: Uint8Array, payloadOffset: number, end: number): number {
  if (etherType === ETHERTYPE_LLDP) return APP_LLDP;
  if (etherType > MAX_LLC_LENGTH || payloadOffset + CDP_SNAP.length > end) return APP_NONE;
  for (let i = 0; i < CDP_SNAP.length; i++) if (buf[payloadOffset + i] !== CDP_SNAP[i]) return APP_NONE;
  return APP_CDP;
}

/** The stream protocol a TCP port serves by its registration, or APP_NONE. */
export function appOfTcpPort(port: number): number {
  return appByTcpPort[port] ?? APP_NONE;
}

/**
 * A stream protocol recognised by how a segment starts, for TCP ports not in the registry (HL7 and
 * DICOM listeners are often configured on other ports, web servers too). One table lookup on the
 * first octet; only its candidates look further. A message that spans segments on such a port is
 * read when its first segment holds it whole.
 */
const FIRST_OCTET = new Uint8Array(256);
const SIGNATURE_MLLP = 1;
const SIGNATURE_TLS = 2;
const SIGNATURE_DICOM = 3;
const SIGNATURE_HTTP = 4;
const SIGNATURE_SSH = 5;
FIRST_OCTET[0x0b] = SIGNATURE_MLLP; // MLLP start block
FIRST_OCTET[0x16] = SIGNATURE_TLS; // TLS handshake record (RFC 8446 §5.1)
FIRST_OCTET[0x01] = SIGNATURE_DICOM; // A-ASSOCIATE-RQ (DICOM PS3.8 §9.3.2)
for (const c of 'GPHDOCT') FIRST_OCTET[c.charCodeAt(0)] = SIGNATURE_HTTP; // GET POST PUT HEAD DELETE OPTIONS CONNECT TRACE, HTTP/
FIRST_OCTET[0x53] = SIGNATURE_SSH; // "SSH-" (RFC 4253 §4.2)

const HTTP_STARTS = ['GET ', 'POST ', 'PUT ', 'HEAD ', 'DELETE ', 'OPTIONS ', 'CONNECT ', 'TRACE ', 'PATCH ', 'HTTP/1.'];

function startsWithText(buf: Uint8Array, at: number, end: number, text: string): boolean {
  if (end - at < text.length) return false;
  for (let i = 0; i < text.length; i++) if (buf[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

export function appOfTcpPayload(buf: Uint8Array, at: number, end: number): number {
  if (end - at < 6) return APP_NONE;
  switch (FIRST_OCTET[buf[at] ?? 0]) {
    case SIGNATURE_MLLP:
      return startsWithText(buf, at + 1, end, 'MSH') ? APP_HL7 : APP_NONE;
    case SIGNATURE_TLS:
      // Legacy version 3.x, then a ClientHello (1) or ServerHello (2).
      return buf[at + 1] === 3 && (buf[at + 2] ?? 9) <= 4 && (buf[at + 5] === 1 || buf[at + 5] === 2) ? APP_TLS : APP_NONE;
    case SIGNATURE_DICOM:
      // Reserved 0, PDU length (4), protocol version 0x0001.
      return end - at >= 10 && buf[at + 1] === 0 && buf[at + 6] === 0 && buf[at + 7] === 1 ? APP_DICOM : APP_NONE;
    case SIGNATURE_HTTP:
      for (const start of HTTP_STARTS) if (startsWithText(buf, at, end, start)) return APP_HTTP;
      return APP_NONE;
    case SIGNATURE_SSH:
      return startsWithText(buf, at, end, 'SSH-') ? APP_SSH : APP_NONE;
    default:
      return APP_NONE;
  }
}
