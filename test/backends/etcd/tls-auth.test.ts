/**
 * TLS with client certificates (generated with openssl) and user/password authentication on a
 * real etcd, plus how misconfiguration is reported: by setting name and endpoint, never by value.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdBackend } from '../../../src/backends/etcdv2/index.js';
import { isUnauthorized, isUnavailable, isValidationError } from '../../../src/errors.js';
import { startEtcd, type EtcdHandle } from '../../support/etcd-process.js';
import { etcdTlsMaterial, removeEtcdTlsMaterial, type EtcdTlsMaterial } from '../../support/etcd-tls.js';
import { ipPool, rejectionOf, unique } from './helpers.js';

let tls: EtcdTlsMaterial;
let secure: EtcdHandle;
let authed: EtcdHandle;
const ROOT_PW = 'root-Secret-1';
const CALICO_PW = 'calico-Secret-2';

function etcdctl(endpoint: string, args: string[]): void {
  execFileSync('etcdctl', ['--endpoints', endpoint, ...args], { env: { ...process.env, ETCDCTL_API: '3' }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
}

beforeAll(async () => {
  tls = etcdTlsMaterial();
  [secure, authed] = await Promise.all([
    startEtcd(
      { tls: { certFile: tls.server.certFile, keyFile: tls.server.keyFile, trustedCaFile: tls.ca.certFile } },
      { ca: Buffer.from(tls.ca.cert), cert: Buffer.from(tls.client.cert), key: Buffer.from(tls.client.key) },
    ),
    startEtcd(),
  ]);
  const ep = authed.endpoints[0] as string;
  etcdctl(ep, ['user', 'add', `root:${ROOT_PW}`]);
  etcdctl(ep, ['user', 'grant-role', 'root', 'root']);
  etcdctl(ep, ['user', 'add', `calico:${CALICO_PW}`]);
  etcdctl(ep, ['role', 'add', 'calico-rw']);
  etcdctl(ep, ['role', 'grant-permission', 'calico-rw', '--prefix=true', 'readwrite', '/calico/']);
  etcdctl(ep, ['user', 'grant-role', 'calico', 'calico-rw']);
  etcdctl(ep, ['user', 'add', `outsider:${CALICO_PW}`]);
  etcdctl(ep, ['auth', 'enable']);
}, 60_000);

afterAll(async () => {
  await Promise.all([secure?.stop(), authed?.stop()]);
  removeEtcdTlsMaterial();
});

describe('TLS with client certificates', () => {
  it('works with CA, certificate and key files', async () => {
    const b = await createEtcdBackend({ endpoints: secure.endpoints, caCertFile: tls.ca.certFile, certFile: tls.client.certFile, keyFile: tls.client.keyFile });
    try {
      const name = unique('tls');
      const created = await b.create({ key: { kind: 'IPPool', name }, value: ipPool(name) });
      expect((await b.get({ kind: 'IPPool', name })).revision).toBe(created.revision);
    } finally {
      await b.close();
    }
  });

  it('works with inline PEM text', async () => {
    const b = await createEtcdBackend({ endpoints: secure.endpoints, caCert: tls.ca.cert, cert: tls.client.cert, key: tls.client.key });
    try {
      const listed = await b.list({ kind: 'IPPool' });
      expect(Number(listed.revision)).toBeGreaterThan(0);
    } finally {
      await b.close();
    }
  });

  it('without a client certificate the server refuses, reported as Unavailable naming the endpoint and the TLS settings only', async () => {
    const e = await rejectionOf(createEtcdBackend({ endpoints: secure.endpoints, caCert: tls.ca.cert, dialTimeoutMs: 1500 }));
    expect(isUnavailable(e)).toBe(true);
    const message = (e as Error).message;
    expect(message).toContain(secure.endpoints[0]);
    expect(message).toContain('custom CA');
    expect(message).not.toContain('BEGIN');
  });

  it('a client certificate from an untrusted CA is refused', async () => {
    const e = await rejectionOf(createEtcdBackend({ endpoints: secure.endpoints, caCert: tls.ca.cert, cert: tls.rogue.cert, key: tls.rogue.key, dialTimeoutMs: 1500 }));
    expect(isUnavailable(e)).toBe(true);
    expect((e as Error).message).not.toContain(tls.rogue.key.slice(40, 80));
  });

  it('TLS material with http:// endpoints, mixed schemes, half a key pair or two forms of one setting are configuration errors', async () => {
    const cases = [
      { endpoints: ['http://127.0.0.1:1'], caCertFile: tls.ca.certFile },
      { endpoints: ['https://127.0.0.1:1', 'http://127.0.0.1:2'] },
      { endpoints: secure.endpoints, caCert: tls.ca.cert, cert: tls.client.cert },
      { endpoints: secure.endpoints, caCert: tls.ca.cert, caCertFile: tls.ca.certFile },
      { endpoints: secure.endpoints, caCertFile: '/nonexistent/ca.pem' },
      { endpoints: [] },
    ];
    for (const config of cases) {
      const e = await rejectionOf(createEtcdBackend(config));
      expect(isValidationError(e)).toBe(true);
      expect((e as Error).message).not.toContain('BEGIN');
    }
  });
});

describe('user and password', () => {
  it('a user with read-write access to /calico/ can work', async () => {
    const b = await createEtcdBackend({ endpoints: authed.endpoints, username: 'calico', password: CALICO_PW });
    try {
      await b.ensureInitialized();
      const name = unique('auth');
      await b.create({ key: { kind: 'IPPool', name }, value: ipPool(name) });
      expect((await b.list({ kind: 'Tier' })).items.map((i) => i.key.name)).toEqual(['default', 'kube-admin', 'kube-baseline']);
    } finally {
      await b.close();
    }
  });

  it('a wrong password is Unauthorized at connection time, and the message holds no password', async () => {
    const e = await rejectionOf(createEtcdBackend({ endpoints: authed.endpoints, username: 'calico', password: 'wrong-Password-9' }));
    expect(isUnauthorized(e)).toBe(true);
    expect((e as Error).message).not.toContain('wrong-Password-9');
    expect((e as Error).message).not.toContain(CALICO_PW);
  });

  it('a user without permissions connects, but reads and writes are Unauthorized; ensureInitialized does not fail', async () => {
    const b = await createEtcdBackend({ endpoints: authed.endpoints, username: 'outsider', password: CALICO_PW });
    try {
      await b.ensureInitialized();
      expect(isUnauthorized(await rejectionOf(b.list({ kind: 'IPPool' })))).toBe(true);
      const name = unique('denied');
      expect(isUnauthorized(await rejectionOf(b.create({ key: { kind: 'IPPool', name }, value: ipPool(name) })))).toBe(true);
    } finally {
      await b.close();
    }
  });

  it('without credentials a server with auth enabled refuses at connection time', async () => {
    const e = await rejectionOf(createEtcdBackend({ endpoints: authed.endpoints }));
    expect(isUnauthorized(e)).toBe(true);
  });
});

describe('watch permissions', () => {
  it('a watch the user may not read fails the subscription with Unauthorized', async () => {
    const b = await createEtcdBackend({ endpoints: authed.endpoints, username: 'outsider', password: CALICO_PW });
    try {
      const error = await new Promise<unknown>((resolve) => {
        b.watch({ kind: 'IPPool', revision: '1' }).subscribe({ next: () => resolve(new Error('unexpected event')), error: resolve, complete: () => resolve(new Error('unexpected completion')) });
      });
      expect(isUnauthorized(error)).toBe(true);
    } finally {
      await b.close();
    }
  });
});
