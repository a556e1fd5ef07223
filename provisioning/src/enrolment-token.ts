/**
 * One-time enrolment tokens: what a technician carries to a new sensor (in its config bundle, or as
 * a QR code). A token is `wse1.<sensorId>.<secret>`: the version, the sensor it enrols (so that a
 * person reading one knows which it is) and 128 random bits in RFC 4648 base32. The hub keeps only
 * the token's SHA-256, so a copy of the hub's store cannot enrol anything.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { isValidSensorId } from './subject.js';

const TOKEN_VERSION = 'wse1';
const SECRET_BYTES = 16;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** 16 bytes in base32 without padding (RFC 4648 §6). */
const SECRET_LENGTH = Math.ceil((SECRET_BYTES * 8) / 5);
const TOKEN_PATTERN = new RegExp(`^${TOKEN_VERSION}\\.([a-z0-9][a-z0-9-]{0,62})\\.([a-z2-7]{${SECRET_LENGTH}})$`);

export const enrolmentTokenDefaults = {
  /** How long a new token may be used: a week, for a bundle made ahead of an installation round. */
  validMinutes: 7 * 24 * 60,
  /** Bounds: a token made at the sensor's side may be short-lived; none outlives a quarter. */
  minValidMinutes: 1,
  maxValidMinutes: 90 * 24 * 60,
} as const;

export interface EnrolmentToken {
  /** The token as the technician carries it. Secret: never log it. */
  token: string;
  /** What the hub keeps: SHA-256 of the token, hexadecimal. */
  hash: string;
  sensorId: string;
  expiresAt: Date;
}

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function enrolmentTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** True when two token hashes are the same, in constant time. */
export function sameTokenHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** A new token for `sensorId`, valid for `validMinutes` from `now`. */
export function newEnrolmentToken(sensorId: string, validMinutes: number = enrolmentTokenDefaults.validMinutes, now = new Date()): EnrolmentToken {
  if (!isValidSensorId(sensorId)) {
    throw new ProvisioningError(ProvisioningErrorCode.BadName, `sensor id ${JSON.stringify(sensorId)} is not valid: use 1 to 63 lower-case letters, digits and hyphens`);
  }
  if (!Number.isInteger(validMinutes) || validMinutes < enrolmentTokenDefaults.minValidMinutes || validMinutes > enrolmentTokenDefaults.maxValidMinutes) {
    throw new ProvisioningError(
      ProvisioningErrorCode.BadValidity,
      `an enrolment token is valid for ${enrolmentTokenDefaults.minValidMinutes} to ${enrolmentTokenDefaults.maxValidMinutes} minutes, not ${validMinutes}`,
    );
  }
  const token = `${TOKEN_VERSION}.${sensorId}.${base32(randomBytes(SECRET_BYTES))}`;
  return { token, hash: enrolmentTokenHash(token), sensorId, expiresAt: new Date(now.getTime() + validMinutes * 60_000) };
}

/**
 * The sensor a token names, after checking its form (surrounding white space, as a copy from a
 * file or a terminal brings, is ignored). Says what is wrong in words a technician can act on.
 */
export function parseEnrolmentToken(text: string): { token: string; sensorId: string } {
  const token = text.trim();
  const match = TOKEN_PATTERN.exec(token);
  if (!match) {
    const hint = token.startsWith(`${TOKEN_VERSION}.`) ? 'it is cut short or altered' : `a token starts with "${TOKEN_VERSION}."`;
    throw new ProvisioningError(ProvisioningErrorCode.TokenMalformed, `this is not a Wardsight enrolment token (${hint}); copy it again from the bundle or the QR code`);
  }
  return { token, sensorId: match[1] ?? '' };
}

/**
 * The token with where to use it, as the QR code carries it: `wardsight-enrol:<token>?hub=<api>`.
 * A scanner (or a person) gets both the hub's address and the token from one picture.
 */
export function enrolmentUri(token: string, apiUrl: string): string {
  return `wardsight-enrol:${token}?hub=${encodeURIComponent(apiUrl)}`;
}

/** The token (and the hub address, if present) from a bare token or an enrolment URI. */
export function readEnrolmentText(text: string): { token: string; sensorId: string; hub?: string } {
  const trimmed = text.trim();
  if (!trimmed.startsWith('wardsight-enrol:')) return parseEnrolmentToken(trimmed);
  const rest = trimmed.slice('wardsight-enrol:'.length);
  const [tokenPart = '', query = ''] = rest.split('?', 2);
  const hub = new URLSearchParams(query).get('hub') ?? undefined;
  return { ...parseEnrolmentToken(tokenPart), ...(hub ? { hub } : {}) };
}
