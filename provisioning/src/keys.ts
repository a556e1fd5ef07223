/**
 * Keys of the CA and of the identities it issues: ECDSA on P-256, signatures with SHA-256, keys
 * stored as unencrypted PKCS#8 PEM (the file mode is what protects them).
 */
import { createPrivateKey, createPublicKey, KeyObject, randomBytes, webcrypto } from 'node:crypto';

export const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** The curve as Node's KeyObject names it. */
const NODE_CURVE_NAME = 'prime256v1';

/** Serial numbers are 16 random bytes (RFC 5280 §4.1.2.2 allows up to 20). */
const SERIAL_BYTES = 16;

/** A new key pair; extractable, so that its private half can be written out once. */
export async function generateKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

export function privateKeyToPem(key: webcrypto.CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * Reads a PKCS#8 (or SEC1) PEM private key, checks that it is an ECDSA P-256 key and returns it as
 * a non-extractable WebCrypto signing key with its public key in SubjectPublicKeyInfo DER.
 * Throws a plain Error saying what is wrong; callers turn it into a ProvisioningError naming the file.
 */
export async function importSigningKey(pem: string): Promise<{ signingKey: webcrypto.CryptoKey; publicKeyDer: Buffer }> {
  const key = createPrivateKey(pem);
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== NODE_CURVE_NAME) {
    throw new Error(`expected an ECDSA P-256 key, found ${key.asymmetricKeyType ?? 'an unknown key type'}${curve ? ` on ${curve}` : ''}`);
  }
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const signingKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, KEY_ALGORITHM, false, ['sign']);
  const publicKeyDer = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return { signingKey, publicKeyDer };
}

/**
 * A random positive serial of exactly SERIAL_BYTES bytes, as hexadecimal. The top bit is cleared so
 * that the DER INTEGER is positive without a padding byte, and the next bit set so that it has no
 * leading zero byte to strip either.
 */
export function randomSerial(): string {
  const bytes = randomBytes(SERIAL_BYTES);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString('hex');
}
