/**
 * Ethernet/IPv4/TCP frames around hand-made DICOM and HL7 payloads, so tshark can read the
 * fixtures too. One connection, both directions, sequence numbers advancing per direction;
 * checksums are left 0 (neither tshark nor our dissector verifies them by default).
 */

/** One TCP segment: which side sends it, and what. */
export interface Segment {
  fromClient: boolean;
  payload: Uint8Array;
}

const CLIENT = { mac: [0x00, 0x09, 0xfb, 0x1a, 0x2b, 0x3c], ip: [10, 20, 0, 55], port: 49200 };
const SERVER = { mac: [0x00, 0x00, 0x5e, 0x00, 0x01, 0x14], ip: [10, 30, 0, 10] };
const ETHERNET_IPV4_TCP = 14 + 20 + 20;
const TCP_ACK_PSH = 0x18;

function u16(n: number): number[] {
  return [(n >>> 8) & 0xff, n & 0xff];
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function frame(fromClient: boolean, serverPort: number, seq: number, ack: number, payload: Uint8Array): Uint8Array {
  const [src, dst] = fromClient ? [CLIENT, SERVER] : [SERVER, CLIENT];
  const [srcPort, dstPort] = fromClient ? [CLIENT.port, serverPort] : [serverPort, CLIENT.port];
  const header = [
    ...dst.mac, ...src.mac, 0x08, 0x00, // Ethernet II, IPv4
    0x45, 0x00, ...u16(40 + payload.length), 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, // IPv4, DF, TTL 64, TCP
    ...src.ip, ...dst.ip,
    ...u16(srcPort), ...u16(dstPort), ...u32(seq), ...u32(ack), 0x50, TCP_ACK_PSH, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, // TCP
  ];
  const bytes = new Uint8Array(ETHERNET_IPV4_TCP + payload.length);
  bytes.set(header);
  bytes.set(payload, ETHERNET_IPV4_TCP);
  return bytes;
}

/** The frames of `segments` exchanged on one connection to `serverPort`. */
export function connectionFrames(serverPort: number, segments: readonly Segment[]): Uint8Array[] {
  let clientSeq = 0x1000_0000;
  let serverSeq = 0x7000_0000;
  return segments.map(({ fromClient, payload }) => {
    const built = fromClient ? frame(true, serverPort, clientSeq, serverSeq, payload) : frame(false, serverPort, serverSeq, clientSeq, payload);
    if (fromClient) clientSeq = (clientSeq + payload.length) >>> 0;
    else serverSeq = (serverSeq + payload.length) >>> 0;
    return built;
  });
}
