/**
 * An independent, test-only reading of the frames the simulator writes: just enough Ethernet, IPv4,
 * UDP and DHCP to check the builders against the specifications rather than against themselves.
 */
export interface EthernetView {
  dst: string;
  src: string;
  vlan?: number;
  etherType: number;
  payload: Uint8Array;
}

export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const mac = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');

export function readEthernet(frame: Uint8Array): EthernetView {
  const v = view(frame);
  let offset = 12;
  let vlan: number | undefined;
  if (v.getUint16(offset) === 0x8100) {
    vlan = v.getUint16(offset + 2) & 0x0fff;
    offset += 4;
  }
  const out: EthernetView = { dst: mac(frame.subarray(0, 6)), src: mac(frame.subarray(6, 12)), etherType: v.getUint16(offset), payload: frame.subarray(offset + 2) };
  if (vlan !== undefined) out.vlan = vlan;
  return out;
}

export interface Ipv4View {
  headerLength: number;
  totalLength: number;
  ttl: number;
  protocol: number;
  src: string;
  dst: string;
  header: Uint8Array;
  payload: Uint8Array;
}

export function readIpv4(packet: Uint8Array): Ipv4View {
  const v = view(packet);
  const headerLength = (v.getUint8(0) & 0x0f) * 4;
  const totalLength = v.getUint16(2);
  return {
    headerLength,
    totalLength,
    ttl: v.getUint8(8),
    protocol: v.getUint8(9),
    src: Array.from(packet.subarray(12, 16)).join('.'),
    dst: Array.from(packet.subarray(16, 20)).join('.'),
    header: packet.subarray(0, headerLength),
    // Trailing Ethernet padding is not part of the datagram.
    payload: packet.subarray(headerLength, totalLength),
  };
}

/** Sum of 16-bit words with end-around carry (RFC 1071), written independently of the simulator's. */
export function onesComplementSum(...parts: Uint8Array[]): number {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  let sum = 0;
  for (let i = 0; i < all.length; i += 2) sum += ((all[i] ?? 0) << 8) + (all[i + 1] ?? 0);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

export function ipv4PseudoHeader(ip: Ipv4View): Uint8Array {
  const b = new Uint8Array(12);
  b.set(ip.header.subarray(12, 20), 0);
  b[9] = ip.protocol;
  view(b).setUint16(10, ip.payload.length);
  return b;
}

export interface DhcpView {
  op: number;
  xid: number;
  flags: number;
  yiaddr: string;
  giaddr: string;
  chaddr: string;
  /** Options in wire order, with 255 (end) last. */
  options: { code: number; value: Uint8Array }[];
}

/** RFC 2131 §2 fixed fields, the magic cookie at offset 236, then the option TLVs. */
export function readDhcp(message: Uint8Array): DhcpView {
  const v = view(message);
  const options: DhcpView['options'] = [];
  if (v.getUint32(236) !== 0x63825363) throw new Error('no magic cookie');
  let i = 240;
  while (i < message.length) {
    const code = message[i] ?? 0;
    if (code === 255) {
      options.push({ code, value: new Uint8Array(0) });
      break;
    }
    if (code === 0) {
      i++;
      continue;
    }
    const length = message[i + 1] ?? 0;
    options.push({ code, value: message.subarray(i + 2, i + 2 + length) });
    i += 2 + length;
  }
  return {
    op: v.getUint8(0),
    xid: v.getUint32(4),
    flags: v.getUint16(10),
    yiaddr: Array.from(message.subarray(16, 20)).join('.'),
    giaddr: Array.from(message.subarray(24, 28)).join('.'),
    chaddr: mac(message.subarray(28, 34)),
    options,
  };
}

export const text = (bytes: Uint8Array | undefined): string => (bytes ? String.fromCharCode(...bytes) : '');

/** DHCP messages carried in a frame (Ethernet [802.1Q] IPv4 UDP 67/68), or undefined. */
export function dhcpIn(frame: Uint8Array): DhcpView | undefined {
  const eth = readEthernet(frame);
  if (eth.etherType !== 0x0800) return undefined;
  const ip = readIpv4(eth.payload);
  if (ip.protocol !== 17) return undefined;
  const ports = view(ip.payload);
  const src = ports.getUint16(0);
  const dst = ports.getUint16(2);
  if (!((src === 68 && dst === 67) || (src === 67 && dst === 68))) return undefined;
  return readDhcp(ip.payload.subarray(8));
}
