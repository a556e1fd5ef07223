/**
 * An identity on disk: `<name>.crt` (0644), `<name>.key` (0600) and the CA certificate `ca.crt`
 * beside them, in a directory created 0700.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProvisioningError, ProvisioningErrorCode } from './errors.js';
import { ensurePrivateDir, fileModes, isNotFound, replaceFile } from './file-modes.js';
import type { IssuedCertificate } from './issue.js';

/** A file name stem: no path separators, no leading dot, and not `ca`, which names the CA certificate. */
const IDENTITY_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const CA_FILE_STEM = 'ca';

export interface IdentityPaths {
  certPath: string;
  keyPath: string;
  caPath: string;
}

export interface IdentityPem {
  cert: string;
  key: string;
  ca: string;
}

export function identityPaths(dir: string, name: string): IdentityPaths {
  assertIdentityName(name);
  return { certPath: join(dir, `${name}.crt`), keyPath: join(dir, `${name}.key`), caPath: join(dir, `${CA_FILE_STEM}.crt`) };
}

/** Writes (or replaces) the identity `name` in `dir`; each file is replaced in one step. */
export async function writeIdentity(
  dir: string,
  name: string,
  issued: Pick<IssuedCertificate, 'certPem' | 'keyPem' | 'caPem'>,
): Promise<IdentityPaths> {
  const paths = identityPaths(dir, name);
  await ensurePrivateDir(dir);
  await replaceFile(paths.keyPath, issued.keyPem, fileModes.privateKey);
  await replaceFile(paths.certPath, issued.certPem, fileModes.certificate);
  await replaceFile(paths.caPath, issued.caPem, fileModes.certificate);
  return paths;
}

/** Reads the identity `name` from `dir`; a missing file is named in the error. */
export async function readIdentity(dir: string, name: string): Promise<IdentityPem> {
  const paths = identityPaths(dir, name);
  const [cert, key, ca] = await Promise.all([
    readIdentityFile(paths.certPath, `certificate of "${name}"`),
    readIdentityFile(paths.keyPath, `private key of "${name}"`),
    readIdentityFile(paths.caPath, 'CA certificate'),
  ]);
  return { cert, key, ca };
}

async function readIdentityFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (!isNotFound(error)) throw error;
    throw new ProvisioningError(
      ProvisioningErrorCode.IdentityMissing,
      `${path} is missing (the ${what}): copy it from where the identity was issued, or issue the identity again`,
      { cause: error },
    );
  }
}

function assertIdentityName(name: string): void {
  if (!IDENTITY_NAME_PATTERN.test(name) || name === CA_FILE_STEM) {
    throw new ProvisioningError(
      ProvisioningErrorCode.BadName,
      `identity name ${JSON.stringify(name)} is not valid: use lower-case letters, digits, ".", "_" and "-", not starting with "." or "-", and not "${CA_FILE_STEM}"`,
    );
  }
}
