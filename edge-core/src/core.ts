/**
 * The edge core: one frame in, findings out. Dissects into one reusable record, counts what it
 * cannot read by reason, and hands well-formed frames to the fingerprints.
 */
import { createDissection, dissect, WEIRD_NAMES } from './dissect.js';
import { IdentityTracker } from './fingerprints/identity.js';
import type { DeviceTable } from './state/device-table.js';

export interface CoreCounters {
  packets: number;
  malformed: number;
  /** Malformed frames by reason (Zeek-style weird names). */
  weird: Record<string, number>;
}

export class EdgeCore {
  readonly counters: CoreCounters = { packets: 0, malformed: 0, weird: {} };
  private readonly d = createDissection();
  private readonly weirdCounts = new Float64Array(WEIRD_NAMES.length);
  private readonly identity: IdentityTracker;

  constructor(table: DeviceTable) {
    this.identity = new IdentityTracker(table);
  }

  /** `frame` may be a reused capture buffer longer than the packet: only `caplen` octets are read. */
  onFrame(frame: Uint8Array, caplen: number, tsMs: number): void {
    this.counters.packets += 1;
    const buf = caplen === frame.length ? frame : frame.subarray(0, caplen);
    if (!dissect(buf, this.d)) {
      this.counters.malformed += 1;
      if (this.d.weird >= 0) this.weirdCounts[this.d.weird] = (this.weirdCounts[this.d.weird] ?? 0) + 1;
      return;
    }
    this.identity.onFrame(buf, this.d, tsMs);
  }

  /** Counters with weird reasons by name, for health reports. */
  snapshot(): CoreCounters {
    const weird: Record<string, number> = {};
    this.weirdCounts.forEach((n, i) => {
      if (n > 0) weird[WEIRD_NAMES[i] ?? `weird_${i}`] = n;
    });
    return { packets: this.counters.packets, malformed: this.counters.malformed, weird };
  }
}
