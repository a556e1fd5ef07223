/**
 * A TLS session as a passive observer sees it: ClientHello with SNI, ServerHello and the compatibility
 * ChangeCipherSpec (RFC 8446 §D.4), then opaque encrypted records each way.
 */
import type { SeededRandom } from '../prng.js';
import { concatBytes } from '../packets/bytes.js';
import type { TcpMessage } from '../packets/tcp-connection.js';
import {
  TLS12_SUITES,
  TLS13_SUITES,
  applicationData,
  changeCipherSpec,
  clientHello,
  encryptedHandshake,
  serverHello,
  type TlsVersion,
} from '../packets/tls.js';

export interface TlsSessionFields {
  serverName: string;
  version: TlsVersion;
  alpn?: readonly string[];
  /** Sizes of the application requests the client sends; each gets a response. */
  requestSizes: readonly number[];
}

/** AEAD expansion of a TLS 1.3 record: 16-byte tag and 1-byte inner content type (RFC 8446 §5.2). */
const RECORD_OVERHEAD = 17;
/** RFC 5288 §3: an AES-GCM Finished is an 8-byte explicit nonce, 16 bytes of verify_data and header, a 16-byte tag. */
const TLS12_FINISHED_LENGTH = 40;

/**
 * TLS 1.3 does a full handshake (RFC 8446 §2); TLS 1.2 clients, as embedded devices reconnecting often
 * do, resume a cached session with the abbreviated handshake (RFC 5246 §7.3 Figure 2).
 */
export function tlsSessionMessages(fields: TlsSessionFields, random: SeededRandom): TcpMessage[] {
  const sessionId = random.bytes(32);
  const hello = clientHello({
    serverName: fields.serverName,
    version: fields.version,
    random: random.bytes(32),
    sessionId,
    keyShare: random.bytes(32),
    ...(fields.alpn ? { alpn: fields.alpn } : {}),
  });
  const tls13 = fields.version === '1.3';
  const cipherSuite = tls13 ? TLS13_SUITES[0] : TLS12_SUITES[0];
  const encrypted = (length: number): Uint8Array => applicationData(random.bytes(length + RECORD_OVERHEAD));
  const finished = (): Uint8Array => (tls13 ? encrypted(36) : encryptedHandshake(random.bytes(TLS12_FINISHED_LENGTH)));
  const messages: TcpMessage[] = [
    { from: 'client', payload: hello },
    {
      from: 'server',
      // TLS 1.3: EncryptedExtensions, Certificate, CertificateVerify and Finished, all encrypted.
      payload: concatBytes([
        serverHello({ version: fields.version, random: random.bytes(32), sessionId, cipherSuite, keyShare: random.bytes(32) }),
        changeCipherSpec(),
        tls13 ? encrypted(random.int(2_400, 3_600)) : finished(),
      ]),
    },
    { from: 'client', payload: concatBytes([changeCipherSpec(), finished()]) },
  ];
  for (const size of fields.requestSizes) {
    messages.push({ from: 'client', payload: encrypted(size) });
    messages.push({ from: 'server', payload: encrypted(random.int(200, 4_000)) });
  }
  return messages;
}
