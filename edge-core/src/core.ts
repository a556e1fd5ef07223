/**
 * The edge core: one frame in, findings out. Dissects into one reusable record, counts what it
 * cannot read by reason, accounts every well-formed frame to its device and flow, and hands it to
 * the fingerprints (which look deeper only at frames that carry identification).
 */
import { createDissection, dissect, WEIRD_NAMES } from './dissect.js';
import { IdentityTracker } from './fingerprints/identity.js';
import type { DeviceBehaviour } from '@wardsight/protocol';
import { Accounting, type AccountingOptions } from './state/accounting.js';
import { closeInterval } from './state/behaviour.js';
import type { DeviceTable } from './state/device-table.js';

export interface CoreCounters {
  packets: number;
  malformed: number;
  /** IP fragments (IPv4 or IPv6); a fragment other than the first carries no ports and is counted to its flow without them. */
  fragments: number;
  /** Malformed frames by reason (Zeek-style weird names). */
  weird: Record<string, number>;
}

export class EdgeCore {
  readonly counters: CoreCounters = { packets: 0, malformed: 0, fragments: 0, weird: {} };
  private readonly d = createDissection();
  private readonly weirdCounts = new Float64Array(WEIRD_NAMES.length);
  private readonly identity: IdentityTracker;
  readonly accounting: Accounting;

  constructor(table: DeviceTable, accounting: Partial<AccountingOptions> = {}) {
    this.identity = new IdentityTracker(table);
    this.accounting = new Accounting(accounting);
  }

  /** `frame` may be a reused capture buffer longer than the packet: only `caplen` octets are read. */
  onFrame(frame: Uint8Array, caplen: number, tsMs: number): void {
    this.onRecord(frame, 0, caplen, tsMs);
  }

  /** The frame in `bytes[start, end)`, e.g. one record of a shared ring; nothing outside it is read. */
  onRecord(bytes: Uint8Array, start: number, end: number, tsMs: number): void {
    this.counters.packets += 1;
    if (!dissect(bytes, this.d, start, end)) {
      this.counters.malformed += 1;
      if (this.d.weird >= 0) this.weirdCounts[this.d.weird] = (this.weirdCounts[this.d.weird] ?? 0) + 1;
      return;
    }
    if (this.d.isFragment) this.counters.fragments += 1;
    const newSender = this.accounting.count(bytes, this.d, end - start, tsMs);
    this.identity.onFrame(bytes, this.d, tsMs, newSender);
  }

  /** What each device sent over `[start, end)` of capture time; the flow counters then start again. */
  closeInterval(start: number, end: number): DeviceBehaviour[] {
    return closeInterval(this.accounting.flows, (mac, ip) => this.identity.isBound(mac, ip), start, end);
  }

  /** Counters with weird reasons by name, for health reports. */
  snapshot(): CoreCounters {
    const weird: Record<string, number> = {};
    this.weirdCounts.forEach((n, i) => {
      if (n > 0) weird[WEIRD_NAMES[i] ?? `weird_${i}`] = n;
    });
    return { packets: this.counters.packets, malformed: this.counters.malformed, fragments: this.counters.fragments, weird };
  }
}
