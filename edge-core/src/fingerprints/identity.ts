/**
 * Who is who on the segment: MAC-keyed devices, their IPv4 addresses from ARP and DHCP, their
 * hostnames and DHCP client traits, their NIC vendor and the TCP services they answer on.
 * Turns dissected packets (records) into findings (state), through the device table's one door.
 */
import type { DeviceKey } from '@wardsight/protocol';
import { decode as decodeDhcp, type Dhcp } from '../decoders/dhcp.js';
import { ipv4ToString, macKeyText, macToString } from '../decoders/address-text.js';
import { APP_DHCP, APP_NONE, L3_ARP, L3_IPV4, L4_TCP } from '../decoders/registry.js';
import { TCP_ACK, TCP_SYN } from '../decoders/tcp.js';
import type { Dissection } from '../dissect.js';
import type { DeviceTable } from '../state/device-table.js';
import { AppFacts } from './app-facts.js';
import { registerHandlers } from './handlers.js';
import { SeenFacts } from './seen-facts.js';
import { initialTtl, tcpSignature } from './tcp-signature.js';
import { lookupVendor, type VendorMatch } from './vendor.js';

// RFC 2132 §9.6 DHCP message types.
const DHCP_DISCOVER = 1;
const DHCP_REQUEST = 3;
const DHCP_ACK = 5;
const DHCP_INFORM = 8;
const BOOTREQUEST = 1;

/** Confidence per signal: what a device says of itself outranks what is inferred. */
const CONFIDENCE = {
  dhcpAck: 0.95,
  arpSender: 0.9,
  dhcpCiaddr: 0.85,
  dhcpRequested: 0.5,
  dhcpHostname: 0.9,
  dhcpTrait: 0.9,
  oui: 0.7,
  tcpService: 0.9,
};

/** Group bit set (multicast/broadcast) or all zero: not a station. */
function isStation(mac: number): boolean {
  return mac !== 0 && (Math.floor(mac / 2 ** 40) & 0x01) === 0;
}

export function macKey(mac: number): DeviceKey {
  return macKeyText(mac) as DeviceKey;
}

/** Kinds of numeric fact in `SeenFacts`. */
const SEEN_ARP = 1;
/** An IPv4 address bound to a MAC by ARP or DHCP, whichever said so. */
const SEEN_BOUND = 2;
const SEEN_SERVICE = 3;
/** A TCP SYN or SYN-ACK layout, by a hash of what makes its signature. */
const SEEN_SYN_LAYOUT = 4;
/** What a DHCP client message said (its type, options and addresses), by a hash. */
const SEEN_DHCP_OPTIONS = 5;

/**
 * A hash of what a DHCP client message reports: its addresses (ciaddr, yiaddr) and its options as
 * sent (RFC 2131 §2: they follow the 236-octet fixed part and the magic cookie), not xid or secs.
 */
function optionsHash(buf: Uint8Array, at: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = at + 12; i < at + 20; i++) hash = Math.imul(hash ^ (buf[i] ?? 0), 0x01000193);
  for (let i = at + 240; i < end; i++) hash = Math.imul(hash ^ (buf[i] ?? 0), 0x01000193);
  return hash >>> 0;
}

const macHigh = (mac: number): number => Math.floor(mac / 2 ** 32);

/** Dotted-quad IPv4 as an unsigned 32-bit number. */
function ipNumber(text: string): number {
  return text.split('.').reduce((n, part) => n * 256 + (Number(part) & 0xff), 0) >>> 0;
}

/** `aa:bb:cc:dd:ee:ff` as a 48-bit number. */
function macNumber(text: string): number {
  return Number.parseInt(text.replaceAll(':', ''), 16);
}

