/**
 * Facts from application payloads (names, banners, TLS hellos, DICOM associations, HL7 headers, …),
 * credited to the station that sent them. Each identification decoder has a handler, looked up by
 * the registry's application kind; handlers decode (allocating, off the bulk path), then report
 * through one door, which decides whose packet it is and drops what a router only forwarded.
 */
import type { DeviceKey } from '@wardsight/protocol';
import { APP_NAMES, L3_IPV4, L3_IPV6 } from '../decoders/registry.js';
import type { Dissection } from '../dissect.js';
import type { DeviceTable } from '../state/device-table.js';

/** What a handler reports about the frame's sender. */
export interface SenderFacts {
  /** One fact about the sender; the table deduplicates and refreshes. */
  found(attribute: string, value: string, signal: string, evidence: string, confidence: number): void;
}

/** Reads one application payload (`buf[d.payloadOffset, +d.payloadLength)`) and reports what it says of its sender. */
export type AppHandler = (buf: Uint8Array, d: Dissection, ts: number, facts: SenderFacts) => void;

/**
 * A look at a payload's first octets, asked before anything else: false, and the packet is passed
 * over (bulk data on an identification port: DICOM P-DATA, TLS application data, …). No allocation.
 */
export type PayloadGate = (buf: Uint8Array, at: number, end: number, d: Dissection) => boolean;

/** Initial TTLs / hop limits stacks start from: a packet still carrying one has not been routed. */
function unrouted(ttl: number): boolean {
  return ttl === 64 || ttl === 128 || ttl === 255 || ttl === 32 || ttl === 1;
}

/** Group bit of the first octet: multicast or broadcast, which routers do not forward at link scope. */
function groupAddressed(mac: number): boolean {
  return (Math.floor(mac / 2 ** 40) & 0x01) === 1;
}

export class AppFacts {
  private readonly handlers: (AppHandler | undefined)[] = [];
  private readonly gates: (PayloadGate | undefined)[] = [];
  private mac = 0;
  private ts = 0;
  private appName = '';
  /** Findings per application, for health and tests. */
  readonly reported = new Map<string, number>();
  private readonly sink: SenderFacts = {
    found: (attribute, value, signal, evidence, confidence) => {
      this.table.found(this.keyOf(this.mac), { attribute, value, signal, evidence, confidence }, this.ts);
      this.reported.set(this.appName, (this.reported.get(this.appName) ?? 0) + 1);
    },
  };

  constructor(
    private readonly table: DeviceTable,
    /** Whether `ip` is bound to `mac` by ARP or DHCP. */
    private readonly bound: (mac: number, ip: number) => boolean,
    /** The device key of a station, made only when a handler reports something. */
    private readonly keyOf: (mac: number) => DeviceKey,
  ) {}

  /** Registers the handler of one application kind (from the registry), behind an optional gate. */
  handle(app: number, handler: AppHandler, gate?: PayloadGate): this {
    this.handlers[app] = handler;
    this.gates[app] = gate;
    return this;
  }

  /**
   * Whether the frame's network packet is its source station's own: addressed to a link-scope group,
   * from an address bound to that MAC, or carrying an initial TTL (so no router has handled it).
   * Otherwise a router forwarded it, and what it says belongs to a host behind the router.
   */
  ownPacket(d: Dissection): boolean {
    if (groupAddressed(d.dstMac)) return true;
    if (d.l3 === L3_IPV4 && d.ipSrc !== 0 && this.bound(d.srcMac, d.ipSrc)) return true;
    return (d.l3 === L3_IPV4 || d.l3 === L3_IPV6) && unrouted(d.ttl);
  }

  /**
   * A frame whose `d.app` is set, from a station. Bulk traffic on identification ports comes here
   * too: handlers look at a few octets first and return at once when the payload is not theirs.
   */
  onPayload(buf: Uint8Array, d: Dissection, ts: number): void {
    if (d.payloadLength === 0) return;
    const handler = this.handlers[d.app];
    if (handler === undefined) return;
    const gate = this.gates[d.app];
    if (gate !== undefined && !gate(buf, d.payloadOffset, d.payloadOffset + d.payloadLength, d)) return;
    if (!this.ownPacket(d)) return;
    this.mac = d.srcMac;
    this.ts = ts;
    this.appName = APP_NAMES[d.app] ?? 'unknown';
    handler(buf, d, ts, this.sink);
  }
}
