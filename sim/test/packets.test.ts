import { describe, it, expect } from 'vitest';
import { ethernetFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../src/packets/ethernet.js';
import { arpReply, gratuitousArp } from '../src/packets/arp.js';
import { ipv6Packet, NEXT_HEADER_ICMPV6 } from '../src/packets/ipv6.js';
import { clientHello } from '../src/packets/tls.js';
import { hl7Ack, mllpFrame, oruR01 } from '../src/packets/hl7.js';
import { httpRequest } from '../src/packets/http.js';
import { linkLocalFromMac, solicitedNodeAddress, ipv6MulticastMac, ipv6Bytes, macBytes } from '../src/packets/address.js';
import { readEthernet, text, view } from './wire.js';

describe('Ethernet II and 802.1Q', () => {
  it('pads short frames to 60 bytes', () => {
    const frame = ethernetFrame({ dst: 'ff:ff:ff:ff:ff:ff', src: '00:07:4d:01:02:03', etherType: ETHERTYPE_ARP, payload: new Uint8Array(28) });
    expect(frame.length).toBe(60);
  });

  it('inserts TPID 0x8100 and a TCI with priority and VLAN id before the EtherType', () => {
    const frame = ethernetFrame({ dst: '00:00:00:00:00:01', src: '50:81:40:01:02:03', etherType: ETHERTYPE_IPV4, payload: new Uint8Array(100), vlan: { id: 30, priority: 5 } });
    expect(view(frame).getUint16(12)).toBe(0x8100);
    expect(view(frame).getUint16(14)).toBe((5 << 13) | 30);
    expect(view(frame).getUint16(16)).toBe(ETHERTYPE_IPV4);
    expect(readEthernet(frame)).toMatchObject({ vlan: 30, etherType: ETHERTYPE_IPV4, src: '50:81:40:01:02:03' });
  });

  it('refuses a reserved VLAN id', () => {
    expect(() => ethernetFrame({ dst: '00:00:00:00:00:01', src: '00:00:00:00:00:02', etherType: 1, payload: new Uint8Array(0), vlan: { id: 4095 } })).toThrow();
  });
});

describe('ARP (RFC 826, RFC 5227)', () => {
  it('a gratuitous ARP is a request with sender and target IP both the host', () => {
    const arp = gratuitousArp('00:09:fb:3c:72:28', '10.20.1.117');
    expect(arp.length).toBe(28);
    expect(view(arp).getUint16(6)).toBe(1);
    expect(Array.from(arp.subarray(14, 18))).toEqual([10, 20, 1, 117]);
    expect(Array.from(arp.subarray(24, 28))).toEqual([10, 20, 1, 117]);
  });

  it('a reply carries both hardware addresses', () => {
    const arp = arpReply('10:57:25:00:00:01', '10.20.1.1', '00:09:fb:3c:72:28', '10.20.1.117');
    expect(view(arp).getUint16(6)).toBe(2);
    expect(arp.subarray(8, 14)).toEqual(macBytes('10:57:25:00:00:01'));
    expect(arp.subarray(18, 24)).toEqual(macBytes('00:09:fb:3c:72:28'));
  });
});

describe('IPv6 (RFC 8200) addresses and extension header', () => {
  it('derives the modified EUI-64 link-local, solicited-node group and multicast MAC', () => {
    expect(linkLocalFromMac('10:65:30:2a:a8:62')).toBe('fe80::1265:30ff:fe2a:a862');
    expect(solicitedNodeAddress('fe80::1265:30ff:fe2a:a862')).toBe('ff02::1:ff2a:a862');
    expect(ipv6MulticastMac('ff02::1:ff2a:a862')).toBe('33:33:ff:2a:a8:62');
    expect(Array.from(ipv6Bytes('::1'))).toEqual([...Array<number>(15).fill(0), 1]);
  });

  it('adds an 8-byte hop-by-hop header with a Router Alert and counts it in the payload length', () => {
    const packet = ipv6Packet({ src: '::', dst: 'ff02::16', nextHeader: NEXT_HEADER_ICMPV6, hopLimit: 1, payload: new Uint8Array(28), routerAlert: true });
    expect(packet.length).toBe(40 + 8 + 28);
    expect(view(packet).getUint16(4)).toBe(36);
    expect(packet[6]).toBe(0); // next header: hop-by-hop
    expect(Array.from(packet.subarray(40, 48))).toEqual([58, 0, 5, 2, 0, 0, 1, 0]);
  });
});

describe('TLS ClientHello (RFC 8446 §4.1.2)', () => {
  const hello = clientHello({ serverName: 'hl7-engine.hospital.local', version: '1.3', random: new Uint8Array(32), sessionId: new Uint8Array(32), keyShare: new Uint8Array(32) });

  it('has record and handshake lengths that match the bytes', () => {
    expect(hello[0]).toBe(22);
    expect(view(hello).getUint16(3)).toBe(hello.length - 5);
    expect(hello[5]).toBe(1);
    expect((view(hello).getUint32(5) & 0xffffff)).toBe(hello.length - 9);
  });

  it('names the server in the SNI extension and offers TLS 1.3', () => {
    let i = 9 + 2 + 32;
    i += 1 + (hello[i] ?? 0); // session id
    i += 2 + view(hello).getUint16(i); // cipher suites
    i += 1 + (hello[i] ?? 0); // compression methods
    const end = i + 2 + view(hello).getUint16(i);
    const extensions = new Map<number, Uint8Array>();
    for (i += 2; i < end; ) {
      const type = view(hello).getUint16(i);
      const length = view(hello).getUint16(i + 2);
      extensions.set(type, hello.subarray(i + 4, i + 4 + length));
      i += 4 + length;
    }
    expect(i).toBe(hello.length);
    const sni = extensions.get(0) ?? new Uint8Array(0);
    expect(sni[2]).toBe(0); // host_name
    expect(text(sni.subarray(5))).toBe('hl7-engine.hospital.local');
    expect(Array.from(extensions.get(43) ?? [])).toEqual([4, 0x03, 0x04, 0x03, 0x03]);
  });
});

describe('HL7 v2.5 over MLLP', () => {
  const header = {
    sendingApplication: 'INTELLIVUE_MX450',
    sendingFacility: 'WARD1',
    receivingApplication: 'HL7ENGINE',
    receivingFacility: 'HOSPITAL',
    timestamp: '20260101080000',
    controlId: '123',
  };

  it('frames a message with 0x0B … 0x1C 0x0D and puts MSH-3, MSH-4, MSH-9 and MSH-12 in place', () => {
    const framed = mllpFrame(oruR01({ header, patientId: '555', bed: 'BED12', vitals: [{ code: '8867-4^Heart rate^LN', value: '72', units: '/min' }] }));
    expect(framed[0]).toBe(0x0b);
    expect(Array.from(framed.subarray(-2))).toEqual([0x1c, 0x0d]);
    const segments = text(framed.subarray(1, -2)).split('\r').filter(Boolean);
    const msh = (segments[0] ?? '').split('|');
    expect([msh[2], msh[3], msh[8], msh[11]]).toEqual(['INTELLIVUE_MX450', 'WARD1', 'ORU^R01^ORU_R01', '2.5']);
    expect(segments.map((s) => s.slice(0, 3))).toEqual(['MSH', 'PID', 'PV1', 'OBR', 'OBX']);
  });

  it('acknowledges with MSA-1 AA and MSA-2 the original control id, addresses swapped', () => {
    const ack = hl7Ack({ ...header, messageType: 'ORU^R01^ORU_R01' }, { timestamp: '20260101080001', controlId: 'A1' }).split('\r');
    expect(ack[0]?.split('|').slice(2, 4)).toEqual(['HL7ENGINE', 'HOSPITAL']);
    expect(ack[0]?.split('|')[8]).toBe('ACK^R01^ACK');
    expect(ack[1]).toBe('MSA|AA|123');
  });
});

describe('HTTP/1.1 request (RFC 9112 §3)', () => {
  it('has a request line, Host first and an empty line before the body', () => {
    const request = text(httpRequest({ method: 'GET', target: '/wado?x=1', host: 'pacs-01:8080', userAgent: 'test' }));
    expect(request.startsWith('GET /wado?x=1 HTTP/1.1\r\nHost: pacs-01:8080\r\n')).toBe(true);
    expect(request.endsWith('\r\n\r\n')).toBe(true);
  });
});