export class IdentityTracker {
  /** Device keys are strings; the last one is kept so a burst from one station builds it once. */
  private lastMac = -1;
  private lastKey: DeviceKey = 'mac:00:00:00:00:00:00';
  private readonly seen = new SeenFacts();
  /** Repeated messages dismissed (SYN layouts, DHCP client messages), apart from the bindings above so as never to crowd them out. */
  private readonly repeats = new SeenFacts();
  private readonly vendorEvidence = new Map<VendorMatch, string>();
  /** Application payloads: handlers are registered by the application kind they read. */
  readonly apps: AppFacts;

  constructor(private readonly table: DeviceTable) {
    this.apps = new AppFacts(
      table,
      (mac, ip) => this.seen.has(macHigh(mac), mac >>> 0, ip, SEEN_BOUND),
      (mac) => this.keyOf(mac),
    );
    registerHandlers(this.apps, table.refreshMs);
    // Addresses already bound (from the store) make a known server's SYN-ACKs count at once.
    for (const record of table.records()) {
      if (!record.key.startsWith('mac:')) continue;
      const mac = macNumber(record.key.slice(4));
      for (const ip of Object.keys(record.facts.ip ?? {})) this.seen.mark(macHigh(mac), mac >>> 0, ipNumber(ip), SEEN_BOUND, 0);
    }
  }

  /** Whether the IPv4 address `ip` is the station's own, by ARP or DHCP. */
  isBound(mac: number, ip: number): boolean {
    return this.seen.has(macHigh(mac), mac >>> 0, ip, SEEN_BOUND);
  }

  private keyOf(mac: number): DeviceKey {
    if (mac !== this.lastMac) {
      this.lastMac = mac;
      this.lastKey = macKey(mac);
    }
    return this.lastKey;
  }

  /**
   * Every well-formed frame. Most carry nothing about identity and cost one branch here; a sender
   * seen for the first time (`newSender`, from the accounting table) gets its NIC vendor.
   */
  onFrame(buf: Uint8Array, d: Dissection, ts: number, newSender: boolean): void {
    if (!isStation(d.srcMac)) return;
    if (newSender) {
      // Once per sender in this process, whether or not the table knew the device: one first heard of in
      // a DHCP server's answer, or loaded from the store, has its NIC's maker too (found() keeps a known fact as it is).
      const key = this.keyOf(d.srcMac);
      this.table.touch(key, ts);
      this.vendorOf(key, d.srcMac, ts);
    }
    if (d.l3 === L3_ARP) this.onArp(d, ts);
    else if (d.app === APP_DHCP) this.onDhcp(buf, d, ts);
    else {
      if (d.l4 === L4_TCP && (d.tcpFlags & TCP_SYN) !== 0) {
        if ((d.tcpFlags & TCP_ACK) !== 0) this.onSynAck(d, ts);
        this.onSynLayout(buf, d, ts);
      }
      if (d.app !== APP_NONE) this.apps.onPayload(buf, d, ts);
    }
  }

  private vendorOf(key: DeviceKey, mac: number, ts: number): void {
    const match = lookupVendor(mac);
    if (!match) return;
    // One evidence text per registry entry, shared by all the devices under it.
    let evidence = this.vendorEvidence.get(match);
    if (evidence === undefined) {
      evidence = `${match.assignment} ${match.organisation}`;
      this.vendorEvidence.set(match, evidence);
    }
    this.table.found(key, { attribute: 'vendor', value: match.vendor, signal: 'oui', evidence, confidence: CONFIDENCE.oui }, ts);
  }

  private onArp(d: Dissection, ts: number): void {
    // RFC 826: the sender pair is a binding the station states itself; 0.0.0.0 is an RFC 5227 probe.
    if (!isStation(d.arpSenderMac) || d.arpSenderIp === 0) return;
    const hi = macHigh(d.arpSenderMac);
    const lo = d.arpSenderMac >>> 0;
    if (this.seen.fresh(hi, lo, d.arpSenderIp, SEEN_ARP, ts, this.table.refreshMs)) return;
    this.seen.mark(hi, lo, d.arpSenderIp, SEEN_ARP, ts);
    this.seen.mark(hi, lo, d.arpSenderIp, SEEN_BOUND, ts);
    const ip = ipv4ToString(d.arpSenderIp);
    this.table.found(this.keyOf(d.arpSenderMac), { attribute: 'ip', value: ip, signal: 'arp.sender', evidence: `arp op ${d.arpOp} ${macToString(d.arpSenderMac)} is-at ${ip}`, confidence: CONFIDENCE.arpSender }, ts);
  }

