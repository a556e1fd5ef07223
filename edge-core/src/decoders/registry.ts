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
export const APP_NAMES = ['none', 'dhcp'] as const;

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
  [67, APP_DHCP], // RFC 2131 §4.1: DHCP server
  [68, APP_DHCP], // DHCP client
];
/** None yet: stream decoders (HL7, DICOM) are to be listed here as they land. */
const TCP_PORTS: readonly (readonly [port: number, app: number])[] = [];

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
