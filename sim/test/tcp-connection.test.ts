import { describe, it, expect } from 'vitest';
import { tcpConnection, type TcpPeer } from '../src/packets/tcp-connection.js';
import { ipv4Bytes } from '../src/packets/address.js';
import { onesComplementSum, view } from './wire.js';

const client: TcpPeer = { ip: '10.20.1.159', port: 51000, isn: 0xfffffff0, window: 64240, mss: 1460 };
const server: TcpPeer = { ip: '10.20.1.10', port: 8080, isn: 1000, window: 29200, mss: 1400 };

interface Segment {
  from: string;
  seq: number;
  ack: number;
  flags: number;
  dataOffset: number;
  payload: Uint8Array;
  raw: Uint8Array;
}

const read = (from: string, raw: Uint8Array): Segment => {
  const v = view(raw);
  const dataOffset = (v.getUint8(12) >> 4) * 4;
  return { from, seq: v.getUint32(4), ack: v.getUint32(8), flags: v.getUint8(13), dataOffset, payload: raw.subarray(dataOffset), raw };
};

describe('tcpConnection (RFC 9293)', () => {
  const request = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
  const response = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
  const segments = tcpConnection(client, server, [
    { from: 'client', payload: request },
    { from: 'server', payload: response },
  ]).map((s) => read(s.from, s.segment));

  it('opens with SYN, SYN-ACK, ACK acknowledging each ISN + 1', () => {
    const [syn, synAck, ack] = segments;
    expect([syn?.flags, synAck?.flags, ack?.flags]).toEqual([0x02, 0x12, 0x10]);
    expect(syn?.seq).toBe(client.isn);
    expect(synAck?.ack).toBe((client.isn + 1) >>> 0);
    expect(ack?.ack).toBe(server.isn + 1);
    expect(syn?.dataOffset).toBe(24);
  });

  it('splits data at the smaller MSS with sequence numbers following on (wrapping at 2^32)', () => {
    const fromServer = segments.filter((s) => s.from === 'server' && s.payload.length > 0);
    expect(fromServer.map((s) => s.payload.length)).toEqual([1400, 1400, 1400, 800]);
    fromServer.slice(1).forEach((s, i) => expect(s.seq).toBe((fromServer[i]?.seq ?? 0) + 1400));
    expect(fromServer.at(-1)?.flags).toBe(0x18); // PSH | ACK on the last
    const clientData = segments.find((s) => s.from === 'client' && s.payload.length > 0);
    expect(clientData?.seq).toBe((client.isn + 1) >>> 0);
    expect(Buffer.concat(fromServer.map((s) => s.payload))).toEqual(Buffer.from(response));
  });

  it('acknowledges every second segment and the end of each message', () => {
    const acks = segments.filter((s) => s.from === 'client' && s.payload.length === 0 && s.flags === 0x10);
    // handshake ACK, after server segments 2 and 4, final ACK of the close
    expect(acks.length).toBe(4);
    expect(acks[2]?.ack).toBe(server.isn + 1 + response.length);
  });

  it('closes with FIN from the client, FIN from the server and a last ACK', () => {
    const [finC, finS, last] = segments.slice(-3);
    expect([finC?.flags, finS?.flags, last?.flags]).toEqual([0x11, 0x11, 0x10]);
    expect(finS?.ack).toBe(((finC?.seq ?? 0) + 1) >>> 0);
    expect(last?.ack).toBe((finS?.seq ?? 0) + 1);
  });

  it('gives every segment a valid checksum', () => {
    for (const s of segments) {
      const [src, dst] = s.from === 'client' ? [client.ip, server.ip] : [server.ip, client.ip];
      const pseudo = new Uint8Array(12);
      pseudo.set(ipv4Bytes(src), 0);
      pseudo.set(ipv4Bytes(dst), 4);
      pseudo[9] = 6;
      view(pseudo).setUint16(10, s.raw.length);
      expect(onesComplementSum(pseudo, s.raw)).toBe(0xffff);
    }
  });
});
