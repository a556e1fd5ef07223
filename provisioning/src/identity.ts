/**
 * Who is on the other end of a TLS connection, read from the peer certificate the CA issued.
 * The broker uses this (not what the client claims) to decide which sensor a connection is.
 */
import { isRole, isValidSensorId, ORGANIZATION } from './subject.js';
import type { Role } from './subject.js';

/** The subject fields of a peer certificate as `tls.TLSSocket.getPeerCertificate()` gives them. */
export interface CertificateSubjectFields {
  readonly CN?: string | readonly string[];
  readonly OU?: string | readonly string[];
  readonly O?: string | readonly string[];
}

export interface PeerIdentity {
  commonName: string;
  role: Role;
}

/**
 * `{ commonName, role }` of a certificate issued by the CA, or null when the certificate is absent
 * or its subject is not one the CA writes: a field missing or repeated, an unknown role, another
 * organisation, or a sensor whose id could not be a topic level. The chain itself must already
 * have been verified by TLS (`requestCert` and `rejectUnauthorized`); this reads, it does not trust.
 */
export function identityFromCertificate(
  cert: { readonly subject?: CertificateSubjectFields | null } | null | undefined,
): PeerIdentity | null {
  const subject = cert?.subject;
  if (!subject) return null;
  const commonName = single(subject.CN);
  const role = single(subject.OU);
  if (!commonName || !isRole(role) || single(subject.O) !== ORGANIZATION) return null;
  if (role === 'sensor' && !isValidSensorId(commonName)) return null;
  return { commonName, role };
}

/** The value of a field that occurs exactly once; undefined if it is absent or repeated. */
function single(value: string | readonly string[] | undefined): string | undefined {
  if (typeof value === 'string') return value;
  return value?.length === 1 ? value[0] : undefined;
}