  private onDhcp(buf: Uint8Array, d: Dissection, ts: number): void {
    const m = decodeDhcp(buf, d.payloadOffset, d.payloadLength);
    if (!m || m.htype !== 1 || m.hlen !== 6 || m.chaddrMac < 0) return;
    const mac = m.chaddrMac;
    const key = this.keyOf(mac);
    if (m.op === BOOTREQUEST) this.onDhcpClient(key, m, ts, optionsHash(buf, d.payloadOffset, d.payloadOffset + d.payloadLength));
    else if (m.messageType === DHCP_ACK && m.yiaddr !== 0) {
      this.seen.mark(macHigh(mac), mac >>> 0, m.yiaddr, SEEN_BOUND, ts);
      const ip = ipv4ToString(m.yiaddr);
      this.table.found(key, { attribute: 'ip', value: ip, signal: 'dhcp.yiaddr', evidence: `DHCPACK xid ${m.xid.toString(16)} yiaddr ${ip}`, confidence: CONFIDENCE.dhcpAck }, ts);
    }
  }

  private onDhcpClient(key: DeviceKey, m: Dhcp, ts: number, said: number): void {
    const type = m.messageType;
    if (type !== DHCP_DISCOVER && type !== DHCP_REQUEST && type !== DHCP_INFORM) return;
    // A client repeats itself (retransmissions, renewals): the same options, already reported.
    const mac = m.chaddrMac;
    const hi = macHigh(mac);
    const lo = mac >>> 0;
    if (this.repeats.fresh(hi, lo, said, SEEN_DHCP_OPTIONS, ts, this.table.refreshMs)) return;
    this.repeats.mark(hi, lo, said, SEEN_DHCP_OPTIONS, ts);
    const t = this.table;
    if (m.hostname) t.found(key, { attribute: 'hostname', value: m.hostname, signal: 'dhcp.option12', evidence: m.hostname, confidence: CONFIDENCE.dhcpHostname }, ts);
    if (m.vendorClassId) t.found(key, { attribute: 'dhcp.vendorClass', value: m.vendorClassId, signal: 'dhcp.option60', evidence: m.vendorClassId, confidence: CONFIDENCE.dhcpTrait }, ts);
    if (m.parameterRequestList) {
      const list = m.parameterRequestList.join(',');
      t.found(key, { attribute: 'dhcp.parameterList', value: list, signal: 'dhcp.option55', evidence: list, confidence: CONFIDENCE.dhcpTrait }, ts);
    }
    if (m.clientId) t.found(key, { attribute: 'dhcp.clientId', value: m.clientId, signal: 'dhcp.option61', evidence: m.clientId, confidence: CONFIDENCE.dhcpTrait }, ts);
    if (m.clientFqdn) t.found(key, { attribute: 'dhcp.fqdn', value: m.clientFqdn, signal: 'dhcp.option81', evidence: m.clientFqdn, confidence: CONFIDENCE.dhcpHostname }, ts);
    if (m.maxMessageSize !== null) {
      const size = `${m.maxMessageSize}`;
      t.found(key, { attribute: 'dhcp.maxMessageSize', value: size, signal: 'dhcp.option57', evidence: size, confidence: CONFIDENCE.dhcpTrait }, ts);
    }
    // The order a client lays its options out in is its DHCP stack's, whatever values it fills in.
    // It differs by message type (a REQUEST adds 50 and 54 as it selects): the DISCOVER's (or an
    // INFORM's) is the one compared, so that one stack has one order.
    if (type !== DHCP_REQUEST) {
      const order = m.optionCodes.join(',');
      t.found(key, { attribute: 'dhcp.optionOrder', value: order, signal: 'dhcp.optionOrder', evidence: `DHCP type ${type} options ${order}`, confidence: CONFIDENCE.dhcpTrait }, ts);
    }
    if (m.ciaddr !== 0) {
      const mac = m.chaddrMac;
      this.seen.mark(macHigh(mac), mac >>> 0, m.ciaddr, SEEN_BOUND, ts);
      const ip = ipv4ToString(m.ciaddr);
      t.found(key, { attribute: 'ip', value: ip, signal: 'dhcp.ciaddr', evidence: `DHCP type ${type} ciaddr ${ip}`, confidence: CONFIDENCE.dhcpCiaddr }, ts);
    } else if (m.requestedIp !== null && m.requestedIp !== 0) {
      const ip = ipv4ToString(m.requestedIp);
      t.found(key, { attribute: 'ip', value: ip, signal: 'dhcp.option50', evidence: `DHCP type ${type} requested ${ip}`, confidence: CONFIDENCE.dhcpRequested }, ts);
    }
  }

