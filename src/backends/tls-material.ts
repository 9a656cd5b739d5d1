/**
 * Reading and checking TLS material (a CA bundle, a client certificate and its key) before a
 * connection uses it, so that a bad file or inline PEM is a ValidationError naming the setting it
 * came from (`ETCD_KEY_FILE`, `spec.etcdKey`, `keyFile`, …) instead of an OpenSSL error raised
 * deep inside the TLS stack. Messages say what is wrong, never what the material contains.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { nodeCrypto, nodeTls } from '../lazy-builtins.js';
import type { FieldError } from '../errors.js';

/** Where one piece of material comes from: inline PEM text or a file, and the setting that gave it. */
export interface TlsSource {
  /** The setting, as the caller's configuration names it. */
  setting: string;
  /** Inline PEM text. */
  pem?: string;
  /** A file holding PEM text. */
  file?: string;
}

/** The material of one connection; every part is optional. */
export interface TlsSources {
  /** CA bundle that signs the server's certificate. */
  ca?: TlsSource;
  /** Client certificate. */
  cert?: TlsSource;
  /** The client certificate's private key. */
  key?: TlsSource;
}

/** The material as read, with one error per unusable part. */
export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Empty when every given part is usable. */
  errors: FieldError[];
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

function read(source: TlsSource, errors: FieldError[]): Buffer | undefined {
  if (source.pem !== undefined) return Buffer.from(source.pem);
  try {
    return readFileSync(source.file as string);
  } catch (e) {
    errors.push({ path: source.setting, type: 'invalid', message: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'read error'})` });
    return undefined;
  }
}

function what(source: TlsSource): string {
  return source.pem !== undefined ? 'the value' : 'the file';
}

/** Why a CA bundle is unusable: it must hold at least one PEM certificate, and every one must parse. */
function caProblem(source: TlsSource, pem: Buffer): string | undefined {
  const blocks = pem.toString('latin1').match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) return `${what(source)} holds no PEM certificate`;
  for (let i = 0; i < blocks.length; i++) {
    try {
      new (nodeCrypto().X509Certificate)(blocks[i] as string);
    } catch {
      return `certificate ${i + 1} of ${blocks.length} in ${what(source)} does not parse`;
    }
  }
  return undefined;
}

function loads(options: { cert?: Buffer; key?: Buffer }): boolean {
  try {
    nodeTls().createSecureContext(options);
    return true;
  } catch {
    return false;
  }
}

function keyProblem(source: TlsSource, pem: Buffer): string {
  const text = pem.toString('latin1');
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,\s*ENCRYPTED/.test(text)) return `${what(source)} holds an encrypted private key; an unencrypted one is needed`;
  return `${what(source)} is not a PEM private key`;
}

/**
 * Reads every given part and checks it the way TLS will load it: each certificate of the CA
 * bundle parses, the client certificate and the key load, and the key belongs to the certificate.
 *
 * @param sources The parts and the settings they came from.
 * @return The material, and the errors (each naming its setting).
 */
export function readTlsMaterial(sources: TlsSources): TlsMaterial {
  const errors: FieldError[] = [];
  const out: TlsMaterial = { errors };
  const fail = (source: TlsSource, message: string): void => {
    errors.push({ path: source.setting, type: 'invalid', message });
  };
  if (sources.ca) {
    const pem = read(sources.ca, errors);
    const problem = pem && caProblem(sources.ca, pem);
    if (problem) fail(sources.ca, problem);
    else out.ca = pem;
  }
  if (sources.cert) {
    const pem = read(sources.cert, errors);
    if (pem && !loads({ cert: pem })) fail(sources.cert, `${what(sources.cert)} is not a PEM certificate, or it does not parse`);
    else out.cert = pem;
  }
  if (sources.key) {
    const pem = read(sources.key, errors);
    if (pem && !loads({ key: pem })) fail(sources.key, keyProblem(sources.key, pem));
    else out.key = pem;
  }
  if (out.cert && out.key && sources.cert && sources.key && !loads({ cert: out.cert, key: out.key })) {
    fail(sources.key, `the private key does not belong to the client certificate (${sources.cert.setting})`);
  }
  return out;
}
