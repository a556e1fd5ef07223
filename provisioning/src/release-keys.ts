/**
 * The release signing key: an Ed25519 key pair (RFC 8032) whose private half signs release manifests
 * on the build machine and whose public half every sensor trusts. The private key is PKCS#8 PEM, 0600,
 * never overwritten; the public key is SPKI PEM. A key id (SHA-256 of the public key's DER) lets a
 * refusal say which key signed a bundle.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { assertOwnerOnly, ensurePrivateDir, fileExists, fileModes, isNotFound, writeNewFile } from './file-modes.js';

export const releaseKeyDefaults = {
  /** File stem of a new key pair: `<name>.key` (private) and `<name>.pub` (public). */
  name: 'wardsight-release',
  /** Largest key file read; an Ed25519 PEM is about 120 bytes. */
  maxKeyFileBytes: 16 * 1024,
} as const;

export interface ReleaseKeyPaths {
  privateKeyPath: string;
  publicKeyPath: string;
}

export interface ReleaseKeyPair extends ReleaseKeyPaths {
  keyId: string;
}

const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/;

/** `sha256:<hex>` of the public key's SubjectPublicKeyInfo DER. */
export function releaseKeyId(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return `sha256:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex')}`;
}

export function releaseKeyPaths(dir: string, name: string = releaseKeyDefaults.name): ReleaseKeyPaths {
  if (!NAME_PATTERN.test(name)) {
    throw new ProvisioningError(ProvisioningErrorCode.BadName, `key name ${JSON.stringify(name)} is not valid: use letters, digits, ".", "_" and "-", starting with a letter or digit`);
  }
  return { privateKeyPath: join(dir, `${name}.key`), publicKeyPath: join(dir, `${name}.pub`) };
}

/** Creates a new key pair in `dir`; refuses to replace either file of an existing pair. */
export async function generateReleaseKeyPair(dir: string, name: string = releaseKeyDefaults.name): Promise<ReleaseKeyPair> {
  const paths = releaseKeyPaths(dir, name);
  for (const path of [paths.privateKeyPath, paths.publicKeyPath]) {
    if (await fileExists(path)) {
      throw new ProvisioningError(
        ProvisioningErrorCode.ReleaseKeyExists,
        `${path} already exists: a release key is never replaced by accident (sensors trust its public half). Choose another --name or directory, or remove the old pair deliberately`,
      );
    }
  }
  const { privateKey, publicKey } = await promisify(generateKeyPair)('ed25519');
  await ensurePrivateDir(dirname(paths.privateKeyPath));
  await writeNewFile(paths.privateKeyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), fileModes.privateKey);
  await writeNewFile(paths.publicKeyPath, publicKey.export({ type: 'spki', format: 'pem' }).toString(), fileModes.certificate);
  return { ...paths, keyId: releaseKeyId(publicKey) };
}

/** Reads the private signing key; refuses a key file others may read. */
export async function loadReleasePrivateKey(path: string): Promise<KeyObject> {
  const pem = await readKeyFile(path, 'private');
  await assertOwnerOnly(path, 'release private key');
  return ed25519Key(() => createPrivateKey(pem), path, 'private');
}

/** Reads a trusted release public key from a PEM file. */
export async function loadReleasePublicKey(path: string): Promise<KeyObject> {
  return parseReleasePublicKey(await readKeyFile(path, 'public'), path);
}

/** A trusted release public key from PEM text (`source` names it in messages). */
export function parseReleasePublicKey(pem: string, source = 'the given public key'): KeyObject {
  // Node derives a public key from a private one: a private key where the public one belongs is a key that leaked.
  if (pem.includes('PRIVATE KEY')) throw keyInvalid(source, 'public', 'it is a private key; give the public half (release.pub) and keep the private key off the sensor');
  return ed25519Key(() => createPublicKey(pem), source, 'public');
}

async function readKeyFile(path: string, kind: 'private' | 'public'): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!isNotFound(error)) throw error;
    throw new ProvisioningError(ProvisioningErrorCode.ReleaseKeyInvalid, `the release ${kind} key ${path} does not exist: give the right path, or create a pair with \`wardsight provision release keygen\``, { cause: error });
  }
  if (text.length > releaseKeyDefaults.maxKeyFileBytes) throw keyInvalid(path, kind, `it is larger than ${releaseKeyDefaults.maxKeyFileBytes} bytes`);
  return text;
}

function ed25519Key(load: () => KeyObject, source: string, kind: 'private' | 'public'): KeyObject {
  let key: KeyObject;
  try {
    key = load();
  } catch (error) {
    throw keyInvalid(source, kind, 'it is not a PEM key', error);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw keyInvalid(source, kind, `it is a ${key.asymmetricKeyType ?? 'symmetric'} key`);
  if (key.type !== kind) throw keyInvalid(source, kind, `it is a ${key.type} key`);
  return key;
}

function keyInvalid(source: string, kind: string, why: string, cause?: unknown): ProvisioningError {
  return new ProvisioningError(
    ProvisioningErrorCode.ReleaseKeyInvalid,
    `${source} is not an Ed25519 ${kind} key (${why}): use the ${kind === 'private' ? '.key' : '.pub'} file made by \`wardsight provision release keygen\``,
    cause === undefined ? undefined : { cause },
  );
}
