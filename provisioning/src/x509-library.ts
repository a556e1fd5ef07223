/**
 * Loads `@peculiar/x509`, the certificate builder of the CA.
 *
 * The library registers its signature algorithms through a dependency-injection container that
 * refuses to load unless a Reflect metadata API (`Reflect.getMetadata`) exists. The container only
 * *reads* metadata while the library's classes are decorated, and the library writes none, so a
 * stand-in that answers "no metadata" is enough. The stand-in exists only while the library loads
 * and is removed at once: a full metadata implementation loaded later elsewhere in the process
 * installs itself only where no function is present, and must not find ours.
 *
 * Where the process already has a metadata implementation, it is used as it is.
 */
import type * as X509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

interface ReflectMetadataReaders {
  getMetadata?: (key: unknown, target: unknown) => unknown;
  getOwnMetadata?: (key: unknown, target: unknown) => unknown;
}

async function loadLibrary(): Promise<typeof X509> {
  const reflect = Reflect as unknown as ReflectMetadataReaders;
  if (typeof reflect.getMetadata === 'function') return import('@peculiar/x509');
  const noMetadata = (): undefined => undefined;
  reflect.getMetadata = noMetadata;
  reflect.getOwnMetadata ??= noMetadata;
  try {
    return await import('@peculiar/x509');
  } finally {
    if (reflect.getMetadata === noMetadata) delete reflect.getMetadata;
    if (reflect.getOwnMetadata === noMetadata) delete reflect.getOwnMetadata;
  }
}

export const x509 = await loadLibrary();

// Node's own WebCrypto, whatever `globalThis.crypto` may have been replaced with.
x509.cryptoProvider.set(webcrypto);
