/**
 * Stable error codes of provisioning. A code names one situation and is never reused for another;
 * the message says what to do about it.
 */
export const ProvisioningErrorCode = {
  /** No CA in the data directory where one is needed to sign. */
  CaMissing: 'PROV_ERR_CA_MISSING',
  /** A CA was to be created where one already exists. */
  CaExists: 'PROV_ERR_CA_EXISTS',
  /** Only one of the CA certificate and the CA key is present. */
  CaIncomplete: 'PROV_ERR_CA_INCOMPLETE',
  /** The CA certificate or key cannot be read as an ECDSA P-256 CA. */
  CaInvalid: 'PROV_ERR_CA_INVALID',
  /** The CA key is not the key of the CA certificate. */
  CaKeyMismatch: 'PROV_ERR_CA_KEY_MISMATCH',
  /** The CA certificate is past its notAfter. */
  CaExpired: 'PROV_ERR_CA_EXPIRED',
  /** A common name, sensor id, DNS name or identity file name is not acceptable. */
  BadName: 'PROV_ERR_BAD_NAME',
  /** An IP address for a subject alternative name is not an IPv4 or IPv6 address. */
  BadAddress: 'PROV_ERR_BAD_ADDRESS',
  /** A role is not one of hub, sensor, admin. */
  BadRole: 'PROV_ERR_BAD_ROLE',
  /** A certificate usage is not one of server, client, both. */
  BadUsage: 'PROV_ERR_BAD_USAGE',
  /** A validity period is not a positive whole number of days within bounds. */
  BadValidity: 'PROV_ERR_BAD_VALIDITY',
  /** A private key file may be read or written by users other than its owner. */
  FileMode: 'PROV_ERR_FILE_MODE',
  /** A file of a stored identity (certificate, key, CA certificate) is absent. */
  IdentityMissing: 'PROV_ERR_IDENTITY_MISSING',
  /** A certificate serial number is not 1 to 20 octets of hexadecimal (RFC 5280 §4.1.2.2). */
  BadSerial: 'PROV_ERR_BAD_SERIAL',
  /** A certificate revocation list cannot be read, or is not one this hub's CA signed. */
  CrlInvalid: 'PROV_ERR_CRL_INVALID',
  /** A certificate revocation list would hold more entries than allowed. */
  CrlTooLarge: 'PROV_ERR_CRL_TOO_LARGE',
  /** A text given as an enrolment token does not have a token's form. */
  TokenMalformed: 'PROV_ERR_TOKEN_MALFORMED',
  /** A well-formed enrolment token the hub never issued (or one issued by another hub). */
  TokenUnknown: 'PROV_ERR_TOKEN_UNKNOWN',
  /** An enrolment token past its expiry. */
  TokenExpired: 'PROV_ERR_TOKEN_EXPIRED',
  /** An enrolment token that has already enrolled a sensor, or was replaced by a newer one. */
  TokenUsed: 'PROV_ERR_TOKEN_USED',
  /** A certificate request that cannot be read, is not self-signed by its key, or uses another key type. */
  BadCertificateRequest: 'PROV_ERR_BAD_CSR',
  /** A config bundle was to be written where another sensor's bundle is. */
  BundleExists: 'PROV_ERR_BUNDLE_EXISTS',
  /** A release signing key was to be created where a key file already exists. */
  ReleaseKeyExists: 'PROV_ERR_RELEASE_KEY_EXISTS',
  /** A release key file cannot be read as an Ed25519 key of the expected kind (private or public). */
  ReleaseKeyInvalid: 'PROV_ERR_RELEASE_KEY_INVALID',
  /** A release version is not a semantic version x.y.z[-prerelease]. */
  ReleaseVersion: 'PROV_ERR_RELEASE_VERSION',
  /** The directory to sign holds something a release may not carry (device file, escaping link, …). */
  ReleasePayload: 'PROV_ERR_RELEASE_PAYLOAD',
  /** A release bundle was to be written where one already exists. */
  ReleaseExists: 'PROV_ERR_RELEASE_EXISTS',
  /** A file is not a release bundle, or its manifest does not have the release manifest's form. */
  ReleaseMalformed: 'PROV_ERR_RELEASE_MALFORMED',
  /** The manifest's signature does not verify with the trusted release key. */
  ReleaseSignature: 'PROV_ERR_RELEASE_SIGNATURE',
  /** The bundle's files do not match its signed manifest (hash, size, unlisted or missing file). */
  ReleaseTampered: 'PROV_ERR_RELEASE_TAMPERED',
} as const;

export type ProvisioningErrorCode = (typeof ProvisioningErrorCode)[keyof typeof ProvisioningErrorCode];

export class ProvisioningError extends Error {
  override readonly name = 'ProvisioningError';
  readonly code: ProvisioningErrorCode;

  constructor(code: ProvisioningErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True when `error` is a ProvisioningError, with the given code where one is passed. */
export function isProvisioningError(error: unknown, code?: ProvisioningErrorCode): error is ProvisioningError {
  return error instanceof ProvisioningError && (code === undefined || error.code === code);
}
