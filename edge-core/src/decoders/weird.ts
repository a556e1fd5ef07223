/**
 * Why a frame was rejected, as a small number a caller can count per reason (Zeek calls these
 * "weirds"). A decoder that returns null leaves one of these codes in its record's `weird` field;
 * `WEIRD_NAMES[code]` is the reason's name.
 */
export const WEIRD_NAMES = [
  'truncated_ethernet', // fewer than the 14 octets of an Ethernet II header
  'truncated_vlan', // an 802.1Q / 802.1ad tag announced but cut off
  'truncated_arp', // fewer than the 28 octets of an Ethernet/IPv4 ARP packet
  'unsupported_arp', // hardware or protocol type other than Ethernet (1) / IPv4 (0x0800)
  'truncated_ipv4', // fewer than 20 octets, or the IHL reaches past the captured bytes
  'bad_ipv4_header', // version other than 4, or IHL below 5
  'bad_ipv4_length', // total length shorter than the header
  'truncated_ipv4_payload', // total length reaches past the captured bytes
  'truncated_ipv6', // fewer than the 40 octets of the fixed header
  'bad_ipv6_header', // version other than 6
  'truncated_ipv6_payload', // payload length reaches past the captured bytes
  'truncated_ipv6_ext', // an extension header reaches past the payload
  'bad_ipv6_ext', // hop-by-hop options anywhere but first
  'truncated_udp', // fewer than the 8 octets of a UDP header
  'bad_udp_length', // UDP length below 8 or past the end of the IP payload
  'truncated_tcp', // fewer than 20 octets, or the data offset reaches past the segment
  'bad_tcp_header', // data offset below 5
  'truncated_icmp', // fewer than the 4 octets of type, code and checksum
  'truncated_link_header', // a loopback or Linux cooked header cut short
  'unsupported_link_type', // a capture link type the sensor does not read
] as const;

export type WeirdName = (typeof WEIRD_NAMES)[number];

function code(name: WeirdName): number {
  return WEIRD_NAMES.indexOf(name);
}

/** No weird: the record describes a well-formed packet. */
export const WEIRD_NONE = -1;
export const WEIRD_TRUNCATED_ETHERNET = code('truncated_ethernet');
export const WEIRD_TRUNCATED_VLAN = code('truncated_vlan');
export const WEIRD_TRUNCATED_ARP = code('truncated_arp');
export const WEIRD_UNSUPPORTED_ARP = code('unsupported_arp');
export const WEIRD_TRUNCATED_IPV4 = code('truncated_ipv4');
export const WEIRD_BAD_IPV4_HEADER = code('bad_ipv4_header');
export const WEIRD_BAD_IPV4_LENGTH = code('bad_ipv4_length');
export const WEIRD_TRUNCATED_IPV4_PAYLOAD = code('truncated_ipv4_payload');
export const WEIRD_TRUNCATED_IPV6 = code('truncated_ipv6');
export const WEIRD_BAD_IPV6_HEADER = code('bad_ipv6_header');
export const WEIRD_TRUNCATED_IPV6_PAYLOAD = code('truncated_ipv6_payload');
export const WEIRD_TRUNCATED_IPV6_EXT = code('truncated_ipv6_ext');
export const WEIRD_BAD_IPV6_EXT = code('bad_ipv6_ext');
export const WEIRD_TRUNCATED_UDP = code('truncated_udp');
export const WEIRD_BAD_UDP_LENGTH = code('bad_udp_length');
export const WEIRD_TRUNCATED_TCP = code('truncated_tcp');
export const WEIRD_BAD_TCP_HEADER = code('bad_tcp_header');
export const WEIRD_TRUNCATED_ICMP = code('truncated_icmp');
export const WEIRD_TRUNCATED_LINK_HEADER = code('truncated_link_header');
export const WEIRD_UNSUPPORTED_LINK_TYPE = code('unsupported_link_type');
