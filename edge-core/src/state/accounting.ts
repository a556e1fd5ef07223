/**
 * Per-device and per-flow accounting for one shard: who sends how much, to whom, on which ports
 * and protocols. Flows are one-directional (as NetFlow's), keyed on the sending station's MAC,
 * addresses, ports, protocol and the application the registry recognised; devices on their MAC.
 * Both tables are bounded and age out what has gone quiet. Flow counters cover the current
 * behaviour interval (state/behaviour.ts restarts them).
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

/** Words of a flow key: sender MAC (high 16 bits, low 32), source, destination, ports, then application, layer-3 kind and IP protocol. */
export const FLOW_MAC_HIGH = 0;
export const FLOW_MAC_LOW = 1;
export const FLOW_SRC = 2;
export const FLOW_DST = 3;
/** Source port in the high 16 bits, destination port in the low. */
export const FLOW_PORTS = 4;
/** Application (registry kind) in bits 16–23, layer-3 kind in 8–15, IP protocol in 0–7. */
export const FLOW_KIND = 5;
const FLOW_KEY_WORDS = 6;

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
  private readonly flowKey = new Uint32Array(FLOW_KEY_WORDS);

  constructor(options: Partial<AccountingOptions> = {}) {
    const o = { ...accountingDefaults, ...options };
    this.devices = new CountingTable(2, { capacity: o.maxDevices, idleMs: o.deviceIdleMs });
    this.flows = new CountingTable(FLOW_KEY_WORDS, { capacity: o.maxFlows, idleMs: o.flowIdleMs });
  }

  /** Counts one well-formed frame of `length` octets; true when its sender is new to the table. */
  count(buf: Uint8Array, d: Dissection, length: number, ts: number): boolean {
    const dk = this.deviceKey;
    dk[0] = Math.floor(d.srcMac / 2 ** 32);
    dk[1] = d.srcMac >>> 0;
    const fresh = this.devices.get(this.devices.add(dk, length, ts), PACKETS) === 1;
    if (d.l3 !== L3_IPV4 && d.l3 !== L3_IPV6) return fresh;
    const fk = this.flowKey;
    fk[FLOW_MAC_HIGH] = dk[0] ?? 0;
    fk[FLOW_MAC_LOW] = dk[1] ?? 0;
    if (d.l3 === L3_IPV4) {
      fk[FLOW_SRC] = d.ipSrc;
      fk[FLOW_DST] = d.ipDst;
    } else {
      fk[FLOW_SRC] = fold128(buf, d.ip6SrcOffset);
      fk[FLOW_DST] = fold128(buf, d.ip6DstOffset);
    }
    fk[FLOW_PORTS] = ((d.srcPort & 0xffff) << 16) | (d.dstPort & 0xffff);
    fk[FLOW_KIND] = ((d.app & 0xff) << 16) | ((d.l3 & 0xff) << 8) | (d.ipProto & 0xff);
    this.flows.add(fk, length, ts);
    return fresh;
  }
}
