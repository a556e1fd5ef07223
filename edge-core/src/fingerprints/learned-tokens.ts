/**
 * Discrete features of one device, `name=value` tokens, and the signals it sent (named as the
 * sensor names them, `classify/src/signals.ts`) for the rule library. Signals come from the same
 * handlers and decoders the sensor uses — names, discovery, DHCP, TCP SYN signature, TLS hellos
 * with JA4, HTTP heads — so a model learned from captures reads what a live sensor reports. Every
 * token's text goes through `scrub`: no token holds an address or serial of the unit. Signals keep
 * the text as sent; they feed the rules, never a saved model.
 */
import { u8 } from '../decoders/bytes.js';
import { decode as decodeDhcp } from '../decoders/dhcp.js';
import { decode as decodeDns } from '../decoders/dns.js';
import { decode as decodeHttp } from '../decoders/http.js';
import { needsMore } from '../decoders/need-more.js';
import { APP_CDP, APP_DHCPV6, APP_DNS, APP_LLDP, APP_NBNS, APP_SNMP, APP_SSDP, APP_SYSLOG, APP_WSD } from '../decoders/registry.js';
import { TCP_ACK } from '../decoders/tcp.js';
import { decode as decodeTls, type TlsClientHello, type TlsServerHello } from '../decoders/tls.js';
import type { Dissection } from '../dissect.js';
import type { AppHandler, SenderFacts } from './app-facts.js';
import { cdpHandler, dhcpv6Handler, lldpHandler, snmpHandler } from './discovery.js';
import { ja4 } from './ja4.js';
import { dnsHandler, nbnsHandler, ssdpHandler, syslogHandler, wsdHandler } from './names.js';
import { scrub } from '@wardsight/classify';
import type { StreamPrefix } from './learned-streams.js';
import { tcpSignature } from './tcp-signature.js';

/** Tokens and signals kept per device: far more than a device shows, bounded against floods of names. */
export const MAX_TOKENS = 4096;
export const MAX_SIGNALS = 1024;
/** HTTP messages read from one stream. */
const MAX_MESSAGES = 8;

/** One thing the device said, as the sensor would report it. */
export interface SignalSeen {
  signal: string;
  value: string;
}

/** The sensor's stateless handlers, by the registry's application kind. */
const HANDLERS = new Map<number, AppHandler>([
  [APP_DNS, dnsHandler],
  [APP_NBNS, nbnsHandler],
  [APP_SSDP, ssdpHandler],
  [APP_WSD, wsdHandler],
  [APP_SYSLOG, syslogHandler],
  [APP_LLDP, lldpHandler],
  [APP_CDP, cdpHandler],
  [APP_DHCPV6, dhcpv6Handler],
  [APP_SNMP, snmpHandler],
]);

const hex4 = (v: number): string => v.toString(16).padStart(4, '0');
const isGrease = (v: number): boolean => (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff); // RFC 8701 §2
const lists = (values: readonly number[]): string => values.filter((v) => !isGrease(v)).map(hex4).join(',');

/** A device's tokens and signals, deduplicated, in the order first seen. */
export class DeviceTokens {
  private readonly tokens = new Set<string>();
  private readonly said = new Map<string, SignalSeen>();
  /** What the sensor's handlers report about the device, taken as signals. */
  readonly facts: SenderFacts = { found: (_attribute, value, signal) => this.signal(signal, value) };

  constructor(private readonly ownMac: RegExp | null) {}

  add(name: string, value: string | number): void {
    if (this.tokens.size < MAX_TOKENS) this.tokens.add(`${name}=${value}`);
  }

  /** A text value from the packets, scrubbed of unit identifiers; empty text is skipped. */
  text(name: string, value: string): void {
    const clean = scrub(value, this.ownMac).trim();
    if (clean !== '') this.add(name, clean);
  }

  /** A signal as sent, and its scrubbed text as a token of the same name. */
  signal(name: string, value: string): void {
    const key = `${name}\u0000${value}`;
    if (!this.said.has(key) && this.said.size < MAX_SIGNALS) this.said.set(key, { signal: name, value });
    this.text(name, value);
  }

  list(): string[] {
    return [...this.tokens];
  }

  signals(): SignalSeen[] {
    return [...this.said.values()];
  }

  /** A UDP or TCP payload the device sent, by the registry's application kind. */
  payload(buf: Uint8Array, d: Dissection, tsMs: number): void {
    HANDLERS.get(d.app)?.(buf, d, tsMs, this.facts);
    // Multicast DNS and LLMNR questions: what the device looks for on the link (RFC 6762 §5, RFC 4795 §2).
    if (d.app === APP_DNS && d.dstPort !== 53) {
      const m = decodeDns(buf, d.payloadOffset, d.payloadOffset + d.payloadLength);
      const proto = d.dstPort === 5353 ? 'mdns' : 'llmnr';
      for (const q of m?.isResponse === false ? m.questions : []) {
        this.text(`${proto}.query`, q.name);
        this.add(`${proto}.query-type`, q.type);
      }
    }
  }

