/**
 * Loads `@peculiar/x509`, the certificate builder of the CA. The library registers its algorithms
 * through a dependency-injection container that needs the Reflect metadata API, which
 * `reflect-metadata` provides; it must be loaded before the library.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// Node's own WebCrypto, whatever `globalThis.crypto` may have been replaced with.
x509.cryptoProvider.set(webcrypto);

export { x509 };