  /**
   * A SYN or SYN-ACK's header layout (initial TTL, window, MSS, options in order) is its TCP stack's:
   * reported once per layout and sender per refresh interval, found by a hash of the header's octets.
   */
  private onSynLayout(buf: Uint8Array, d: Dissection, ts: number): void {
    if (!this.apps.ownPacket(d)) return;
    const at = d.l4Offset;
    const headerEnd = Math.min(d.payloadOffset, at + 60);
    let hash = Math.imul(0x811c9dc5 ^ initialTtl(d.ttl), 0x01000193) ^ d.tcpWindow ^ (d.tcpFlags << 16);
    for (let i = at + 20; i < headerEnd; i++) hash = Math.imul(hash ^ (buf[i] ?? 0), 0x01000193);
    const hi = macHigh(d.srcMac);
    const lo = d.srcMac >>> 0;
    if (this.repeats.fresh(hi, lo, hash >>> 0, SEEN_SYN_LAYOUT, ts, this.table.refreshMs)) return;
    this.repeats.mark(hi, lo, hash >>> 0, SEEN_SYN_LAYOUT, ts);
    const signature = tcpSignature(buf, at, d.payloadOffset + d.payloadLength, d.ttl);
    if (signature === null) return;
    const what = signature.synAck ? 'SYN-ACK' : 'SYN';
    this.table.found(this.keyOf(d.srcMac), { attribute: 'tcp.synSignature', value: signature.text, signal: 'tcp.synSignature', evidence: `${what} TTL ${d.ttl} window ${signature.window} options ${signature.options.join(',')}`, confidence: CONFIDENCE.tcpService }, ts);
  }

  /**
   * A SYN-ACK says the sender serves that TCP port. It is the sender's own service only if the
   * source address is bound to the source MAC; otherwise a router forwarded it on another's behalf.
   */
  private onSynAck(d: Dissection, ts: number): void {
    if (d.ipSrc === 0 || d.l3 !== L3_IPV4) return;
    const hi = macHigh(d.srcMac);
    const lo = d.srcMac >>> 0;
    if (!this.seen.has(hi, lo, d.ipSrc, SEEN_BOUND)) return;
    if (this.seen.fresh(hi, lo, d.srcPort, SEEN_SERVICE, ts, this.table.refreshMs)) return;
    this.seen.mark(hi, lo, d.srcPort, SEEN_SERVICE, ts);
    const ip = ipv4ToString(d.ipSrc);
    const service = `tcp/${d.srcPort}`;
    this.table.found(this.keyOf(d.srcMac), { attribute: 'service', value: service, signal: 'tcp.synAck', evidence: `SYN-ACK from ${ip}:${d.srcPort}`, confidence: CONFIDENCE.tcpService }, ts);
  }
}