  /** DHCP sent by the device (RFC 2131 §4.4.1 client messages). */
  dhcp(buf: Uint8Array, offset: number, length: number): void {
    const m = decodeDhcp(buf, offset, length);
    if (m === null || m.op !== 1) return;
    if (m.messageType !== null) this.add('dhcp.message', m.messageType);
    this.signal('dhcp.optionOrder', m.optionCodes.join(','));
    if (m.parameterRequestList !== null) this.signal('dhcp.option55', m.parameterRequestList.join(','));
    if (m.vendorClassId !== null) this.signal('dhcp.option60', m.vendorClassId);
    if (m.hostname !== null) this.signal('dhcp.option12', m.hostname);
    if (m.clientFqdn !== null) this.signal('dhcp.option81', m.clientFqdn);
    if (m.maxMessageSize !== null) this.signal('dhcp.option57', String(m.maxMessageSize));
    // RFC 2132 §9.14: the type octet says how the unit names itself; the rest is the unit's own id.
    if (m.clientId !== null) this.add('dhcp.client-id.type', `${m.clientId.slice(0, 2)}/${m.clientId.length / 2}`);
    this.add('dhcp.broadcast-flag', m.flags >> 15);
  }

  /** NTP (RFC 5905 §7.3): LI 2 bits, VN 3 bits, mode 3 bits. */
  ntp(buf: Uint8Array, offset: number, end: number): void {
    if (end - offset < 48) return;
    const first = u8(buf, offset);
    this.add('ntp', `v${(first >> 3) & 7}/mode${first & 7}`);
  }

  /** A SYN (the device as client) or SYN-ACK (as server) it sent: its TCP stack's signature. */
  tcpSyn(buf: Uint8Array, d: Dissection): void {
    const signature = tcpSignature(buf, d.l4Offset, d.payloadOffset + d.payloadLength, d.ttl);
    if (signature === null) return;
    if (signature.synAck) this.add('tcp.syn-ack.signature', signature.text);
    else this.signal('tcp.synSignature', signature.text);
    this.add((d.tcpFlags & TCP_ACK) !== 0 ? 'tcp.accept' : 'tcp.connect', (d.tcpFlags & TCP_ACK) !== 0 ? d.srcPort : d.dstPort);
  }

  /** TLS hellos and HTTP heads at the start of one TCP stream of the device's. */
  stream(prefix: StreamPrefix): void {
    const flight = decodeTls(prefix.bytes, 0);
    if (flight !== null && !needsMore(flight)) {
      if (flight.clientHello !== null) this.clientHello(prefix.sent, flight.clientHello);
      if (flight.serverHello !== null) this.serverHello(prefix.sent, flight.serverHello);
      return;
    }
    let at = 0;
    for (let n = 0; n < MAX_MESSAGES; n++) {
      const head = decodeHttp(prefix.bytes, at);
      if (head === null || needsMore(head)) return;
      const side = prefix.sent ? 'sent' : 'received';
      if (head.kind === 'request' && head.method !== null && head.target !== null) {
        this.text(`http.${side}.request`, `${head.method} ${head.target}`);
        this.text(`http.${side}.path`, `${head.method} ${head.target.replace(/\?.*$/, '')}`);
        if (head.userAgent !== null && prefix.sent) this.signal('http.userAgent', head.userAgent);
        else if (head.userAgent !== null) this.text('http.received.user-agent', head.userAgent);
        if (head.host !== null && prefix.sent) this.signal('http.host', head.host);
      } else {
        this.add(`http.${side}.status`, head.status ?? 0);
        if (head.server !== null && prefix.sent) this.signal('http.server', head.server);
        else if (head.server !== null) this.text('http.received.server', head.server);
      }
      if (head.chunked) return; // the next message's start is not worth reading chunks for
      at += head.length + (head.contentLength ?? 0);
      if (at >= prefix.bytes.length) return;
    }
  }

  private clientHello(sent: boolean, h: TlsClientHello): void {
    if (!sent) {
      this.add('tls.received.client.ja4', ja4(h).ja4);
      return;
    }
    this.signal('tls.ja4', ja4(h).ja4);
    if (h.serverName !== null) this.signal('tls.sni', h.serverName);
    if (h.alpn !== null && h.alpn.length > 0) this.signal('tls.alpn', h.alpn.join(','));
    const versions = (h.supportedVersions ?? []).filter((v) => !isGrease(v));
    this.add('tls.client.version', hex4(versions.length > 0 ? Math.max(...versions) : h.legacyVersion));
    this.add('tls.client.ciphers', lists(h.cipherSuites));
    this.add('tls.client.extensions', lists(h.extensionTypes));
    if (h.supportedGroups !== null) this.add('tls.client.groups', lists(h.supportedGroups));
  }

  private serverHello(sent: boolean, h: TlsServerHello): void {
    const side = sent ? 'tls.server' : 'tls.received.server';
    this.add(`${side}.version`, hex4(h.selectedVersion ?? h.legacyVersion));
    this.add(`${side}.cipher`, hex4(h.cipherSuite));
    this.add(`${side}.extensions`, lists(h.extensionTypes));
  }
}
