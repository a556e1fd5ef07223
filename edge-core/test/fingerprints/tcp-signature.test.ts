import { describe, expect, it } from 'vitest';
import { guessOsFamily, OS_FAMILY_RULES, type OsFamilyRule } from '../../src/fingerprints/tcp-os-families.js';
import { initialTtl, tcpSignature, type TcpSignature } from '../../src/fingerprints/tcp-signature.js';
import { decoderContract } from '../decoders/contract.js';
import { TCP_HL7_PUSH, TCP_SYN } from '../decoders/frames.js';
import { hex } from '../decoders/hex.js';

const TCP_OFFSET = 34; // Ethernet 14 + IPv4 20 in frames.ts

/** A macOS SYN's TCP header (RFC 9293 §3.1), options as XNU lays them out. */
const MACOS_SYN = hex(
  'c001 01bb', // ports 49153 → 443
  '00000001', // sequence number
  '00000000', // acknowledgment number
  'b0', // data offset 11 (44 octets)
  'c2', // flags CWR, ECE, SYN (ECN setup)
  'ffff', // window 65535
  '0000', // checksum
  '0000', // urgent pointer
  '020405b4', // MSS 1460
  '01', // NOP
  '030306', // window scale 6
  '0101', // NOP NOP
  '080a 780321b5 00000000', // timestamps
  '0402', // SACK permitted
  '00', // EOL
  '00', // padding after EOL
);

/** A Windows 10/11 SYN's TCP header: no timestamps. */
const WINDOWS_SYN = hex(
  'c002 01bb', // ports 49154 → 443
  '00000002', // sequence number
  '00000000', // acknowledgment number
  '80', // data offset 8 (32 octets)
  '02', // flags SYN
  'faf0', // window 64240
  '0000', // checksum
  '0000', // urgent pointer
  '020405b4', // MSS 1460
  '01', // NOP
  '030308', // window scale 8
  '0101', // NOP NOP
  '0402', // SACK permitted
);

/** A switch's SYN-ACK with MSS only. */
const SWITCH_SYN_ACK = hex('0016 c001', '00000010', '00000002', '60', '12', '1020', '0000', '0000', '02040218');

describe('tcp signature', () => {
  it('reads a Linux SYN', () => {
    expect(tcpSignature(TCP_SYN, TCP_OFFSET, TCP_SYN.length, 64)).toEqual({
      synAck: false,
      initialTtl: 64,
      window: 64240,
      mss: 1460,
      windowScale: 7,
      options: ['MSS', 'SACK', 'TS', 'NOP', 'WS'],
      text: '64:64240:1460:7:MSS,SACK,TS,NOP,WS',
    } satisfies TcpSignature);
  });

  it('stops the option list at EOL', () => {
    expect(tcpSignature(MACOS_SYN, 0, MACOS_SYN.length, 57)?.text).toBe('64:65535:1460:6:MSS,NOP,WS,NOP,NOP,TS,SACK,EOL');
  });

  it('marks a SYN-ACK and a missing window scale', () => {
    expect(tcpSignature(SWITCH_SYN_ACK, 0, SWITCH_SYN_ACK.length, 254)).toMatchObject({ synAck: true, text: '255:4128:536:-:MSS' });
  });

  it('rounds an observed TTL up to the starting value', () => {
    expect([1, 32, 33, 64, 65, 127, 128, 129, 255].map(initialTtl)).toEqual([32, 32, 64, 64, 128, 128, 128, 255, 255]);
  });

  it.each([
    ['a segment without SYN', TCP_HL7_PUSH, TCP_OFFSET],
    ['an option of length 1', hex('c001 01bb 00000001 00000000 60 02 ffff 0000 0000 02010000'), 0],
    ['an option past the header', hex('c001 01bb 00000001 00000000 60 02 ffff 0000 0000 01 0805 00'), 0],
    ['a data offset under 5 words', hex('c001 01bb 00000001 00000000 40 02 ffff 0000 0000'), 0],
  ])('rejects %s', (_name, bytes, offset) => {
    expect(tcpSignature(bytes, offset, bytes.length, 64)).toBeNull();
  });
});

describe('OS family from a SYN signature', () => {
  const guess = (bytes: Uint8Array, offset: number, ttl: number): ReturnType<typeof guessOsFamily> => {
    const signature = tcpSignature(bytes, offset, bytes.length, ttl);
    return signature && guessOsFamily(signature);
  };

  it('tells the families the table lists', () => {
    expect(guess(TCP_SYN, TCP_OFFSET, 64)).toEqual({ family: 'Linux/Android', confidence: 0.8, evidence: '64:64240:1460:7:MSS,SACK,TS,NOP,WS' });
    expect(guess(MACOS_SYN, 0, 64)?.family).toBe('macOS/iOS');
    expect(guess(WINDOWS_SYN, 0, 127)).toMatchObject({ family: 'Windows', confidence: 0.8 });
    expect(guess(SWITCH_SYN_ACK, 0, 250)).toMatchObject({ family: 'network equipment', confidence: 0.4 });
  });

  it('falls back to the TTL alone, and to nothing', () => {
    expect(guess(MACOS_SYN, 0, 120)).toMatchObject({ family: 'Windows', confidence: 0.6 }); // a TTL of 128 with another layout
    expect(guess(WINDOWS_SYN, 0, 60)).toBeNull(); // 64 with a layout the table does not list
  });

  it('matches a SYN-ACK on the TTL only: its options echo the client', () => {
    const synAck = TCP_SYN.slice();
    synAck[TCP_OFFSET + 13] = 0x12; // SYN, ACK
    expect(guess(synAck, TCP_OFFSET, 64)).toBeNull();
  });

  it('takes a table a user extends', () => {
    const rules: OsFamilyRule[] = [{ family: 'ExampleRTOS', initialTtl: 64, options: 'MSS,NOP,WS,NOP,NOP,SACK', confidence: 0.7, source: 'site survey' }, ...OS_FAMILY_RULES];
    const signature = tcpSignature(WINDOWS_SYN, 0, WINDOWS_SYN.length, 64);
    expect(signature && guessOsFamily(signature, rules)?.family).toBe('ExampleRTOS');
  });

  it('keeps every rule at or under 0.8', () => {
    expect(OS_FAMILY_RULES.every((r) => r.confidence > 0 && r.confidence <= 0.8 && r.source !== '')).toBe(true);
  });
});

let last: TcpSignature | null = null;
decoderContract({
  name: 'tcp-signature',
  accepts: (buf, offset, end = buf.length) => (last = tcpSignature(buf, offset, end, 64)) !== null,
  result: () => last,
  cases: [
    { name: 'Linux SYN', bytes: TCP_SYN, offset: TCP_OFFSET },
    { name: 'macOS SYN', bytes: MACOS_SYN, offset: 0 },
  ],
});
