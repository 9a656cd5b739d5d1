import { request } from 'node:https';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { getTlsFixtures } from '../support/tls-fixtures.js';
import { startFakeApiServer, type AuthzRequest, type FakeApiServer } from './index.js';
import { call } from './test-helpers.js';

const servers: FakeApiServer[] = [];
const start = async (...args: Parameters<typeof startFakeApiServer>): Promise<FakeApiServer> => {
  const s = await startFakeApiServer(...args);
  servers.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface HttpsOptions {
  ca?: string;
  cert?: string;
  key?: string;
  headers?: Record<string, string>;
}

/** GET over HTTPS with explicit TLS material; resolves with status and parsed body, rejects on TLS failure. */
function httpsGet(url: string, o: HttpsOptions): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', ca: o.ca, cert: o.cert, key: o.key, headers: o.headers ?? {}, timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

describe('TLS', () => {
  it('serves HTTPS with a certificate clients verify against the test CA (client-node with caData)', async () => {
    const tls = getTlsFixtures();
    const s = await start({ tls: { cert: tls.server.cert, key: tls.server.key, ca: tls.ca.cert } });
    expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const kc = await s.kubeConfig();
    expect(kc.getCurrentCluster()?.skipTLSVerify).toBe(false);
    const list = await kc.makeApiClient(CoreV1Api).listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toContain('default');
  });

  it('a client without the CA fails verification', async () => {
    const tls = getTlsFixtures();
    const s = await start({ tls: { cert: tls.server.cert, key: tls.server.key } });
    await expect(httpsGet(`${s.url}/version`, {})).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it('authenticates verified client certificates (CN = user, O = groups); unverified ones are 401', async () => {
    const tls = getTlsFixtures();
    const seen: AuthzRequest[] = [];
    const s = await start({
      tls: { cert: tls.server.cert, key: tls.server.key, ca: tls.ca.cert, clientCa: tls.ca.cert },
      auth: { authorize: (r) => (seen.push(r), true) },
    });
    const ok = await httpsGet(`${s.url}/api/v1/nodes`, { ca: tls.ca.cert, cert: tls.client.cert, key: tls.client.key });
    expect(ok.status).toBe(200);
    expect(seen[0]?.user).toEqual({ name: 'calico-test', groups: ['system:masters', 'system:authenticated'] });
    const rogue = await httpsGet(`${s.url}/api/v1/nodes`, { ca: tls.ca.cert, cert: tls.rogueClient.cert, key: tls.rogueClient.key });
    expect(rogue.status).toBe(401);
    const none = await httpsGet(`${s.url}/api/v1/nodes`, { ca: tls.ca.cert });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  });

  it('client-node authenticates with certData/keyData', async () => {
    const tls = getTlsFixtures();
    const s = await start({ tls: { cert: tls.server.cert, key: tls.server.key, ca: tls.ca.cert, clientCa: tls.ca.cert }, auth: {} });
    const kc = await s.kubeConfig({ cert: tls.client.cert, key: tls.client.key });
    const nodes = await kc.makeApiClient(CoreV1Api).listNode();
    expect(nodes.items).toEqual([]);
  });

  it('requireClientCert refuses the handshake without a certificate', async () => {
    const tls = getTlsFixtures();
    const s = await start({ tls: { cert: tls.server.cert, key: tls.server.key, ca: tls.ca.cert, clientCa: tls.ca.cert, requireClientCert: true } });
    await expect(httpsGet(`${s.url}/version`, { ca: tls.ca.cert })).rejects.toThrow();
    const ok = await httpsGet(`${s.url}/version`, { ca: tls.ca.cert, cert: tls.client.cert, key: tls.client.key });
    expect(ok.status).toBe(200);
  });
});

describe('bearer tokens and authorization', () => {
  it('accepts configured tokens and answers 401 for wrong or missing ones', async () => {
    const s = await start({ auth: { tokens: { 's3cret': 'calico' } } });
    expect((await call(s.url, 'GET', '/api/v1/nodes', undefined, undefined, { Authorization: 'Bearer s3cret' })).status).toBe(200);
    expect((await call(s.url, 'GET', '/api/v1/nodes', undefined, undefined, { Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await call(s.url, 'GET', '/api/v1/nodes')).status).toBe(401);
  });

  it('client-node sends the token from the kubeconfig', async () => {
    const s = await start({ auth: { tokens: { tok: { user: 'calico', groups: ['calico-admins'] } } } });
    const kc = await s.kubeConfig({ token: 'tok' });
    await expect(kc.makeApiClient(CoreV1Api).listNode()).resolves.toMatchObject({ items: [] });
    expect(s.requests.at(-1)?.authorization).toBe(true);
  });

  it('anonymous users get the real 403 sentence, but may read /version', async () => {
    const s = await start({ auth: { anonymous: true } });
    const r = await call<Record<string, unknown>>(s.url, 'GET', '/api/v1/nodes');
    expect(r.status).toBe(403);
    expect(r.body.message).toBe('nodes is forbidden: User "system:anonymous" cannot list resource "nodes" in API group "" at the cluster scope');
    expect(r.body.details).toEqual({ kind: 'nodes' });
    expect((await call(s.url, 'GET', '/version')).status).toBe(200);
  });

  it('the authorize callback plays RBAC, e.g. nodes/status allowed but nodes update refused', async () => {
    const s = await start({
      auth: {
        tokens: { node: 'system:node:n1' },
        authorize: (r) => r.verb === 'get' || (r.resource === 'nodes' && r.subresource === 'status'),
      },
    });
    s.store.seed({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    const auth = { Authorization: 'Bearer node' };
    const node = (await call<Record<string, unknown>>(s.url, 'GET', '/api/v1/nodes/n1', undefined, undefined, auth)).body;
    const denied = await call<Record<string, unknown>>(s.url, 'PUT', '/api/v1/nodes/n1', node, 'application/json', auth);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe('nodes "n1" is forbidden: User "system:node:n1" cannot update resource "nodes" in API group "" at the cluster scope');
    const allowed = await call(s.url, 'PUT', '/api/v1/nodes/n1/status', node, 'application/json', auth);
    expect(allowed.status).toBe(200);
    const ns = await call<Record<string, unknown>>(s.url, 'DELETE', '/apis/crd.projectcalico.org/v1/namespaces/x/networkpolicies/p', undefined, undefined, auth);
    expect(ns.body.message).toBe(
      'networkpolicies.crd.projectcalico.org "p" is forbidden: User "system:node:n1" cannot delete resource "networkpolicies" in API group "crd.projectcalico.org" in the namespace "x"',
    );
  });
});
