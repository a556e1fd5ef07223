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
