/**
 * QUIC Initial packet protection keys (RFC 9001 §5.2, RFC 9369 §3.3 for QUIC v2): derived from the
 * Destination Connection ID of the client's first Initial packet and a salt fixed per version, so
 * anyone on the path can read Initial packets. HKDF-SHA256 (RFC 5869) with TLS 1.3's
 * HKDF-Expand-Label (RFC 8446 §7.1).
 */
import { createHmac } from 'node:crypto';

export const QUIC_V1 = 0x0000_0001;
export const QUIC_V2 = 0x6b33_43cf;

export interface InitialKeys {
  /** AEAD_AES_128_GCM key (16 octets), IV (12) and header protection key (16). */
  key: Buffer;
  iv: Buffer;
  hp: Buffer;
}

interface VersionSalt {
  salt: Buffer;
  /** Label prefix: "quic " (v1 and drafts) or "quicv2 " (RFC 9369 §3.3.2). */
  labels: string;
}

const V1_SALT = Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex'); // RFC 9001 §5.2
const V2_SALT = Buffer.from('0dede3def700a6db819381be6e269dcbf9bd2ed9', 'hex'); // RFC 9369 §3.3.1
const DRAFT_29_SALT = Buffer.from('afbfec289993d24c9e9786f19c6111e04390a899', 'hex'); // draft-ietf-quic-tls-29 §5.2

/** The salt and labels of `version`, or null for a version this sensor does not read. */
function versionSalt(version: number): VersionSalt | null {
  if (version === QUIC_V1) return { salt: V1_SALT, labels: 'quic ' };
  if (version === QUIC_V2) return { salt: V2_SALT, labels: 'quicv2 ' };
  // draft-29 to draft-32 (0xff00001d-0xff000020) share draft-29's salt
  if (version >= 0xff00_001d && version <= 0xff00_0020) return { salt: DRAFT_29_SALT, labels: 'quic ' };
  return null;
}

/** RFC 8446 §7.1 HKDF-Expand-Label with an empty context; lengths up to one SHA-256 block. */
function expandLabel(secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([Buffer.of(length >> 8, length & 0xff, full.length), full, Buffer.of(0)]);
  // RFC 5869 §2.3 HKDF-Expand: T(1) = HMAC-Hash(PRK, info | 0x01) covers 32 octets.
  return createHmac('sha256', secret).update(info).update(Buffer.of(1)).digest().subarray(0, length);
}

/**
 * The Initial keys of the client (`fromServer` false) or server for a connection whose client's
 * first Initial packet had Destination Connection ID `dcid`; null for an unknown version.
 */
export function initialKeys(version: number, dcid: Uint8Array, fromServer: boolean): InitialKeys | null {
  const chosen = versionSalt(version);
  if (chosen === null) return null;
  // RFC 9001 §5.2: initial_secret = HKDF-Extract(initial_salt, client_dst_connection_id)
  const initialSecret = createHmac('sha256', chosen.salt).update(dcid).digest();
  const secret = expandLabel(initialSecret, fromServer ? 'server in' : 'client in', 32);
  return {
    key: expandLabel(secret, `${chosen.labels}key`, 16),
    iv: expandLabel(secret, `${chosen.labels}iv`, 12),
    hp: expandLabel(secret, `${chosen.labels}hp`, 16),
  };
}

/** RFC 9369 §3.2: QUIC v2 numbers the Initial packet type 1, v1 and the drafts 0. */
export function initialPacketType(version: number): number {
  return version === QUIC_V2 ? 1 : 0;
}
