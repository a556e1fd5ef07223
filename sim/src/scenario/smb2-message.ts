/**
 * SMB2 file reads and writes over direct TCP (MS-SMB2 §2.1): a workstation reading documents from
 * the file server, and writing to it. Each message is the 4-octet transport length, the 64-octet
 * sync header (§2.2.1.2) and the command's structure.
 */
import { viewOf } from '../packets/bytes.js';
import type { TcpMessage } from '../packets/tcp-connection.js';

export const SMB_PORT = 445;

const HEADER_LENGTH = 64;
/** §2.2.1.2 command codes. */
const SMB2_READ = 0x0008;
const SMB2_WRITE = 0x0009;
/** §2.2.1.2 Flags: SMB2_FLAGS_SERVER_TO_REDIR on responses. */
const SERVER_TO_REDIR = 0x0000_0001;
/** Largest write a client sends in one request before splitting (a common negotiated MaxWriteSize). */
const WRITE_CHUNK = 65_536;

export interface SmbContext {
  sessionId: bigint;
  treeId: number;
  /** The open file's 16-octet SMB2_FILEID (§2.2.14.1). */
  fileId: Uint8Array;
}

function message(command: number, response: boolean, messageId: number, context: SmbContext, body: Uint8Array): Uint8Array {
  const length = HEADER_LENGTH + body.length;
  const out = new Uint8Array(4 + length);
  const view = viewOf(out);
  view.setUint32(0, length); // §2.1: a zero octet, then the 24-bit length in network order
  out.set([0xfe, 0x53, 0x4d, 0x42], 4); // ProtocolId
  view.setUint16(8, HEADER_LENGTH, true); // StructureSize
  view.setUint16(10, 1, true); // CreditCharge
  view.setUint16(16, command, true); // Command
  view.setUint16(18, 1, true); // CreditRequest / CreditResponse
  view.setUint32(20, response ? SERVER_TO_REDIR : 0, true); // Flags
  view.setBigUint64(28, BigInt(messageId), true); // MessageId
  view.setUint32(40, context.treeId, true); // TreeId
  view.setBigUint64(44, context.sessionId, true); // SessionId
  out.set(body, 4 + HEADER_LENGTH);
  return out;
}

/** §2.2.19 READ Request: 49-octet structure asking for `length` octets at `offset`. */
function readRequest(context: SmbContext, length: number, offset: number): Uint8Array {
  const body = new Uint8Array(49);
  const view = viewOf(body);
  view.setUint16(0, 49, true); // StructureSize
  body[2] = 0x50; // Padding: where the data goes in the response
  view.setUint32(4, length, true); // Length
  view.setBigUint64(8, BigInt(offset), true); // Offset
  body.set(context.fileId, 16); // FileId
  return body;
}

/** §2.2.20 READ Response: 17-octet structure, then the data. */
function readResponse(data: Uint8Array): Uint8Array {
  const body = new Uint8Array(16 + data.length);
  const view = viewOf(body);
  view.setUint16(0, 17, true); // StructureSize
  body[2] = HEADER_LENGTH + 16; // DataOffset from the start of the SMB2 header
  view.setUint32(4, data.length, true); // DataLength
  body.set(data, 16);
  return body;
}

/** §2.2.21 WRITE Request: 49-octet structure with the data after its fixed 48 octets. */
function writeRequest(context: SmbContext, data: Uint8Array, offset: number): Uint8Array {
  const body = new Uint8Array(48 + data.length);
  const view = viewOf(body);
  view.setUint16(0, 49, true); // StructureSize
  view.setUint16(2, HEADER_LENGTH + 48, true); // DataOffset
  view.setUint32(4, data.length, true); // Length
  view.setBigUint64(8, BigInt(offset), true); // Offset
  body.set(context.fileId, 16); // FileId
  body.set(data, 48);
  return body;
}

/** §2.2.22 WRITE Response: 17-octet structure reporting the bytes written. */
function writeResponse(count: number): Uint8Array {
  const body = new Uint8Array(16);
  const view = viewOf(body);
  view.setUint16(0, 17, true); // StructureSize
  view.setUint32(4, count, true); // Count
  return body;
}

/** Reads of the given sizes, one after another through the file. */
export function smbReads(context: SmbContext, sizes: readonly number[], fill: (length: number) => Uint8Array): TcpMessage[] {
  const messages: TcpMessage[] = [];
  let offset = 0;
  sizes.forEach((length, i) => {
    messages.push({ from: 'client', payload: message(SMB2_READ, false, i + 1, context, readRequest(context, length, offset)) });
    messages.push({ from: 'server', payload: message(SMB2_READ, true, i + 1, context, readResponse(fill(length))) });
    offset += length;
  });
  return messages;
}

/** `data` written to the file in requests of at most 64 KiB, each acknowledged. */
export function smbWrites(context: SmbContext, data: Uint8Array): TcpMessage[] {
  const messages: TcpMessage[] = [];
  for (let offset = 0, id = 1; offset < data.length; offset += WRITE_CHUNK, id++) {
    const chunk = data.subarray(offset, offset + WRITE_CHUNK);
    messages.push({ from: 'client', payload: message(SMB2_WRITE, false, id, context, writeRequest(context, chunk, offset)) });
    messages.push({ from: 'server', payload: message(SMB2_WRITE, true, id, context, writeResponse(chunk.length)) });
  }
  return messages;
}
