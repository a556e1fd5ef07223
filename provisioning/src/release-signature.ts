/**
 * The signature of a release manifest: Ed25519 (RFC 8032, "pure" mode, no pre-hash) over the exact
 * bytes of `manifest.json`, stored beside it as `manifest.sig`, a small JSON document naming the
 * algorithm and the signing key's id. The key id is a hint for messages only: it is not signed, and
 * verification trusts nothing but the signature checked against the sensor's own public key.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { releaseKeyId } from './release-keys.js';

export const releaseSignatureDefaults = {
  /** Largest `manifest.sig` read; the real one is about 200 bytes. */
  maxSignatureBytes: 4096,
} as const;

export interface ReleaseSignature {
  algorithm: 'ed25519';
  keyId: string;
  /** Base64 of the 64-byte signature (RFC 8032 §5.1.6). */
  signature: string;
}

const ED25519_SIGNATURE_BYTES = 64;

export function signReleaseManifest(manifestBytes: Uint8Array, privateKey: KeyObject): Buffer {
  const signature: ReleaseSignature = {
    algorithm: 'ed25519',
    keyId: releaseKeyId(privateKey),
    signature: sign(null, manifestBytes, privateKey).toString('base64'),
  };
  return Buffer.from(`${JSON.stringify(signature, null, 2)}\n`, 'utf8');
}

/**
 * Checks `signatureBytes` (a `manifest.sig`) over `manifestBytes` with the trusted `publicKey`;
 * returns the signing key's id, or throws PROV_ERR_RELEASE_SIGNATURE naming what is wrong.
 */
export function verifyReleaseManifest(manifestBytes: Uint8Array, signatureBytes: Uint8Array, publicKey: KeyObject): string {
  const signature = parseSignature(signatureBytes);
  const trustedId = releaseKeyId(publicKey);
  if (signature.keyId !== trustedId) {
    throw signatureError(`the release was signed by another key (${signature.keyId}), and only ${trustedId} is trusted here: get a release signed with the project's release key, or check the public key given`);
  }
  const raw = Buffer.from(signature.signature, 'base64');
  if (raw.length !== ED25519_SIGNATURE_BYTES || !verify(null, manifestBytes, publicKey, raw)) {
    throw signatureError('the signature does not match the manifest: the manifest or its signature was changed after signing. Do not install this bundle; get it again from the release source');
  }
  return trustedId;
}

function parseSignature(bytes: Uint8Array): ReleaseSignature {
  let value: unknown;
  try {
    value = bytes.length <= releaseSignatureDefaults.maxSignatureBytes ? JSON.parse(Buffer.from(bytes).toString('utf8')) : undefined;
  } catch {
    value = undefined;
  }
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const { algorithm, keyId, signature } = record;
  if (algorithm !== 'ed25519' || typeof keyId !== 'string' || typeof signature !== 'string') {
    throw signatureError('manifest.sig is not an Ed25519 release signature (it needs algorithm "ed25519", keyId and signature)');
  }
  return { algorithm, keyId, signature };
}

function signatureError(detail: string): ProvisioningError {
  return new ProvisioningError(ProvisioningErrorCode.ReleaseSignature, `bad signature: ${detail}`);
}
