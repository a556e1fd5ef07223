/**
 * What the captures hold, kept as the frames are made: when each device was first and last on each
 * floor's wire (as sender or unicast receiver), how much each sent during the learning window, and
 * how many frames each floor has. The truth file's times come from here, not from the plan.
 * MACs are kept as 48-bit numbers: no text per frame.
 */
import { macBytes } from '../packets/address.js';
import { HOUR_MICROS, LEARNING_END_MICROS, type FloorId } from './site.js';

interface Span {
  first: number;
  last: number;
}

/** The six octets at `at` as one number (exact: 48 bits fit a double's 53). */
function macNumber(bytes: Uint8Array, at: number): number {
  let n = 0;
  for (let i = 0; i < 6; i++) n = n * 256 + (bytes[at + i] ?? 0);
  return n;
}

export class CaptureLedger {
  private readonly spans = new Map<FloorId, Map<number, Span>>();
  private readonly learningBytes = new Map<number, number>();
  private readonly firstHeard = new Map<number, number>();
  readonly framesPerFloor = new Map<FloorId, number>();

  record(floor: FloorId, ts: number, frame: Uint8Array): void {
    this.framesPerFloor.set(floor, (this.framesPerFloor.get(floor) ?? 0) + 1);
    let spans = this.spans.get(floor);
    if (!spans) this.spans.set(floor, (spans = new Map()));
    const src = macNumber(frame, 6);
    touch(spans, src, ts);
    // The I/G bit (IEEE 802 §8.2): only a unicast destination is one device.
    if (((frame[0] ?? 1) & 1) === 0) touch(spans, macNumber(frame, 0), ts);
    if (!this.firstHeard.has(src)) this.firstHeard.set(src, ts);
    if (ts < LEARNING_END_MICROS) this.learningBytes.set(src, (this.learningBytes.get(src) ?? 0) + frame.length);
  }

  /** First and last frame of `mac` on `floor`'s wire. */
  span(mac: string, floor: FloorId): Span | undefined {
    return this.spans.get(floor)?.get(macNumber(macBytes(mac), 0));
  }

  /** Mean bytes an hour `mac` sent in the learning window, over the part of it the device was heard. */
  learnedHourlyBytes(mac: string): number {
    const key = macNumber(macBytes(mac), 0);
    const first = this.firstHeard.get(key);
    if (first === undefined || first >= LEARNING_END_MICROS) return 0;
    return ((this.learningBytes.get(key) ?? 0) * HOUR_MICROS) / (LEARNING_END_MICROS - first);
  }

  get frames(): number {
    let total = 0;
    for (const n of this.framesPerFloor.values()) total += n;
    return total;
  }
}

function touch(spans: Map<number, Span>, mac: number, ts: number): void {
  const span = spans.get(mac);
  if (!span) spans.set(mac, { first: ts, last: ts });
  else {
    if (ts < span.first) span.first = ts;
    if (ts > span.last) span.last = ts;
  }
}
