/**
 * The conversations of the mix, each a short list of frames: bulk DICOM storage, HL7 over MLLP,
 * HTTPS, SMB2 file access, and the ARP that keeps every segment talking. Built with the same packet
 * builders as the small hospital, so every checksum and length is right.
 */
import type { Host } from '../devices.js';
import { hostFrame } from '../network.js';
import type { SeededRandom } from '../prng.js';
import { BROADCAST_MAC } from '../packets/address.js';
import { arpRequest } from '../packets/arp.js';
import { CT_IMAGE_STORAGE, IMPLICIT_VR_LITTLE_ENDIAN, associateAc, associateRq, pDataFragments, releaseRp, releaseRq } from '../packets/dicom-ul.js';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../packets/ethernet.js';
import { hl7Ack, hl7Message, mllpFrame, mshSegment } from '../packets/hl7.js';
import { IP_PROTOCOL_TCP, ipv4Packet } from '../packets/ipv4.js';
import { tcpConnection, type TcpMessage } from '../packets/tcp-connection.js';
import { applicationData, clientHello, serverHello } from '../packets/tls.js';

export type SessionKind = 'dicom' | 'hl7' | 'https' | 'smb' | 'discovery';

const MSS = 1460;

/** A TCP conversation between two hosts on one segment, as frames. */
export function tcpFrames(random: SeededRandom, client: Host, server: Host, port: number, messages: readonly TcpMessage[]): Uint8Array[] {
  const peer = (h: Host, p: number) => ({ ip: h.ip, port: p, isn: random.uint32(), window: h.tcpWindow, mss: MSS });
  let id = random.int(0, 0xffff);
  return tcpConnection(peer(client, random.int(49152, 65535)), peer(server, port), messages).map(({ from, segment }) => {
    const [src, dst] = from === 'client' ? [client, server] : [server, client];
    const packet = ipv4Packet({ src: src.ip, dst: dst.ip, protocol: IP_PROTOCOL_TCP, id: id++ & 0xffff, ttl: src.ttl, dontFragment: true, payload: segment });
    return hostFrame(src, dst.mac, ETHERTYPE_IPV4, packet);
  });
}

const DICOM_MAKERS = [
  ['1.2.840.113619.6.374', 'GEHC_CT_24'],
  ['1.3.46.670589.33.1.4.1', 'PMS_ELEVA_416'],
  ['1.2.840.113681.1', 'HOLOGIC_7'],
  ['1.2.276.0.7230010.3.0.3.6.7', 'OFFIS_DCMTK_367'],
] as const;

export function dicomStore(random: SeededRandom, modality: Host, pacs: Host, kilobytes: number): Uint8Array[] {
  const [uid, version] = DICOM_MAKERS[random.int(0, DICOM_MAKERS.length - 1)] ?? DICOM_MAKERS[0];
  const userInfo = { maxPduLength: 16_384, implementationClassUid: uid, implementationVersionName: version };
  const messages: TcpMessage[] = [
    { from: 'client', payload: associateRq({ calledAeTitle: 'PACS', callingAeTitle: `CT${random.int(1, 99)}`, presentationContexts: [{ id: 1, abstractSyntax: CT_IMAGE_STORAGE, transferSyntaxes: [IMPLICIT_VR_LITTLE_ENDIAN] }], userInfo }) },
    { from: 'server', payload: associateAc({ calledAeTitle: 'PACS', callingAeTitle: 'CT', presentationContexts: [{ id: 1, result: 0, transferSyntax: IMPLICIT_VR_LITTLE_ENDIAN }], userInfo }) },
  ];
  const bulk = random.bytes(kilobytes * 1024);
  const pdus = pDataFragments(1, false, bulk, 16_384);
  let pending: Uint8Array[] = [];
  for (const pdu of pdus) {
    pending.push(pdu);
    if (pending.length === 4) {
      messages.push({ from: 'client', payload: concat(pending) });
      pending = [];
    }
  }
  if (pending.length > 0) messages.push({ from: 'client', payload: concat(pending) });
  messages.push({ from: 'client', payload: releaseRq() }, { from: 'server', payload: releaseRp() });
  return tcpFrames(random, modality, pacs, 104, messages);
}

