/**
 * TLS material for etcd tests, made with the `openssl` command: a test CA, a server certificate
 * for `127.0.0.1` / `localhost` usable for both server and client auth (etcd's gateway dials its
 * own gRPC server with it when client certificates are required), a client certificate from the
 * CA, and a client certificate from an unrelated CA. Keys are EC P-256; files live in a temporary
 * folder removed at process exit.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its key, as files and PEM text. */
export interface EtcdCertPair {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

/** The generated material. */
export interface EtcdTlsMaterial {
  /** The trusted CA (`cert`/`certFile` only matter for clients). */
  ca: EtcdCertPair;
  /** Server certificate (SAN IP:127.0.0.1, DNS:localhost; serverAuth + clientAuth). */
  server: EtcdCertPair;
  /** Client certificate signed by the CA. */
  client: EtcdCertPair;
  /** Client certificate signed by a CA nobody trusts. */
  rogue: EtcdCertPair;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
}

function newKey(name: string): string[] {
  return ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`];
}

function ca(dir: string, name: string, cn: string): void {
  openssl(['req', '-x509', ...newKey(name), '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
}

function leaf(dir: string, name: string, issuer: string, cn: string, ext: string): void {
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(['req', ...newKey(name), '-out', `${name}.csr`, '-subj', `/CN=${cn}`], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.crt`, '-CAkey', `${issuer}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`], dir);
}

function pair(dir: string, name: string): EtcdCertPair {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

let cached: EtcdTlsMaterial | undefined;
let cachedDir: string | undefined;

/**
 * Removes the generated files (call it once the etcd using them has stopped). A test worker can
 * end without an `exit` event, so the exit hook alone would leave them on tmpfs.
 */
export function removeEtcdTlsMaterial(): void {
  if (cachedDir !== undefined) rmSync(cachedDir, { recursive: true, force: true });
  cached = cachedDir = undefined;
}

/**
 * Generates (once per process) and returns the TLS material.
 *
 * @return Files and PEM text.
 */
export function etcdTlsMaterial(): EtcdTlsMaterial {
  if (cached) return cached;
  const root = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(root, 'calico-etcd-tls-'));
  cachedDir = dir;
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  ca(dir, 'ca', 'calico-datastore etcd test CA');
  ca(dir, 'rogue-ca', 'untrusted CA');
  leaf(dir, 'server', 'ca', 'etcd', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  leaf(dir, 'client', 'ca', 'calico', 'extendedKeyUsage=clientAuth\n');
  leaf(dir, 'rogue', 'rogue-ca', 'intruder', 'extendedKeyUsage=clientAuth\n');
  cached = { ca: pair(dir, 'ca'), server: pair(dir, 'server'), client: pair(dir, 'client'), rogue: pair(dir, 'rogue') };
  return cached;
}
