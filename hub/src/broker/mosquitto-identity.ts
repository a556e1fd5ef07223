/**
 * The hub's second client identity on an external Mosquitto, for the dynamic-security plugin only:
 * `O=Wardsight, OU=hub, CN=broker-control`, kept in `<dataDir>/tls/hub-broker-control.{crt,key}`.
 *
 * A second certificate because the listener sets `use_username_as_clientid`: every connection made
 * with one certificate gets the same client id, and Mosquitto closes the older connection when a
 * newer one arrives (seen on 2.0.11), so the ingest subscriber and the plugin's controller cannot
 * share the ingest certificate. It also keeps each right with one key: the ingest certificate
 * cannot change who is admitted, and this one reads no sensor's reports (mosquitto-acl.ts).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import {
  ensureCa,
  HUB_TLS_DIR,
  isProvisioningError,
  issueCertificate,
  ORGANIZATION,
  ProvisioningErrorCode,
  readIdentity,
  renewalDefaults,
  writeIdentity,
  type CertificateAuthority,
  type IdentityPem,
} from '@wardsight/provisioning';

export const BROKER_CONTROL_IDENTITY = 'hub-broker-control';
export const BROKER_CONTROL_COMMON_NAME = 'broker-control';

/** The control identity in `dataDir`, kept while it serves and issued from the hub's CA otherwise. */
export async function ensureBrokerControlIdentity(dataDir: string, now = Date.now()): Promise<IdentityPem> {
  const dir = join(dataDir, HUB_TLS_DIR);
  const ca = await ensureCa(dataDir);
  const stored = await readIdentity(dir, BROKER_CONTROL_IDENTITY).catch((error: unknown) => {
    if (isProvisioningError(error, ProvisioningErrorCode.IdentityMissing)) return null;
    throw error;
  });
  if (stored && stillServes(stored, ca, now)) return stored;
  const issued = await issueCertificate(ca, { commonName: BROKER_CONTROL_COMMON_NAME, role: 'hub', usage: 'client' });
  await writeIdentity(dir, BROKER_CONTROL_IDENTITY, issued);
  return { cert: issued.certPem, key: issued.keyPem, ca: issued.caPem };
}

/** Signed by this CA, matching its key, for this subject, and not near its end. */
function stillServes(stored: IdentityPem, ca: CertificateAuthority, now: number): boolean {
  try {
    const certificate = new X509Certificate(stored.cert);
    const authority = new X509Certificate(ca.certPem);
    return (
      new X509Certificate(stored.ca).fingerprint256 === ca.fingerprint256 &&
      certificate.checkIssued(authority) &&
      certificate.verify(authority.publicKey) &&
      certificate.checkPrivateKey(createPrivateKey(stored.key)) &&
      certificate.subject === `O=${ORGANIZATION}\nOU=hub\nCN=${BROKER_CONTROL_COMMON_NAME}` &&
      Date.parse(certificate.validTo) - now > renewalDefaults.renewBeforeMs
    );
  } catch {
    return false;
  }
}
