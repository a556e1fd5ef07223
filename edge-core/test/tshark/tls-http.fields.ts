/**
 * TLS handshakes, server certificates and HTTP/1.x heads as tshark shows them, from our decoders
 * over TcpStreams. A connection direction is classified by its first bytes (a TLS handshake record
 * or an HTTP/1.x start line), not by port; each flight or head is reported on the frame that
 * completes it, as tshark does with its own reassembly. tshark is asked not to reassemble HTTP
 * bodies, so it too reports a head on the frame that completes the head.
 *
 * HTTP bodies are skipped by their length (RFC 9112 §6.3); where it is not known (chunked, or a
 * response that runs to the close), the direction is resynchronised: each later segment is tried as
 * the start of a new head.
 */
import { decode as decodeHttp, type HttpHead } from '../../src/decoders/http.js';
import { NEED_MORE } from '../../src/decoders/need-more.js';
import { TCP_FIN, TCP_RST, TCP_SYN } from '../../src/decoders/tcp.js';
import { decode as decodeTls, type TlsClientHello, type TlsFlight } from '../../src/decoders/tls.js';
import { APP_SSDP, ipv4ToString, ipv6ToString, L3_IPV4, L4_TCP, L4_UDP, type Dissection } from '../../src/dissect.js';
import { certificateSubject } from '../../src/fingerprints/x509-subject.js';
import { streamKey, TcpStreams } from '../../src/state/tcp-streams.js';
import type { Extractor, Fields, Frame } from './harness.js';
import { QuicHellos } from './quic-hellos.js';

export const TLS_FIELDS = [
  'tls.handshake.extensions_server_name',
  'tls.handshake.extensions_alpn_str',
  'tls.handshake.ciphersuite',
  'tls.handshake.extension.type',
  'x509sat.CountryName',
  'x509ce.dNSName',
] as const;
export const HTTP_FIELDS = ['http.user_agent', 'http.server', 'http.host', 'http.request.method'] as const;
/**
 * The fields in which tshark shows the text of a certificate name's attributes, one per ASN.1
 * string type (X.520 DirectoryString and the fixed-syntax attributes); CountryName is compared on
 * its own above.
 */
export const X509_NAME_FIELDS = [
  'x509sat.printableString',
  'x509sat.PrintableString',
  'x509sat.uTF8String',
  'x509sat.teletexString',
  'x509sat.bmpString',
  'x509sat.universalString',
  'x509sat.IA5String',
] as const;

/** A ClientHello seen in a capture, with its connection's endpoints (for JA4's expected values). */
export interface ObservedHello {
  frame: number;
  transport: 'tcp' | 'udp';
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  hello: TlsClientHello;
}

export interface TlsHttpExtractor extends Extractor {
  /** Every ClientHello read so far, in frame order. */
  hellos: ObservedHello[];
  /**
   * By frame: the attribute values, other than countries, of the issuer and subject of every
   * certificate the frame completes. tshark spreads them over X509_NAME_FIELDS by ASN.1 string
   * type, which the certificate summary does not keep, so they are compared as a multiset.
   */
  certificateNames: Map<number, string[]>;
}

/** What a connection direction carries, as far as its first bytes tell. */
type Mode = 'start' | 'tls' | 'http' | 'resync' | 'done';

/**
 * Adds values in tshark's text form: strings as UTF-8 (our decoders keep text as latin1, one
 * character per octet; tshark shows the octets as UTF-8, an invalid sequence as U+FFFD), and no
 * empty ones (tshark prints an empty value as no value).
 */
function add(row: Fields, field: string, values: readonly (string | number)[]): void {
  const shown = values.map((v) => (typeof v === 'number' ? String(v) : Buffer.from(v, 'latin1').toString('utf8'))).filter((v) => v !== '');
  if (shown.length > 0) (row[field] ??= []).push(...shown);
}

/** Name attributes of X.520 CountryName syntax, as OpenSSL names them: country and EV jurisdiction. */
const COUNTRY_TYPES = new Set(['C', 'jurisdictionC']);

/** RFC 8446 §5: a ChangeCipherSpec record (type 20, one octet 1) at `at`. */
function isChangeCipherSpec(bytes: Uint8Array, at: number): boolean {
  return bytes.length >= at + 6 && bytes[at] === 20 && bytes[at + 1] === 3 && bytes[at + 3] === 0 && bytes[at + 4] === 1 && bytes[at + 5] === 1;
}

