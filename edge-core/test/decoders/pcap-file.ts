/** Writes frames as a classic pcap file (libpcap format, LINKTYPE_ETHERNET), for cross-checks. */
import { writeFileSync } from 'node:fs';

const PCAP_MAGIC = 0xa1b2c3d4; // microsecond timestamps
const LINKTYPE_ETHERNET = 1;
const SNAPLEN = 65_535;

export function writePcap(path: string, frames: readonly Uint8Array[]): void {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(PCAP_MAGIC, 0);
  header.writeUInt16LE(2, 4); // version 2.4
  header.writeUInt16LE(4, 6);
  header.writeInt32LE(0, 8); // thiszone
  header.writeUInt32LE(0, 12); // sigfigs
  header.writeUInt32LE(SNAPLEN, 16);
  header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  const parts: Uint8Array[] = [header];
  frames.forEach((frame, i) => {
    const record = Buffer.alloc(16);
    record.writeUInt32LE(1_700_000_000 + i, 0); // ts_sec
    record.writeUInt32LE(0, 4); // ts_usec
    record.writeUInt32LE(frame.length, 8); // incl_len
    record.writeUInt32LE(frame.length, 12); // orig_len
    parts.push(record, frame);
  });
  writeFileSync(path, Buffer.concat(parts));
}
