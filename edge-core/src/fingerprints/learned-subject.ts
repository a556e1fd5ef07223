/**
 * Which device of a capture its learned features describe: the MAC given; else the MAC that sends
 * most frames; else, where frames carry no Ethernet addresses (raw IP, loopback, Linux cooked), the
 * local IP address that sends most packets (RFC 1918, RFC 6598 shared space, link-local, IPv6 unique
 * local), or the address that sends most when none is local.
 */
import { ipv4ToString, ipv6ToString } from '../decoders/address-text.js';
import { L3_IPV4, L3_IPV6 } from '../decoders/registry.js';
import { dissectLink, LINKTYPE_ETHERNET, type Dissection } from '../dissect.js';

export interface DeviceChoice {
  /** How the device is recognised in the capture; `none` when nothing in it qualifies. */
  by: 'mac' | 'ip' | 'none';
  /** The device's MAC as a 48-bit number (by `mac`), else null. */
  mac: number | null;
  /** The device's address as text: MAC (by `mac`) or IP (by `ip`); null for `none`. */
  address: string | null;
  /** Frames the device sent. */
  sent: number;
  /** A MAC was asked for and the capture has no frame from it: another device was chosen. */
  missing: boolean;
}

/** The frames a choice is made from: link type and bytes. */
export interface FrameBytes {
  bytes: Uint8Array;
  linkType: number;
}


/** A MAC in text (any of `:`, `-`, `.` separators or none) as a 48-bit number, or null. */
export function parseMac(text: string): number | null {
  const hex = text.trim().toLowerCase().replace(/[:.-]/g, '');
  return /^[0-9a-f]{12}$/.test(hex) ? Number.parseInt(hex, 16) : null;
}

function macText(mac: number): string {
  return (mac.toString(16).padStart(12, '0').match(/../g) ?? []).join(':');
}

/** RFC 1918, RFC 6598, RFC 3927 link-local; IPv6 fe80::/10 and fc00::/7. */
export function isLocalAddress(text: string): boolean {
  if (text.includes(':')) return /^(fe[89ab]|f[cd])/i.test(text);
  const [a = 0, b = 0] = text.split('.').map(Number);
  return a === 10 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b < 128);
}

/** The key with the highest count; ties go to the key counted first. */
function most<K>(counts: Map<K, number>, allowed: (key: K) => boolean): [K, number] | null {
  let best: [K, number] | null = null;
  for (const [key, n] of counts) if (allowed(key) && (best === null || n > best[1])) best = [key, n];
  return best;
}

/** Chooses the device of `frames` (see the module comment); `d` is scratch. */
export function chooseDevice(frames: readonly FrameBytes[], mac: string | null, d: Dissection): DeviceChoice {
  const wanted = mac === null ? null : parseMac(mac);
  const macs = new Map<number, number>();
  const ips = new Map<string, number>();
  for (const frame of frames) {
    dissectLink(frame.bytes, d, frame.linkType, 0, frame.bytes.length);
    if (frame.linkType === LINKTYPE_ETHERNET) {
      // IEEE 802 §8.2: the group bit (least significant bit of the first octet) never marks a sender.
      if (d.srcMac !== 0 && Math.floor(d.srcMac / 2 ** 40) % 2 === 0) macs.set(d.srcMac, (macs.get(d.srcMac) ?? 0) + 1);
      continue;
    }
    const source = d.l3 === L3_IPV4 ? (d.ipSrc === 0 ? '' : ipv4ToString(d.ipSrc)) : d.l3 === L3_IPV6 && d.ip6SrcOffset >= 0 ? ipv6ToString(frame.bytes, d.ip6SrcOffset) : '';
    if (source !== '') ips.set(source, (ips.get(source) ?? 0) + 1);
  }
  if (wanted !== null && macs.has(wanted)) return { by: 'mac', mac: wanted, address: macText(wanted), sent: macs.get(wanted) ?? 0, missing: false };
  const missing = wanted !== null;
  const topMac = most(macs, () => true);
  if (topMac !== null) return { by: 'mac', mac: topMac[0], address: macText(topMac[0]), sent: topMac[1], missing };
  const topIp = most(ips, isLocalAddress) ?? most(ips, () => true);
  if (topIp !== null) return { by: 'ip', mac: null, address: topIp[0], sent: topIp[1], missing };
  return { by: 'none', mac: null, address: null, sent: 0, missing };
}
