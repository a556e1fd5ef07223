/**
 * Frames dissected in place from one buffer holding many of them back to back, as a shard reads a
 * shared capture ring: each is bounded by (offset, end), not sliced. The byte ranges a dissection
 * records must stay inside its own frame, because the identification path reads them from the same
 * buffer (the DHCP decoder gets d.payloadOffset and d.payloadLength).
 */
import { describe, expect, it } from 'vitest';
import { decode as decodeDhcp } from '../../src/decoders/dhcp.js';
import type { Dissection } from '../../src/dissect.js';
import { APP_DHCP, createDissection, dissect } from '../../src/dissect.js';
import { DHCP_ACK_QINQ, DHCP_DISCOVER } from './dhcp-frames.js';
import { IPV6_FIRST_FRAGMENT, IPV6_LATER_FRAGMENT, IPV6_MLD_HOP_BY_HOP, LLDP } from './frames-ipv6.js';
import { ARP_REQUEST_VLAN, ICMP_ECHO, IPV4_LATER_FRAGMENT, TCP_ACK_PADDED, TCP_HL7_PUSH, TCP_SYN } from './frames.js';
import { seededRandom } from './hex.js';
import { randomBytes, watchReads } from './read-watch.js';

const FRAMES = [
  ARP_REQUEST_VLAN,
  DHCP_DISCOVER,
  DHCP_ACK_QINQ,
  TCP_SYN,
  TCP_HL7_PUSH,
  TCP_ACK_PADDED,
  ICMP_ECHO,
  IPV4_LATER_FRAGMENT,
  IPV6_MLD_HOP_BY_HOP,
  IPV6_FIRST_FRAGMENT,
  IPV6_LATER_FRAGMENT,
  LLDP,
];

interface Packed {
  buf: Uint8Array;
  /** [offset, end) of each frame in `buf`, and which of `frames` it is. */
  records: { offset: number; end: number; frame: Uint8Array }[];
}

/** `count` frames drawn from `frames`, packed back to back with 0–7 random octets between them. */
function pack(random: () => number, frames: readonly Uint8Array[], count: number): Packed {
  const records: Packed['records'] = [];
  let size = 0;
  for (let n = 0; n < count; n++) {
    const frame = frames[Math.floor(random() * frames.length)]!;
    const offset = size + Math.floor(random() * 8);
    records.push({ offset, end: offset + frame.length, frame });
    size = offset + frame.length;
  }
  const buf = randomBytes(random, size + 8);
  for (const r of records) buf.set(r.frame, r.offset);
  return { buf, records };
}

/** Every byte range `d` records, as [start, end) pairs: the L3 and L4 headers, IPv6 addresses, payload. */
function recordedRanges(d: Dissection): [number, number][] {
  const ranges: [number, number][] = [[d.payloadOffset, d.payloadOffset + d.payloadLength]];
  if (d.l3Offset >= 0) ranges.push([d.l3Offset, d.l3Offset]);
  if (d.l4Offset >= 0) ranges.push([d.l4Offset, d.l4Offset]);
  if (d.ip6SrcOffset >= 0) ranges.push([d.ip6SrcOffset, d.ip6SrcOffset + 16]);
  if (d.ip6DstOffset >= 0) ranges.push([d.ip6DstOffset, d.ip6DstOffset + 16]);
  return ranges;
}

function expectWithin(d: Dissection, offset: number, end: number, what: string): void {
  for (const [start, stop] of recordedRanges(d)) {
    expect(start >= offset && stop <= end && start <= stop, `${what}: [${start}, ${stop}) in [${offset}, ${end})`).toBe(true);
  }
}

describe('dissect in place from a buffer of many frames', () => {
  it('gives each frame the dissection of its bare bytes, offsets shifted to where it lies', () => {
    const { buf, records } = pack(seededRandom(0x51_0001), FRAMES, 2_000);
    const inPlace = createDissection();
    const bare = createDissection();
    for (const { offset, end, frame } of records) {
      expect(dissect(buf, inPlace, offset, end)).toBe(true);
      expect(dissect(frame, bare)).toBe(true);
      const shift = (at: number): number => (at < 0 ? at : at + offset);
      expect(inPlace).toEqual({
        ...bare,
        l3Offset: shift(bare.l3Offset),
        l4Offset: shift(bare.l4Offset),
        ip6SrcOffset: shift(bare.ip6SrcOffset),
        ip6DstOffset: shift(bare.ip6DstOffset),
        payloadOffset: bare.payloadOffset + offset,
      });
      expectWithin(inPlace, offset, end, `frame at ${offset}`);
    }
  });

  it('keeps every recorded range inside the frame, for mutated and truncated frames too', () => {
    const random = seededRandom(0x51_0002);
    const d = createDissection();
    let accepted = 0;
    for (let n = 0; n < 50_000; n++) {
      const frame = FRAMES[n % FRAMES.length]!.slice();
      const flips = 1 + Math.floor(random() * 4);
      for (let f = 0; f < flips; f++) frame[Math.floor(random() * frame.length)] = random() * 256;
      // Past a cut frame's `end` lies the rest of it: a length field reaching past `end` finds bytes.
      const before = Math.floor(random() * 64);
      const buf = randomBytes(random, before + frame.length + 64);
      buf.set(frame, before);
      const end = before + (random() < 0.5 ? Math.floor(random() * (frame.length + 1)) : frame.length);
      if (!dissect(buf, d, before, end)) continue;
      accepted++;
      expectWithin(d, before, end, `mutation ${n}`);
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it('hands the DHCP decoder a payload inside the frame, read as from the bare frame', () => {
    const { buf, records } = pack(seededRandom(0x51_0003), [DHCP_DISCOVER, DHCP_ACK_QINQ, TCP_SYN, ARP_REQUEST_VLAN], 200);
    const watch = watchReads(buf);
    const d = createDissection();
    const bare = createDissection();
    let dhcpFrames = 0;
    for (const { offset, end, frame } of records) {
      watch.reset();
      expect(dissect(watch.view, d, offset, end)).toBe(true);
      if (d.app !== APP_DHCP) continue;
      dhcpFrames++;
      // As the identification path calls it (fingerprints/identity.ts).
      const inPlace = decodeDhcp(watch.view, d.payloadOffset, d.payloadLength);
      expect(watch.readOnlyWithin(offset, end), `frame at ${offset}: read [${watch.lowest}, ${watch.highest}]`).toBe(true);
      dissect(frame, bare);
      expect(inPlace).not.toBeNull();
      expect(inPlace).toEqual(decodeDhcp(frame, bare.payloadOffset, bare.payloadLength));
    }
    expect(dhcpFrames).toBeGreaterThan(0);
  });

  it('rejects a DHCP frame cut by `end` even when the rest of it follows in the buffer', () => {
    const d = createDissection();
    for (const frame of [DHCP_DISCOVER, DHCP_ACK_QINQ]) {
      const buf = new Uint8Array(frame.length + 32);
      buf.set(frame, 16);
      for (let end = 16; end < 16 + frame.length; end++) {
        expect(dissect(buf, d, 16, end), `cut at ${end - 16}`).toBe(false);
      }
    }
  });
});