const cipherText = (suite: number): string => `0x${suite.toString(16).padStart(4, '0')}`;

function flightFields(row: Fields, flight: Pick<TlsFlight, 'clientHello' | 'serverHello' | 'certificates'>, names: string[] = []): void {
  const client = flight.clientHello;
  if (client !== null) {
    add(row, 'tls.handshake.ciphersuite', client.cipherSuites.map(cipherText));
    add(row, 'tls.handshake.extension.type', client.extensionTypes);
    if (client.serverName !== null) add(row, 'tls.handshake.extensions_server_name', [client.serverName]);
    add(row, 'tls.handshake.extensions_alpn_str', client.alpn ?? []);
  }
  const server = flight.serverHello;
  if (server !== null) {
    add(row, 'tls.handshake.ciphersuite', [cipherText(server.cipherSuite)]);
    add(row, 'tls.handshake.extension.type', server.extensionTypes);
    if (server.alpn !== null) add(row, 'tls.handshake.extensions_alpn_str', [server.alpn]);
  }
  for (const der of flight.certificates ?? []) {
    const certificate = certificateSubject(der);
    if (certificate === null) continue;
    // TBSCertificate (RFC 5280 §4.1): the issuer comes before the subject.
    const countries = [...certificate.issuer, ...certificate.subject].filter((a) => COUNTRY_TYPES.has(a.type)).map((a) => a.value);
    add(row, 'x509sat.CountryName', countries);
    for (const a of [...certificate.issuer, ...certificate.subject]) if (!COUNTRY_TYPES.has(a.type)) names.push(a.value);
    add(row, 'x509ce.dNSName', certificate.dnsNames);
  }
}

function headFields(row: Fields, head: HttpHead): void {
  if (head.method !== null) add(row, 'http.request.method', [head.method]);
  if (head.userAgent !== null) add(row, 'http.user_agent', [head.userAgent]);
  if (head.server !== null) add(row, 'http.server', [head.server]);
  if (head.host !== null) add(row, 'http.host', [head.host]);
}

/** The other direction's key: `4 src sport dst dport` → `4 dst dport src sport`. */
function reverseKey(key: string): string {
  const [family, src, srcPort, dst, dstPort] = key.split(' ');
  return `${family} ${dst} ${dstPort} ${src} ${srcPort}`;
}

function endpoints(frame: Frame, d: Dissection): { src: string; dst: string } {
  if (d.l3 === L3_IPV4) return { src: ipv4ToString(d.ipSrc), dst: ipv4ToString(d.ipDst) };
  return { src: ipv6ToString(frame.bytes, d.ip6SrcOffset), dst: ipv6ToString(frame.bytes, d.ip6DstOffset) };
}

