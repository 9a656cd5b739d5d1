import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApiServer, type FakeApiServer, type KubeObject } from './index.js';
import { call, IPPOOLS, ipPool } from './test-helpers.js';

interface List {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}
type Status = { code: number; reason: string; message: string; metadata: { continue?: string }; details?: { causes?: { field: string; reason: string }[] } };

let server: FakeApiServer;
const names = (l: List): string[] => l.items.map((i) => i.metadata?.name ?? '');

beforeAll(async () => {
  server = await startFakeApiServer({ clusterBootstrap: false, enforceNamespaces: false });
  for (let i = 0; i < 7; i++) {
    server.store.seed({ ...ipPool(`pool-${i}`, `10.${i}.0.0/16`), metadata: { name: `pool-${i}`, labels: { idx: String(i), tier: i % 2 ? 'odd' : 'even' } } });
  }
  const pods = [
    ['a', 'web-1', 'node-1', { app: 'web', env: 'prod' }],
    ['a', 'web-2', 'node-2', { app: 'web', env: 'dev' }],
    ['b', 'db-1', 'node-1', { app: 'db' }],
    ['b', 'pending', '', { app: 'db' }],
  ] as const;
  for (const [ns, name, node, labels] of pods) {
    server.store.seed({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, labels: { ...labels } },
      spec: { ...(node ? { nodeName: node } : {}), containers: [{ name: 'c', image: 'x' }] },
    });
  }
});
afterAll(async () => {
  await server.close();
});