export function hl7Report(random: SeededRandom, monitor: Host & { hostname: string }, engine: Host, reports: number): Uint8Array[] {
  const messages: TcpMessage[] = [];
  for (let i = 0; i < reports; i++) {
    const header = { sendingApplication: monitor.hostname.toUpperCase(), sendingFacility: 'WARD', receivingApplication: 'HL7ENGINE', receivingFacility: 'HOSPITAL', timestamp: '20260101080000', controlId: String(random.uint32()) };
    const obx = `OBX|1|NM|8867-4^Heart rate^LN||${random.int(55, 120)}|/min|||||F`;
    messages.push({ from: 'client', payload: mllpFrame(hl7Message([mshSegment({ ...header, messageType: 'ORU^R01^ORU_R01' }), `PID|||${random.int(100_000, 999_999)}`, obx])) });
    // The engine answers as itself: its ACK's MSH-3/4 are the engine's, MSH-5/6 the monitor's (HL7 v2.5 §2.9.2).
    messages.push({ from: 'server', payload: mllpFrame(hl7Ack({ ...header, messageType: 'ORU^R01^ORU_R01' }, { timestamp: header.timestamp, controlId: `A${header.controlId}` })) });
  }
  return tcpFrames(random, monitor, engine, 2575, messages);
}

export function httpsSession(random: SeededRandom, client: Host, server: Host & { hostname: string }, records: number): Uint8Array[] {
  const sessionId = random.bytes(32);
  const messages: TcpMessage[] = [
    { from: 'client', payload: clientHello({ serverName: `${server.hostname}.hospital.example`, version: '1.3', random: random.bytes(32), sessionId, keyShare: random.bytes(32), alpn: ['http/1.1'] }) },
    { from: 'server', payload: serverHello({ version: '1.3', random: random.bytes(32), sessionId, cipherSuite: 0x1301, keyShare: random.bytes(32)} ) },
  ];
  for (let i = 0; i < records; i++) {
    messages.push({ from: 'client', payload: applicationData(random.bytes(random.int(80, 600))) });
    messages.push({ from: 'server', payload: applicationData(random.bytes(random.int(400, 6000))) });
  }
  return tcpFrames(random, client, server, 443, messages);
}

/** SMB2 over direct TCP (MS-SMB2 §2.1): a 4-byte length, then the 64-byte header (§2.2.1.2). */
function smb2Message(command: number, response: boolean, messageId: number, body: Uint8Array): Uint8Array {
  const length = 64 + body.length;
  const out = new Uint8Array(4 + length);
  const view = new DataView(out.buffer);
  view.setUint32(0, length); // Direct TCP transport: zero octet, then a 24-bit length
  out.set([0xfe, 0x53, 0x4d, 0x42], 4); // ProtocolId
  view.setUint16(8, 64, true); // StructureSize
  view.setUint16(16, command, true); // Command
  view.setUint16(18, 1, true); // CreditRequest/CreditResponse
  view.setUint32(20, response ? 0x1 : 0, true); // Flags: SMB2_FLAGS_SERVER_TO_REDIR on responses
  view.setBigUint64(28, BigInt(messageId), true); // MessageId
  out.set(body, 68);
  return out;
}

const SMB2_READ = 8;

/** §2.2.19 READ Request: 49-octet structure asking for `length` octets at `offset`. */
function readRequest(random: SeededRandom, length: number, offset: number): Uint8Array {
  const body = new Uint8Array(49);
  const view = new DataView(body.buffer);
  view.setUint16(0, 49, true); // StructureSize
  body[2] = 0x50; // Padding: where the data goes in the response
  view.setUint32(4, length, true);
  view.setBigUint64(8, BigInt(offset), true);
  body.set(random.bytes(16), 16); // FileId
  return body;
}

/** §2.2.20 READ Response: 17-octet structure, then the data. */
function readResponse(data: Uint8Array): Uint8Array {
  const body = new Uint8Array(16 + data.length);
  const view = new DataView(body.buffer);
  view.setUint16(0, 17, true); // StructureSize
  body[2] = 64 + 16; // DataOffset from the start of the SMB2 header
  view.setUint32(4, data.length, true); // DataLength
  body.set(data, 16);
  return body;
}

export function smbSession(random: SeededRandom, workstation: Host, server: Host, exchanges: number): Uint8Array[] {
  const messages: TcpMessage[] = [];
  let offset = 0;
  for (let i = 0; i < exchanges; i++) {
    const length = random.int(500, 8000);
    messages.push({ from: 'client', payload: smb2Message(SMB2_READ, false, i + 1, readRequest(random, length, offset)) });
    messages.push({ from: 'server', payload: smb2Message(SMB2_READ, true, i + 1, readResponse(random.bytes(length))) });
    offset += length;
  }
  return tcpFrames(random, workstation, server, 445, messages);
}

export function discovery(random: SeededRandom, asker: Host, target: Host): Uint8Array[] {
  return [hostFrame(asker, BROADCAST_MAC, ETHERTYPE_ARP, arpRequest(asker.mac, asker.ip, target.ip))];
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
