/**
 * Throwaway TLS material for tests, made with the `openssl` command once per process: a test CA,
 * a server certificate for `127.0.0.1` / `localhost` / `kubernetes.default.svc`, a client
 * certificate (CN `calico-test`, O `system:masters`) from that CA, and a client certificate from
 * an unrelated CA (to test rejection). Keys are EC P-256. Files live in a temp folder removed at
 * process exit.
 *
 * ## Example
 * ```ts
 * const tls = getTlsFixtures();
 * const server = await startFakeApiServer({ tls: { cert: tls.server.cert, key: tls.server.key, ca: tls.ca.cert, clientCa: tls.ca.cert } });
 * ```
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its key, as PEM text and as files. */
export interface CertPair {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

/** The generated material. */
export interface TlsFixtures {
  /** Folder holding the files. */
  dir: string;
  /** The test CA. */
  ca: CertPair;
  /** Server certificate (SAN IP:127.0.0.1, DNS:localhost, DNS:kubernetes.default.svc). */
  server: CertPair;
  /** Client certificate from the test CA: CN `calico-test`, O `system:masters`. */
  client: CertPair;
  /** Client certificate from another CA that nothing trusts. */
  rogueClient: CertPair;
}

let cached: TlsFixtures | undefined;

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
}

function pair(dir: string, name: string): CertPair {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
}

function makeCa(dir: string, name: string, cn: string): void {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
}

function makeLeaf(dir: string, name: string, ca: string, subject: string, ext: string): void {
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`], dir);
}

/**
 * Returns the fixtures, generating them on first use.
 *
 * @return Paths and PEM text of every certificate and key.
 */
export function getTlsFixtures(): TlsFixtures {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'calico-tls-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  makeCa(dir, 'ca', 'calico-datastore test CA');
  makeCa(dir, 'rogue-ca', 'untrusted test CA');
  makeLeaf(dir, 'server', 'ca', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n');
  makeLeaf(dir, 'client', 'ca', '/O=system:masters/CN=calico-test', 'extendedKeyUsage=clientAuth\n');
  makeLeaf(dir, 'rogue-client', 'rogue-ca', '/CN=intruder', 'extendedKeyUsage=clientAuth\n');
  cached = { dir, ca: pair(dir, 'ca'), server: pair(dir, 'server'), client: pair(dir, 'client'), rogueClient: pair(dir, 'rogue-client') };
  return cached;
}
