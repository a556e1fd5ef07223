/**
 * What web clients and servers say of themselves: a TLS ClientHello's server name, ALPN and JA4
 * fingerprint (the client's TLS stack); a TLS 1.2 server's certificate subject (device
 * certificates often carry the maker and model); HTTP User-Agent and Host of requests and the
 * Server header of responses. One exchange per client and server (or per server port) is read per
 * refresh interval: repeated connections to the same peer say the same.
 */
import { decode as decodeHttp, type HttpHead } from '../decoders/http.js';
import { APP_HTTP, APP_TLS, appOfTcpPort } from '../decoders/registry.js';
import { decode as decodeTls, type TlsClientHello, type TlsFlight } from '../decoders/tls.js';
import type { Dissection } from '../dissect.js';
import type { AppHandler, SenderFacts } from './app-facts.js';
import { ja4 } from './ja4.js';
import { SeenFacts } from './seen-facts.js';
import type { StreamMessages } from './stream-messages.js';
import { certificateSubject } from './x509-subject.js';

const SELF_STATED = 0.9;
/** A name the client asked for: what it talks to, not what it is. */
const LOOKUP = 0.7;

const EXCHANGE_READ = 5;

/** RFC 8446 §5.1: a handshake record (22), legacy version 3.x, then ClientHello (1), ServerHello (2) or Certificate (11). */
export function startsHandshake(buf: Uint8Array, at: number, end: number): boolean {
  if (end - at < 6 || buf[at] !== 22 || buf[at + 1] !== 3) return false;
  const type = buf[at + 5];
  return type === 1 || type === 2 || type === 11;
}

/** RFC 9112 §3 / §4: a request line starts with an upper-case method token, a status line with `HTTP/`. */
export function startsHead(buf: Uint8Array, at: number, end: number): boolean {
  if (end - at < 5) return false;
  const first = buf[at] ?? 0;
  return first >= 0x41 && first <= 0x5a;
}

/**
 * JA4 by what it is computed from: clients of one TLS stack send the same hello shape to every
 * server, so the two SHA-256 hashes are made once per shape, not once per connection.
 */
const JA4_CACHE_LIMIT = 4096;
const ja4ByShape = new Map<string, string>();

function ja4Of(hello: TlsClientHello): string {
  const shape = `${hello.serverName === null ? 'i' : 'd'}|${hello.legacyVersion}|${hello.supportedVersions?.join(',') ?? ''}|${hello.cipherSuites.join(',')}|${hello.extensionTypes.join(',')}|${hello.signatureAlgorithms?.join(',') ?? ''}|${hello.alpn?.join('\u0000') ?? ''}`;
  let fingerprint = ja4ByShape.get(shape);
  if (fingerprint === undefined) {
    fingerprint = ja4(hello, 't').ja4;
    if (ja4ByShape.size >= JA4_CACHE_LIMIT) ja4ByShape.clear();
    ja4ByShape.set(shape, fingerprint);
  }
  return fingerprint;
}

function reportFlight(flight: TlsFlight, d: Dissection, facts: SenderFacts): void {
  const hello = flight.clientHello;
  if (hello !== null) {
    const fingerprint = ja4Of(hello);
    const said = `ClientHello to port ${d.dstPort} SNI ${hello.serverName ?? '-'} ALPN ${hello.alpn?.join(',') ?? '-'} JA4 ${fingerprint}`;
    if (hello.serverName) facts.found('tls.sni', hello.serverName, 'tls.sni', said, LOOKUP);
    if (hello.alpn && hello.alpn.length > 0) facts.found('tls.alpn', hello.alpn.join(','), 'tls.alpn', said, SELF_STATED);
    facts.found('tls.ja4', fingerprint, 'tls.ja4', said, SELF_STATED);
  }
  const leaf = flight.certificates?.[0];
  if (leaf !== undefined) {
    const certificate = certificateSubject(leaf);
    if (certificate !== null && certificate.subjectText !== '') {
      const said = `certificate from port ${d.srcPort}: subject ${certificate.subjectText}; issuer ${certificate.issuerText}; SHA-256 ${certificate.fingerprint256}`;
      facts.found('tls.certificateSubject', certificate.subjectText, 'tls.certificateSubject', said, SELF_STATED);
    }
  }
}

function reportHead(head: HttpHead, d: Dissection, facts: SenderFacts): void {
  if (head.kind === 'request') {
    const said = `${head.method ?? ''} ${head.target?.slice(0, 200) ?? ''} ${head.version} to port ${d.dstPort}`;
    if (head.userAgent) facts.found('http.userAgent', head.userAgent, 'http.userAgent', `${said} User-Agent ${head.userAgent}`, SELF_STATED);
    if (head.host) facts.found('http.host', head.host, 'http.host', `${said} Host ${head.host}`, LOOKUP);
  } else if (head.server) {
    facts.found('http.server', head.server, 'http.server', `${head.version} ${head.status ?? ''} from port ${d.srcPort} Server ${head.server}`, SELF_STATED);
  }
}

/**
 * Reads one exchange per (sender, peer) per refresh interval: a client's by the server's address
 * and port, a server's by its own port.
 */
function onceInAWhile(refreshMs: number, app: number) {
  const read = new SeenFacts(1 << 15);
  /** The peer an exchange is keyed by, and which side of it the sender is. */
  const peerOf = (d: Dissection): { peer: number; side: number } => {
    const fromServer = appOfTcpPort(d.srcPort) === app;
    return fromServer ? { peer: d.srcPort, side: EXCHANGE_READ + 1 } : { peer: (d.ipDst ^ Math.imul(d.dstPort, 0x9e3779b1)) >>> 0, side: EXCHANGE_READ };
  };
  return {
    fresh(d: Dissection, ts: number): boolean {
      const { peer, side } = peerOf(d);
      return read.fresh(Math.floor(d.srcMac / 2 ** 32), d.srcMac >>> 0, peer, side, ts, refreshMs);
    },
    mark(d: Dissection, ts: number): void {
      const { peer, side } = peerOf(d);
      read.mark(Math.floor(d.srcMac / 2 ** 32), d.srcMac >>> 0, peer, side, ts);
    },
  };
}

export function tlsHandler(streams: StreamMessages, refreshMs: number): AppHandler {
  const exchanges = onceInAWhile(refreshMs, APP_TLS);
  return (buf, d, ts, facts) => {
    if (exchanges.fresh(d, ts)) return;
    streams.read(buf, d, ts, startsHandshake, decodeTls, (flight) => {
      exchanges.mark(d, ts);
      reportFlight(flight, d, facts);
    });
  };
}

export function httpHandler(streams: StreamMessages, refreshMs: number): AppHandler {
  const exchanges = onceInAWhile(refreshMs, APP_HTTP);
  return (buf, d, ts, facts) => {
    if (exchanges.fresh(d, ts)) return;
    streams.read(buf, d, ts, startsHead, decodeHttp, (head) => {
      exchanges.mark(d, ts);
      reportHead(head, d, facts);
    });
  };
}
