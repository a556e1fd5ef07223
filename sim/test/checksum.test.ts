import { describe, it, expect } from 'vitest';
import { internetChecksum } from '../src/packets/checksum.js';
import { forwardIpv4, ipv4Packet, IP_PROTOCOL_TCP, IP_PROTOCOL_UDP } from '../src/packets/ipv4.js';
import { ipv6Packet, NEXT_HEADER_ICMPV6 } from '../src/packets/ipv6.js';
import { routerSolicitation } from '../src/packets/icmpv6.js';
import { tcpSegment, TCP_ACK, TCP_PSH } from '../src/packets/tcp.js';
import { udpDatagram } from '../src/packets/udp.js';
import { ipv6Bytes } from '../src/packets/address.js';
import { ipv4PseudoHeader, onesComplementSum, readIpv4 } from './wire.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));

describe('internet checksum (RFC 1071)', () => {
  it('matches a worked IPv4 header: 192.168.0.1 → 192.168.0.199, UDP, TTL 64', () => {
    // version/IHL 45, TOS 00, length 0073, id 0000, flags DF 4000, TTL 40, proto 11, checksum 0000, addresses
    const header = hex('4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7');
    expect(internetChecksum([header])).toBe(0xb861);
  });

  it('pads an odd trailing byte with zero', () => {
    expect(internetChecksum([Uint8Array.of(0x01)])).toBe(~0x0100 & 0xffff);
    expect(internetChecksum([Uint8Array.of(0x01, 0x02), Uint8Array.of(0x03)])).toBe(internetChecksum([Uint8Array.of(0x01, 0x02, 0x03, 0x00)]));
  });
});

describe('IPv4 header checksum', () => {
  const packet = ipv4Packet({ src: '10.20.1.10', dst: '10.20.2.77', protocol: IP_PROTOCOL_UDP, id: 0x1c46, ttl: 128, dontFragment: true, payload: new Uint8Array(13) });

  it('sums the header to 0xffff and fills the fixed fields', () => {
    const ip = readIpv4(packet);
    expect(onesComplementSum(ip.header)).toBe(0xffff);
    expect(ip.totalLength).toBe(33);
    expect(ip.ttl).toBe(128);
    expect([packet[4], packet[5], packet[6]]).toEqual([0x1c, 0x46, 0x40]);
  });

  it('stays valid after a router lowers the TTL (RFC 1812 §5.3.1)', () => {
    const forwarded = forwardIpv4(packet, 2);
    expect(readIpv4(forwarded).ttl).toBe(126);
    expect(onesComplementSum(readIpv4(forwarded).header)).toBe(0xffff);
    expect(readIpv4(packet).ttl).toBe(128);
  });
});

describe('transport checksums over the pseudo-header', () => {
  it('UDP over IPv4 verifies to 0xffff', () => {
    const udp = udpDatagram({ src: '0.0.0.0', dst: '255.255.255.255', srcPort: 68, dstPort: 67, payload: Uint8Array.of(1, 2, 3, 4, 5) });
    const ip = readIpv4(ipv4Packet({ src: '0.0.0.0', dst: '255.255.255.255', protocol: IP_PROTOCOL_UDP, id: 1, ttl: 64, payload: udp }));
    expect(onesComplementSum(ipv4PseudoHeader(ip), ip.payload)).toBe(0xffff);
    expect(new DataView(udp.buffer).getUint16(4)).toBe(13);
  });

  it('TCP with data and an odd length verifies to 0xffff', () => {
    const fields = { src: '10.20.1.117', dst: '10.20.1.11', srcPort: 50123, dstPort: 2575, seq: 0xfffffff0, ack: 7, flags: TCP_ACK | TCP_PSH, window: 8192 };
    const segment = tcpSegment({ ...fields, payload: Uint8Array.of(0x0b, 0x4d, 0x53, 0x48, 0x1c, 0x0d, 0x41) });
    const ip = readIpv4(ipv4Packet({ src: fields.src, dst: fields.dst, protocol: IP_PROTOCOL_TCP, id: 9, ttl: 64, payload: segment }));
    expect(onesComplementSum(ipv4PseudoHeader(ip), ip.payload)).toBe(0xffff);
    expect(segment[12]).toBe(5 << 4);
  });

  it('TCP SYN carries the MSS option and a longer data offset', () => {
    const segment = tcpSegment({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 1, dstPort: 2, seq: 1, ack: 0, flags: 0x02, window: 1024, mss: 1460 });
    expect(segment.length).toBe(24);
    expect(segment[12]).toBe(6 << 4);
    expect(Array.from(segment.subarray(20))).toEqual([2, 4, 0x05, 0xb4]);
  });

  it('ICMPv6 verifies against the IPv6 pseudo-header (RFC 8200 §8.1)', () => {
    const src = 'fe80::1265:30ff:fe2a:a862';
    const message = routerSolicitation(src, 'ff02::2', '10:65:30:2a:a8:62');
    const pseudo = new Uint8Array(40);
    pseudo.set(ipv6Bytes(src), 0);
    pseudo.set(ipv6Bytes('ff02::2'), 16);
    new DataView(pseudo.buffer).setUint32(32, message.length);
    pseudo[39] = NEXT_HEADER_ICMPV6;
    expect(onesComplementSum(pseudo, message)).toBe(0xffff);
    const packet = ipv6Packet({ src, dst: 'ff02::2', nextHeader: NEXT_HEADER_ICMPV6, hopLimit: 255, payload: message });
    expect((packet[0] ?? 0) >> 4).toBe(6);
    expect(new DataView(packet.buffer).getUint16(4)).toBe(message.length);
  });
});
