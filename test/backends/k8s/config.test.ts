/**
 * How the Kubernetes backend finds and talks to the API server: kubeconfig file(s) and inline
 * kubeconfigs, explicit settings over them, the in-cluster service account, TLS with CA and client
 * certificates, tokens, errors that name settings and never secrets, and lazy loading of
 * `@kubernetes/client-node`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { KubernetesDatastoreConfig } from '../../../src/config.js';
import { buildKubeConfig } from '../../../src/backends/k8s/kubeconfig.js';
import { createKubernetesBackend } from '../../../src/backends/k8s/index.js';
import { isUnauthorized, isUnavailable, isValidationError, type ValidationError } from '../../../src/errors.js';
import { startFakeApiServer, type FakeApiServer } from '../../fake-apiserver/index.js';
import { getTlsFixtures } from '../../support/tls-fixtures.js';
import { thrownBy } from '../../support/thrown.js';

const k8s = await import('@kubernetes/client-node');
const cfg = (c: Omit<KubernetesDatastoreConfig, 'datastoreType'>): KubernetesDatastoreConfig => ({ datastoreType: 'kubernetes', ...c });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'k8s-backend-config-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function kubeconfigFile(name: string, clusters: Record<string, string>, contexts: Record<string, string>, current?: string, users: Record<string, Record<string, unknown>> = { u: {} }): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: Object.entries(clusters).map(([n, server]) => ({ name: n, cluster: { server, 'insecure-skip-tls-verify': true } })),
      users: Object.entries(users).map(([n, user]) => ({ name: n, user })),
      contexts: Object.entries(contexts).map(([n, cluster]) => ({ name: n, context: { cluster, user: 'u' } })),
      ...(current ? { 'current-context': current } : {}),
    }),
  );
  return path;
}

function configError(c: KubernetesDatastoreConfig, env: Record<string, string> = {}): ValidationError {
  return thrownBy(() => buildKubeConfig(k8s, c, env), isValidationError, 'ValidationError');
}

describe('buildKubeConfig', () => {
  it('an explicit http endpoint with a token (trimmed); plain HTTP needs skipTLSVerify in client-node, so it is set', () => {
    const kc = buildKubeConfig(k8s, cfg({ k8sAPIEndpoint: 'http://10.0.0.1:8080/', k8sAPIToken: ' tok \n' }), {});
    expect(kc.getCurrentCluster()).toMatchObject({ server: 'http://10.0.0.1:8080', skipTLSVerify: true });
    expect(kc.getCurrentUser()?.token).toBe('tok');
  });

  it('several kubeconfig files: the first to define a name or the current context wins', () => {
    const a = kubeconfigFile('a.yaml', { shared: 'https://a.example:6443' }, { ctxA: 'shared' }, 'ctxA');
    const bFile = kubeconfigFile('b.yaml', { shared: 'https://b.example:6443', onlyB: 'https://only-b.example:6443' }, { ctxB: 'onlyB' }, 'ctxB');
    const kc = buildKubeConfig(k8s, cfg({ kubeconfig: [join(dir, 'missing.yaml'), a, bFile].join(delimiter) }), {});
    expect(kc.currentContext).toBe('ctxA');
    expect(kc.getCurrentCluster()?.server).toBe('https://a.example:6443');
    const other = buildKubeConfig(k8s, cfg({ kubeconfig: [a, bFile].join(delimiter), k8sCurrentContext: 'ctxB' }), {});
    expect(other.getCurrentCluster()?.server).toBe('https://only-b.example:6443');
  });

  it('explicit settings override the kubeconfig', () => {
    const tls = getTlsFixtures();
    const a = kubeconfigFile('c.yaml', { c: 'https://c.example:6443' }, { ctx: 'c' }, 'ctx', { u: { token: 'old' } });
    const kc = buildKubeConfig(k8s, cfg({ kubeconfig: a, k8sAPIEndpoint: 'https://d.example:6443', k8sAPIToken: 'new', k8sCAFile: tls.ca.certFile, k8sCertFile: tls.client.certFile, k8sKeyFile: tls.client.keyFile }), {});
    expect(kc.getCurrentCluster()).toMatchObject({ server: 'https://d.example:6443', caFile: tls.ca.certFile });
    expect(kc.getCurrentUser()).toMatchObject({ token: 'new', certFile: tls.client.certFile, keyFile: tls.client.keyFile });
  });

  it('an inline kubeconfig with raw PEM data gets it base64-encoded (client-node ignores raw PEM)', () => {
    const tls = getTlsFixtures();
    const inline = stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'x', cluster: { server: 'https://x.example', 'certificate-authority-data': tls.ca.cert } }],
      users: [{ name: 'u', user: { 'client-certificate-data': Buffer.from(tls.client.cert).toString('base64'), 'client-key-data': tls.client.key } }],
      contexts: [{ name: 'x', context: { cluster: 'x', user: 'u' } }],
      'current-context': 'x',
    });
    const kc = buildKubeConfig(k8s, cfg({ kubeconfigInline: inline }), {});
    expect(Buffer.from(kc.getCurrentCluster()?.caData ?? '', 'base64').toString()).toBe(tls.ca.cert);
    expect(Buffer.from(kc.getCurrentUser()?.certData ?? '', 'base64').toString()).toBe(tls.client.cert);
    expect(Buffer.from(kc.getCurrentUser()?.keyData ?? '', 'base64').toString()).toBe(tls.client.key);
  });

  it('uses the in-cluster service account when nothing else is configured', () => {
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = '10.96.0.1';
    process.env.KUBERNETES_SERVICE_PORT = '443';
    try {
      const kc = buildKubeConfig(k8s, cfg({}), { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' });
      expect(kc.getCurrentCluster()?.server).toBe('https://10.96.0.1:443');
      expect(kc.getCurrentUser()?.authProvider?.name).toBe('tokenFile');
    } finally {
      for (const [k, v] of [['KUBERNETES_SERVICE_HOST', saved.host], ['KUBERNETES_SERVICE_PORT', saved.port]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it.each<[string, KubernetesDatastoreConfig, string]>([
    ['nothing configured', cfg({}), 'kubeconfig'],
    ['a missing kubeconfig', cfg({ kubeconfig: '/nonexistent/kubeconfig' }), 'kubeconfig'],
    ['an unknown context', cfg({ k8sAPIEndpoint: 'https://x.example', k8sCurrentContext: 'nope' }), 'k8sCurrentContext'],
    ['a missing CA file', cfg({ k8sAPIEndpoint: 'https://x.example', k8sCAFile: '/nonexistent/ca.pem' }), 'k8sCAFile'],
    ['a certificate without a key', cfg({ k8sAPIEndpoint: 'https://x.example', k8sCertFile: '/etc/hostname' }), 'k8sKeyFile'],
    ['an inline kubeconfig that is not one', cfg({ kubeconfigInline: 'clusters: [' }), 'kubeconfigInline'],
  ])('%s is a validation error naming the setting', (_name, c, path) => {
    const err = configError(c);
    expect(err.errors.map((e) => e.path)).toContain(path);
  });

  it('errors never show a token', () => {
    const err = configError(cfg({ k8sAPIEndpoint: 'https://x.example', k8sAPIToken: 'top-secret', k8sCAFile: '/nonexistent' }));
    expect(err.message).not.toContain('top-secret');
  });
});

describe('talking to a TLS API server', () => {
  let server: FakeApiServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('through a kubeconfig file with CA data and a bearer token', async () => {
    const tls = getTlsFixtures();
    server = await startFakeApiServer({ tls: { cert: tls.server.cert, key: tls.server.key, ca: tls.ca.cert }, auth: { tokens: { 'good-token': 'calico' } } });
    const path = join(dir, 'tls.yaml');
    writeFileSync(path, server.kubeconfigYaml({ token: 'good-token' }));
    const backend = await createKubernetesBackend(cfg({ kubeconfig: path }));
    expect((await backend.list({ kind: 'IPPool' })).items).toEqual([]);
    await backend.close();
    const wrong = await createKubernetesBackend(cfg({ kubeconfig: path, k8sAPIToken: 'bad-token' }));
    const e = await wrong.list({ kind: 'IPPool' }).catch((x: unknown) => x);
    expect(isUnauthorized(e)).toBe(true);
    expect((e as Error).message).not.toContain('bad-token');
    await wrong.close();
  });

  it('with CA, client certificate and key files (server requires client certificates)', async () => {
    const tls = getTlsFixtures();
    server = await startFakeApiServer({ tls: { cert: tls.server.cert, key: tls.server.key, ca: tls.ca.cert, clientCa: tls.ca.cert, requireClientCert: true }, auth: {} });
    const backend = await createKubernetesBackend(cfg({ k8sAPIEndpoint: server.url, k8sCAFile: tls.ca.certFile, k8sCertFile: tls.client.certFile, k8sKeyFile: tls.client.keyFile }));
    expect((await backend.list({ kind: 'Node' })).items).toEqual([]);
    await backend.close();
  });

  it('fails Unavailable when the server certificate cannot be verified, and works with k8sInsecureSkipTLSVerify', async () => {
    const tls = getTlsFixtures();
    server = await startFakeApiServer({ tls: { cert: tls.server.cert, key: tls.server.key } });
    const strict = await createKubernetesBackend(cfg({ k8sAPIEndpoint: server.url }));
    expect(isUnavailable(await strict.list({ kind: 'Node' }).catch((x: unknown) => x))).toBe(true);
    await strict.close();
    const insecure = await createKubernetesBackend(cfg({ k8sAPIEndpoint: server.url, k8sInsecureSkipTLSVerify: true }));
    expect((await insecure.list({ kind: 'Node' })).items).toEqual([]);
    await insecure.close();
  });
});

describe('lazy loading', () => {
  it('importing the backend module does not load @kubernetes/client-node; creating a backend does', () => {
    const script = `
      const { createRequire } = await import('node:module');
      const req = createRequire(process.cwd() + '/x.js');
      const loaded = () => Object.keys(req.cache).filter((k) => /node_modules[\\\\/](node-fetch|@kubernetes[\\\\/]client-node|js-yaml|jsonpath-plus)[\\\\/]/.test(k)).length;
      const { createKubernetesBackend, podToWorkloadEndpoint } = await import('./src/backends/k8s/index.ts');
      podToWorkloadEndpoint({ metadata: { name: 'p', namespace: 'n' }, spec: { nodeName: 'x' } });
      const before = loaded();
      const b = await createKubernetesBackend({ datastoreType: 'kubernetes', k8sAPIEndpoint: 'http://127.0.0.1:1' });
      await b.close();
      console.log(JSON.stringify({ before, after: loaded() }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8', timeout: 60_000 });
    const { before, after } = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { before: number; after: number };
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(0);
  });
});
