/** Link and network addresses: text as people write it ↔ the bytes on the wire. */
import { SimError } from '../errors.js';

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
export const ZERO_MAC = '00:00:00:00:00:00';

/** `aa:bb:cc:dd:ee:ff` (or with dashes) → 6 bytes. */
export function macBytes(mac: string): Uint8Array {
  const parts = mac.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) {
    throw new SimError('SIM_ERR_ADDRESS', `MAC ${JSON.stringify(mac)}`);
  }
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}

/** 6 bytes → lower-case `aa:bb:cc:dd:ee:ff`. */
export function macText(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Dotted quad → 4 bytes. */
export function ipv4Bytes(ip: string): Uint8Array {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new SimError('SIM_ERR_ADDRESS', `IPv4 ${JSON.stringify(ip)}`);
  }
  return Uint8Array.from(parts, Number);
}

/** RFC 4291 §2.2 text form (with at most one `::`, no embedded IPv4) → 16 bytes. */
export function ipv6Bytes(ip: string): Uint8Array {
  const halves = ip.split('::');
  if (halves.length > 2) throw new SimError('SIM_ERR_ADDRESS', `IPv6 ${JSON.stringify(ip)}`);
  const groups = (text: string | undefined): string[] => (text ? text.split(':') : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) {
    throw new SimError('SIM_ERR_ADDRESS', `IPv6 ${JSON.stringify(ip)}`);
  }
  const all = [...head, ...Array<string>(missing).fill('0'), ...tail];
  const out = new Uint8Array(16);
  all.forEach((group, i) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) throw new SimError('SIM_ERR_ADDRESS', `IPv6 ${JSON.stringify(ip)}`);
    const value = parseInt(group, 16);
    out[i * 2] = value >>> 8;
    out[i * 2 + 1] = value & 0xff;
  });
  return out;
}

/** 16 bytes → RFC 5952 text: lower case, no leading zeros, the longest run of zero groups as `::`. */
export function ipv6Text(bytes: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1; // RFC 5952 §4.2.2: a single zero group is not shortened
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = (g: number[]): string => g.map((v) => v.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** RFC 4291 §2.5.1 / Appendix A: modified EUI-64 link-local address (fe80::/64) of a MAC. */
export function linkLocalFromMac(mac: string): string {
  const m = macBytes(mac);
  const address = new Uint8Array(16);
  address.set([0xfe, 0x80]);
  // Invert the universal/local bit and insert ff:fe between the OUI and the rest.
  address.set([m[0] ?? 0, m[1] ?? 0, m[2] ?? 0, 0xff, 0xfe, m[3] ?? 0, m[4] ?? 0, m[5] ?? 0], 8);
  address[8] = (address[8] ?? 0) ^ 0x02;
  return ipv6Text(address);
}

/** RFC 2464 §7: the Ethernet multicast MAC of an IPv6 multicast address (33:33 + low 32 bits). */
export function ipv6MulticastMac(ip: string): string {
  const low = ipv6Bytes(ip).subarray(12, 16);
  return macText(Uint8Array.of(0x33, 0x33, ...low));
}

/** RFC 4291 §2.7.1: solicited-node multicast address ff02::1:ffXX:XXXX of a unicast address. */
export function solicitedNodeAddress(ip: string): string {
  const address = ipv6Bytes('ff02::1:ff00:0');
  address.set(ipv6Bytes(ip).subarray(13, 16), 13);
  return ipv6Text(address);
}