describe('list basics', () => {
  it('lists custom resources in key order with the current global resourceVersion', async () => {
    const r = await call<List>(server.url, 'GET', IPPOOLS);
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('IPPoolList');
    expect(r.body.apiVersion).toBe('crd.projectcalico.org/v1');
    expect(names(r.body)).toEqual(['pool-0', 'pool-1', 'pool-2', 'pool-3', 'pool-4', 'pool-5', 'pool-6']);
    expect(r.body.metadata.resourceVersion).toBe(server.store.resourceVersion());
    expect(r.body.metadata.continue).toBe('');
    expect(r.body.items[0]?.kind).toBe('IPPool');
  });

  it('omits apiVersion/kind on items of built-in lists, and sorts by namespace then name', async () => {
    const r = await call<List>(server.url, 'GET', '/api/v1/pods');
    expect(r.body.kind).toBe('PodList');
    expect(r.body.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual(['a/web-1', 'a/web-2', 'b/db-1', 'b/pending']);
    expect(r.body.items[0]?.kind).toBeUndefined();
    expect(r.body.metadata.continue).toBeUndefined();
  });

  it('lists one namespace', async () => {
    const r = await call<List>(server.url, 'GET', '/api/v1/namespaces/b/pods');
    expect(names(r.body)).toEqual(['db-1', 'pending']);
  });
});

describe('label selectors', () => {
  const cases: [string, string[]][] = [
    ['app=web', ['web-1', 'web-2']],
    ['app==web,env=prod', ['web-1']],
    ['app!=web', ['db-1', 'pending']],
    ['env', ['web-1', 'web-2']],
    ['!env', ['db-1', 'pending']],
    ['env in (prod, staging)', ['web-1']],
    ['env notin (prod)', ['web-2', 'db-1', 'pending']],
  ];
  for (const [sel, expected] of cases) {
    it(`labelSelector=${sel}`, async () => {
      const r = await call<List>(server.url, 'GET', `/api/v1/pods?labelSelector=${encodeURIComponent(sel)}`);
      expect(r.status).toBe(200);
      expect(names(r.body)).toEqual(expected);
    });
  }

  it('supports gt/lt on integer values', async () => {
    const r = await call<List>(server.url, 'GET', `${IPPOOLS}?labelSelector=${encodeURIComponent('idx>4')}`);
    expect(names(r.body)).toEqual(['pool-5', 'pool-6']);
  });

  it('answers 400 BadRequest for a malformed selector', async () => {
    const r = await call<Status>(server.url, 'GET', `/api/v1/pods?labelSelector=${encodeURIComponent('app in web')}`);
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('BadRequest');
  });

  it('answers 400 for an invalid label value', async () => {
    const r = await call<Status>(server.url, 'GET', `/api/v1/pods?labelSelector=${encodeURIComponent('app=-bad-')}`);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('a valid label must be an empty string or consist of alphanumeric characters');
  });
});

describe('field selectors', () => {
  it('metadata.name on custom resources', async () => {
    const r = await call<List>(server.url, 'GET', `${IPPOOLS}?fieldSelector=metadata.name%3Dpool-3`);
    expect(names(r.body)).toEqual(['pool-3']);
  });

  it('spec.nodeName on pods, including the empty value for unscheduled pods', async () => {
    expect(names((await call<List>(server.url, 'GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1')).body)).toEqual(['web-1', 'db-1']);
    expect(names((await call<List>(server.url, 'GET', '/api/v1/pods?fieldSelector=spec.nodeName%3D')).body)).toEqual(['pending']);
    expect(names((await call<List>(server.url, 'GET', '/api/v1/pods?fieldSelector=spec.nodeName!%3D,metadata.namespace%3Da')).body)).toEqual(['web-1', 'web-2']);
  });

  it('answers 400 "field label not supported" for other fields', async () => {
    const r = await call<Status>(server.url, 'GET', `${IPPOOLS}?fieldSelector=spec.cidr%3Dx`);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('field label not supported: spec.cidr');
  });
});

describe('limit and continue', () => {
  it('pages with a stable snapshot, remainingItemCount and the first page revision', async () => {
    const p1 = (await call<List>(server.url, 'GET', `${IPPOOLS}?limit=3`)).body;
    expect(names(p1)).toEqual(['pool-0', 'pool-1', 'pool-2']);
    expect(p1.metadata.remainingItemCount).toBe(4);
    expect(p1.metadata.continue).toBeTruthy();
    // A change between pages is not seen by the continued list.
    server.store.seed(ipPool('pool-00', '10.99.0.0/16'));
    const p2 = (await call<List>(server.url, 'GET', `${IPPOOLS}?limit=3&continue=${encodeURIComponent(p1.metadata.continue ?? '')}`)).body;
    expect(names(p2)).toEqual(['pool-3', 'pool-4', 'pool-5']);
    expect(p2.metadata.resourceVersion).toBe(p1.metadata.resourceVersion);
    const p3 = (await call<List>(server.url, 'GET', `${IPPOOLS}?limit=3&continue=${encodeURIComponent(p2.metadata.continue ?? '')}`)).body;
    expect(names(p3)).toEqual(['pool-6']);
    expect(p3.metadata.continue).toBe('');
    expect(p3.metadata.remainingItemCount).toBeUndefined();
    server.store.remove('crd.projectcalico.org/v1', 'IPPool', 'pool-00');
  });

  it('fills pages with matching items and omits remainingItemCount when a selector is used', async () => {
    const p1 = (await call<List>(server.url, 'GET', `${IPPOOLS}?limit=2&labelSelector=tier%3Dodd`)).body;
    expect(names(p1)).toEqual(['pool-1', 'pool-3']);
    expect(p1.metadata.remainingItemCount).toBeUndefined();
    const p2 = (await call<List>(server.url, 'GET', `${IPPOOLS}?limit=2&labelSelector=tier%3Dodd&continue=${encodeURIComponent(p1.metadata.continue ?? '')}`)).body;
    expect(names(p2)).toEqual(['pool-5']);
  });

  it('answers 410 Expired with an inconsistent continue token once tokens expire', async () => {
    const p1 = (await call<List>(server.url, 'GET', `${IPPOOLS}?limit=2`)).body;
    server.faults.expireContinueTokens();
    const r = await call<Status>(server.url, 'GET', `${IPPOOLS}?limit=2&continue=${encodeURIComponent(p1.metadata.continue ?? '')}`);
    expect(r.status).toBe(410);
    expect(r.body.reason).toBe('Expired');
    expect(r.body.message).toMatch(/^The provided continue parameter is too old to display a consistent list result\./);
    const inconsistent = r.body.metadata.continue ?? '';
    expect(JSON.parse(Buffer.from(inconsistent, 'base64url').toString())).toMatchObject({ v: 'meta.k8s.io/v1', rv: -1 });
    const rest = (await call<List>(server.url, 'GET', `${IPPOOLS}?limit=10&continue=${encodeURIComponent(inconsistent)}`)).body;
    expect(names(rest)).toEqual(['pool-2', 'pool-3', 'pool-4', 'pool-5', 'pool-6']);
  });

  it('expires continue tokens whose revision was compacted', async () => {
    const p1 = (await call<List>(server.url, 'GET', `${IPPOOLS}?limit=2`)).body;
    const next = `${IPPOOLS}?limit=2&continue=${encodeURIComponent(p1.metadata.continue ?? '')}`;
    server.store.seed(ipPool('pool-compact', '10.98.0.0/16'));
    expect((await call(server.url, 'GET', next)).status).toBe(200);
    server.faults.compact();
    const r = await call<Status>(server.url, 'GET', next);
    expect(r.status).toBe(410);
    server.store.remove('crd.projectcalico.org/v1', 'IPPool', 'pool-compact');
  });

  it('refuses continue together with a resourceVersion (400)', async () => {
    const p1 = (await call<List>(server.url, 'GET', `${IPPOOLS}?limit=2`)).body;
    const r = await call<Status>(server.url, 'GET', `${IPPOOLS}?limit=2&resourceVersion=5&continue=${encodeURIComponent(p1.metadata.continue ?? '')}`);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('specifying resource version is not allowed when using continue');
  });

  it('answers 400 for a malformed continue token', async () => {
    const r = await call<Status>(server.url, 'GET', `${IPPOOLS}?limit=2&continue=garbage`);
    expect(r.status).toBe(400);
  });
});

describe('resourceVersion semantics', () => {
  it('resourceVersion=0 is served from the cache path and ignores limit', async () => {
    const r = (await call<List>(server.url, 'GET', `${IPPOOLS}?resourceVersion=0&limit=2`)).body;
    expect(r.items).toHaveLength(7);
    expect(r.metadata.continue).toBe('');
  });

  it('Exact reads the state at an older revision', async () => {
    const before = server.store.resourceVersion();
    server.store.seed(ipPool('pool-late', '10.97.0.0/16'));
    const exact = (await call<List>(server.url, 'GET', `${IPPOOLS}?resourceVersion=${before}&resourceVersionMatch=Exact`)).body;
    expect(names(exact)).not.toContain('pool-late');
    expect(exact.metadata.resourceVersion).toBe(before);
    const latest = (await call<List>(server.url, 'GET', `${IPPOOLS}?resourceVersion=${before}&resourceVersionMatch=NotOlderThan`)).body;
    expect(names(latest)).toContain('pool-late');
    server.store.remove('crd.projectcalico.org/v1', 'IPPool', 'pool-late');
  });

  it('Exact at a compacted revision is 410 Expired', async () => {
    const old = server.store.resourceVersion();
    server.store.seed(ipPool('pool-x', '10.96.0.0/16'));
    server.faults.compact();
    const r = await call<Status>(server.url, 'GET', `${IPPOOLS}?resourceVersion=${old}&resourceVersionMatch=Exact`);
    expect(r.status).toBe(410);
    expect(r.body.message).toBe('The resourceVersion for the provided list is too old.');
    server.store.remove('crd.projectcalico.org/v1', 'IPPool', 'pool-x');
  });

  it('validates list options like the server (422 ListOptions)', async () => {
    const noRv = await call<Status>(server.url, 'GET', `${IPPOOLS}?resourceVersionMatch=NotOlderThan`);
    expect(noRv.status).toBe(422);
    expect(noRv.body.message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
    const exact0 = await call<Status>(server.url, 'GET', `${IPPOOLS}?resourceVersion=0&resourceVersionMatch=Exact`);
    expect(exact0.status).toBe(422);
  });

  it('answers 504 for a NotOlderThan list at a future revision', async () => {
    const s = await startFakeApiServer({ tooLargeResourceVersionWaitMs: 30, clusterBootstrap: false });
    try {
      const r = await call<Status>(s.url, 'GET', `${IPPOOLS}?resourceVersion=999999&resourceVersionMatch=NotOlderThan`);
      expect(r.status).toBe(504);
      expect(r.body.message).toMatch(/^Timeout: Too large resource version: 999999, current: \d+$/);
    } finally {
      await s.close();
    }
  });

  it('a future revision that is reached while waiting is served', async () => {
    const s = await startFakeApiServer({ tooLargeResourceVersionWaitMs: 2000, clusterBootstrap: false });
    try {
      const target = Number(s.store.resourceVersion()) + 1;
      const pending = call<List>(s.url, 'GET', `${IPPOOLS}?resourceVersion=${target}&resourceVersionMatch=NotOlderThan`);
      setTimeout(() => s.store.seed(ipPool('arrives', '10.0.0.0/16')), 20);
      const r = await pending;
      expect(r.status).toBe(200);
      expect(names(r.body)).toEqual(['arrives']);
    } finally {
      await s.close();
    }
  });
});
