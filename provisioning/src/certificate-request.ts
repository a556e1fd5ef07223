/**
 * Certificate requests (PKCS #10, RFC 2986). A sensor makes its key pair itself and sends only a
 * request, so its private key never leaves it; the hub checks that the request is signed by the key
 * it carries (proof of possession) and that the key is ECDSA P-256 before it signs a certificate.
 */
import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { generateKeyPair, privateKeyToPem, SIGNING_ALGORITHM, KEY_ALGORITHM } from './keys.js';
import { x509 } from './x509-library.js';

/** Bound on what the hub reads as a request: a P-256 request is well under 1 KiB. */
const MAX_REQUEST_PEM = 8192;

export interface CertificateRequestPair {
  /** PKCS #10 request, PEM. */
  csrPem: string;
  /** Unencrypted PKCS #8 PEM. Stays on the machine that made it: write it 0600 and never log it. */
  keyPem: string;
}

/** A new key pair and a request for a certificate naming `commonName`. */
export async function createCertificateRequest(commonName: string): Promise<CertificateRequestPair> {
  const keys = await generateKeyPair();
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [commonName] }],
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
  });
  return { csrPem: request.toString('pem'), keyPem: privateKeyToPem(keys.privateKey) };
}

/** A request for a certificate naming `commonName`, for a P-256 key the caller already holds (PKCS #8 PEM). */
export async function certificateRequestFor(commonName: string, keyPem: string): Promise<string> {
  const key = createPrivateKey(keyPem);
  const privateKey = await webcrypto.subtle.importKey('pkcs8', key.export({ type: 'pkcs8', format: 'der' }), KEY_ALGORITHM, false, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', createPublicKey(key).export({ type: 'spki', format: 'der' }), KEY_ALGORITHM, true, ['verify']);
  const request = await x509.Pkcs10CertificateRequestGenerator.create({ name: [{ CN: [commonName] }], keys: { privateKey, publicKey }, signingAlgorithm: SIGNING_ALGORITHM });
  return request.toString('pem');
}

/** The public key of a request that is well formed, self-signed by that key, and ECDSA P-256. */
export async function readCertificateRequest(pem: string): Promise<{ publicKey: webcrypto.CryptoKey; subject: string }> {
  const refuse = (why: string, cause?: unknown): never => {
    throw new ProvisioningError(ProvisioningErrorCode.BadCertificateRequest, `certificate request refused: ${why}`, cause === undefined ? undefined : { cause });
  };
  if (typeof pem !== 'string' || pem.length === 0) refuse('none was sent');
  if (pem.length > MAX_REQUEST_PEM) refuse(`it is ${pem.length} characters long; a request is under ${MAX_REQUEST_PEM}`);
  let request: InstanceType<typeof x509.Pkcs10CertificateRequest>;
  try {
    request = new x509.Pkcs10CertificateRequest(pem);
  } catch (err) {
    return refuse('it is not a PEM PKCS #10 certificate request', err);
  }
  const algorithm = request.publicKey.algorithm as { name?: string; namedCurve?: string };
  if (algorithm.name !== KEY_ALGORITHM.name || algorithm.namedCurve !== KEY_ALGORITHM.namedCurve) {
    refuse(`its key is ${algorithm.name ?? 'of an unknown kind'}${algorithm.namedCurve ? ` on ${algorithm.namedCurve}` : ''}; sensors use ECDSA P-256`);
  }
  let genuine = false;
  try {
    genuine = await request.verify();
  } catch (err) {
    refuse('its signature cannot be checked', err);
  }
  if (!genuine) refuse('it is not signed by the key it carries');
  return { publicKey: await request.publicKey.export(KEY_ALGORITHM, ['verify']), subject: request.subject };
}
