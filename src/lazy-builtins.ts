/**
 * Node's `crypto` and `tls` modules, loaded on first use. Importing them costs more than the rest
 * of the library's own code (crypto pulls in the streams, tls the sockets), and most programs
 * that import the library need neither until they hash a selector, name a Pod's interface, read
 * TLS material or assign a uid.
 *
 * @module
 */
import type * as Crypto from 'node:crypto';
import type * as Tls from 'node:tls';

/** `node:crypto`, loaded by the first call. */
export function nodeCrypto(): typeof Crypto {
  return process.getBuiltinModule('node:crypto');
}

/** `node:tls`, loaded by the first call. */
export function nodeTls(): typeof Tls {
  return process.getBuiltinModule('node:tls');
}

/** A random RFC 4122 version 4 UUID (`crypto.randomUUID`). */
export function randomUUID(): string {
  return nodeCrypto().randomUUID();
}
