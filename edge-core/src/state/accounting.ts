/**
 * Per-device and per-flow accounting for one shard: who sends how much, to whom, on which ports
 * and protocols. Flows are one-directional (as NetFlow's), keyed on addresses, ports and protocol;
 * devices on their MAC. Both tables are bounded and age out what has gone quiet.
 */
import { L3_IPV4, L3_IPV6 } from '../decoders/registry.js';
import type { Dissection } from '../dissect.js';
import { CountingTable, PACKETS, mix32 } from './counting-table.js';

export const accountingDefaults = {
  /** As many as the device table keeps: a device's counters last as long as its identity. */
  maxDevices: 65_536,
  /** A floor's mirror port carries a few thousand live flows; idle ones age out first. */
  maxFlows: 65_536,
  /** A flow idle this long is over. */
  flowIdleMs: 5 * 60_000,
  /** A device silent this long leaves the counters (its identity stays in the device table). */
  deviceIdleMs: 24 * 60 * 60_000,
};
export type AccountingOptions = typeof accountingDefaults;

/** Folds 16 octets of an IPv6 address into one 32-bit word for the flow key. */
function fold128(buf: Uint8Array, at: number): number {
  let h = 0;
  for (let i = 0; i < 16; i += 4) h = mix32(h ^ (((buf[at + i] ?? 0) << 24) | ((buf[at + i + 1] ?? 0) << 16) | ((buf[at + i + 2] ?? 0) << 8) | (buf[at + i + 3] ?? 0)));
  return h;
}

export class Accounting {
  readonly devices: CountingTable;
  readonly flows: CountingTable;
  private readonly deviceKey = new Uint32Array(2);
  private readonly flowKey = new Uint32Array(4);

  constructor(options: Partial<AccountingOptions> = {}) {
    const o = { ...accountingDefaults, ...options };
    this.devices = new CountingTable(2, { capacity: o.maxDevices, idleMs: o.deviceIdleMs });
    this.flows = new CountingTable(4, { capacity: o.maxFlows, idleMs: o.flowIdleMs });
  }

  /** Counts one well-formed frame of `length` octets; true when its sender is new to the table. */
  count(buf: Uint8Array, d: Dissection, length: number, ts: number): boolean {
    const dk = this.deviceKey;
    dk[0] = Math.floor(d.srcMac / 2 ** 32);
    dk[1] = d.srcMac >>> 0;
    const fresh = this.devices.get(this.devices.add(dk, length, ts), PACKETS) === 1;
    if (d.l3 !== L3_IPV4 && d.l3 !== L3_IPV6) return fresh;
    const fk = this.flowKey;
    if (d.l3 === L3_IPV4) {
      fk[0] = d.ipSrc;
      fk[1] = d.ipDst;
    } else {
      fk[0] = fold128(buf, d.ip6SrcOffset);
      fk[1] = fold128(buf, d.ip6DstOffset);
    }
    fk[2] = ((d.srcPort & 0xffff) << 16) | (d.dstPort & 0xffff);
    fk[3] = ((d.l3 & 0xff) << 8) | (d.ipProto & 0xff);
    this.flows.add(fk, length, ts);
    return fresh;
  }
}
