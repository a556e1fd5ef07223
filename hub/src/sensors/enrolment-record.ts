/**
 * What the hub knows of each sensor it provisioned: where it is, the one enrolment token it may use
 * (as a hash), the certificate it enrolled with, and what was revoked. The broker lets a sensor in
 * only while its record is active and it presents that record's current certificate.
 */
import type { Location } from '@wardsight/protocol';

export type EnrolmentState = 'awaiting-enrolment' | 'active' | 'revoked';

export interface TokenRecord {
  /** SHA-256 of the token, hexadecimal: the token itself is never stored. */
  hash: string;
  issuedAt: string;
  expiresAt: string;
}

/** A token that can no longer be used, kept so that a second use is told why. */
export interface RetiredToken extends TokenRecord {
  retiredAt: string;
  why: 'used' | 'replaced' | 'revoked';
}

export interface CertificateRecord {
  /** Upper-case hexadecimal, as TLS peers report it. */
  serial: string;
  fingerprint256: string;
  notAfter: string;
  issuedAt: string;
  /** SHA-256 of the certificate's public key (SubjectPublicKeyInfo DER), hexadecimal. */
  publicKeySha256: string;
  pem: string;
}

export interface RevokedCertificate extends CertificateRecord {
  revokedAt: string;
  why: 'revoked' | 'replaced';
}

export interface EnrolmentRecord {
  id: string;
  /** A person's name for the sensor ("3rd floor east closet"). */
  name: string;
  location: Location;
  /** The interface it captures on, written into its bundle. */
  captureInterface: string;
  state: EnrolmentState;
  createdAt: string;
  createdBy: string;
  /** The token that may enrol it now; null once used or when revoked. */
  token: TokenRecord | null;
  retiredTokens: RetiredToken[];
  /** The certificate it holds now; null before it enrols and after it is revoked. */
  certificate: CertificateRecord | null;
  revokedCertificates: RevokedCertificate[];
  /** Times new hardware took this sensor's place. */
  replacements: number;
  /** The last replacement (a new token for new hardware): when, and by whom. */
  replacedAt?: string | null;
  replacedBy?: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

/** Older retired tokens past this many are forgotten (their use then reads as an unknown token). */
export const RETIRED_TOKENS_KEPT = 16;
