/**
 * Flags and counters the pool's threads share without messages: capture end, stop, libpcap's own
 * counters. One Int32 word per flag; counters as BigInt64 so that they never wrap.
 */
export const FLAG_ENDED = 0;
export const FLAG_STOP = 1;
const FLAGS = 4;

export const COUNTER_CAPTURED = 0;
export const COUNTER_LIBPCAP_RECEIVED = 1;
export const COUNTER_LIBPCAP_DROPPED = 2;
export const COUNTER_LIBPCAP_IFDROPPED = 3;
export const COUNTER_BYTES = 4;
const COUNTERS = 8;

export interface PoolControl {
  flags: SharedArrayBuffer;
  counters: SharedArrayBuffer;
  /** Packets each shard has taken from its ring, so that a crash can be accounted for. */
  consumed: SharedArrayBuffer;
}

export function createControl(shards: number): PoolControl {
  return {
    flags: new SharedArrayBuffer(FLAGS * 4),
    counters: new SharedArrayBuffer(COUNTERS * 8),
    consumed: new SharedArrayBuffer(Math.max(1, shards) * 8),
  };
}

export class ControlView {
  readonly flags: Int32Array;
  readonly counters: BigInt64Array;
  readonly consumed: BigInt64Array;

  constructor(control: PoolControl) {
    this.flags = new Int32Array(control.flags);
    this.counters = new BigInt64Array(control.counters);
    this.consumed = new BigInt64Array(control.consumed);
  }

  isSet(flag: number): boolean {
    return Atomics.load(this.flags, flag) === 1;
  }

  set(flag: number): void {
    Atomics.store(this.flags, flag, 1);
    Atomics.notify(this.flags, flag);
  }

  counter(index: number): number {
    return Number(Atomics.load(this.counters, index));
  }

  setCounter(index: number, value: number): void {
    Atomics.store(this.counters, index, BigInt(value));
  }
}