/** A fresh extractor (it keeps the streams of one capture). */
export function tlsHttpExtractor(): TlsHttpExtractor {
  const streams = new TcpStreams();
  const modes = new Map<string, Mode>();
  /** Request methods awaiting their response, by the response direction's key (RFC 9112 §6.3: HEAD). */
  const awaiting = new Map<string, string[]>();
  const hellos: ObservedHello[] = [];
  const certificateNames = new Map<number, string[]>();
  const quic = new QuicHellos();

  /** A QUIC Initial datagram: the hello it completes, if any. */
  const readQuic = (frame: Frame, d: Dissection): Fields | null => {
    const { src, dst } = endpoints(frame, d);
    const payload = frame.bytes.subarray(d.payloadOffset, d.payloadOffset + d.payloadLength);
    const hello = quic.datagram(`${src} ${d.srcPort}`, `${dst} ${d.dstPort}`, payload);
    if (hello === null) return null;
    if (hello.clientHello !== null) {
      hellos.push({ frame: frame.number, transport: 'udp', src, srcPort: d.srcPort, dst, dstPort: d.dstPort, hello: hello.clientHello });
    }
    const row: Fields = {};
    flightFields(row, { ...hello, certificates: null });
    return row;
  };

  /** The body octets after `head`, or null when only the connection's close or chunking ends it. */
  const bodyLength = (key: string, head: HttpHead): number | null => {
    if (head.kind === 'request') {
      const queue = awaiting.get(reverseKey(key)) ?? [];
      queue.push(head.method ?? '');
      awaiting.set(reverseKey(key), queue);
      return head.chunked ? null : (head.contentLength ?? 0);
    }
    const status = head.status ?? 0;
    if (status >= 100 && status < 200) return status === 101 ? null : 0; // interim; 101 switches protocol
    const method = awaiting.get(key)?.shift();
    if (method === 'HEAD' || status === 204 || status === 304) return 0;
    return head.chunked ? null : head.contentLength;
  };

  const readTls = (key: string, bytes: Uint8Array, row: Fields, frame: Frame, d: Dissection): void => {
    let at = 0;
    while (at < bytes.length) {
      const flight = decodeTls(bytes, at);
      if (flight === NEED_MORE) break;
      if (flight === null && isChangeCipherSpec(bytes, at)) {
        // After a HelloRetryRequest, a ChangeCipherSpec for middleboxes (RFC 8446 §D.4) comes
        // before the second ClientHello or the ServerHello, still in the clear (§4.1.4).
        const next = decodeTls(bytes, at + 6);
        if (next === NEED_MORE) break;
        if (next !== null && (next.clientHello !== null || next.serverHello !== null)) {
          at += 6;
          continue;
        }
      }
      if (flight === null) {
        modes.set(key, 'done'); // ChangeCipherSpec or application data: the rest is encrypted
        streams.end(key);
        return;
      }
      const names = certificateNames.get(frame.number) ?? [];
      flightFields(row, flight, names);
      if (names.length > 0) certificateNames.set(frame.number, names);
      if (flight.clientHello !== null) {
        hellos.push({ frame: frame.number, transport: 'tcp', ...endpoints(frame, d), srcPort: d.srcPort, dstPort: d.dstPort, hello: flight.clientHello });
      }
      at += flight.length;
    }
    streams.consume(key, at);
  };

  const readHttp = (key: string, bytes: Uint8Array, row: Fields): void => {
    let at = 0;
    while (at < bytes.length) {
      const head = decodeHttp(bytes, at);
      if (head === NEED_MORE) break;
      if (head !== null) headFields(row, head);
      const body = head === null ? null : bodyLength(key, head);
      if (head === null || body === null) {
        // Not a head, or a body whose end is unknown: look for the next head at a segment's start.
        modes.set(key, 'resync');
        streams.end(key);
        return;
      }
      at += head.length + body;
    }
    streams.consume(key, at);
  };

  return {
    fields: [...TLS_FIELDS, ...HTTP_FIELDS],
    preferences: ['http.desegment_body:FALSE'],
    hellos,
    certificateNames,
    // SSDP is HTTP over UDP: tshark shows its headers as http.*, the SSDP decoder reads them.
    skip: (_frame, d, dissected) => (dissected && d.l4 === L4_UDP && d.app === APP_SSDP ? 'SSDP: HTTP over UDP' : null),
    frame(frame, d, dissected): Fields | null {
      if (dissected && d.l4 === L4_UDP && d.app !== APP_SSDP) return readQuic(frame, d);
      if (!dissected || d.l4 !== L4_TCP) return null;
      const key = streamKey(frame.bytes, d);
      if ((d.tcpFlags & TCP_SYN) !== 0) {
        streams.end(key); // a new connection on these ports
        modes.delete(key);
      }
      const row: Fields = {};
      const payload = frame.bytes.subarray(d.payloadOffset, d.payloadOffset + d.payloadLength);
      let mode = modes.get(key) ?? 'start';
      if (mode === 'resync' && payload.length > 0 && decodeHttp(payload, 0) !== null) mode = 'http';
      if (payload.length > 0 && mode !== 'done' && mode !== 'resync') {
        // A SYN takes one sequence number: its data, if any, starts after it (RFC 9293 §3.4).
        const seq = (d.tcpFlags & TCP_SYN) !== 0 ? (d.tcpSeq + 1) >>> 0 : d.tcpSeq;
        const bytes = streams.push(key, seq, payload, frame.tsMs);
        if (bytes !== null && mode === 'start') {
          mode = decodeTls(bytes, 0) !== null ? 'tls' : decodeHttp(bytes, 0) !== null ? 'http' : 'done';
        }
        modes.set(key, mode);
        if (bytes !== null && mode === 'tls') readTls(key, bytes, row, frame, d);
        else if (bytes !== null && mode === 'http') readHttp(key, bytes, row);
        else if (mode === 'done') streams.end(key);
      }
      if ((d.tcpFlags & (TCP_FIN | TCP_RST)) !== 0) {
        streams.end(key);
        modes.delete(key);
      }
      return Object.keys(row).length > 0 ? row : null;
    },
  };
}
