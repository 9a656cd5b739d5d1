/**
 * Graceful deletion of Pods and Namespace termination, seen on the wire: the MODIFIED frame with
 * `deletionTimestamp` before DELETED, grace periods from the request or the Pod spec, the
 * stand-in kubelet's final delete, and the Namespace's Terminating phase, 403 for new content,
 * and removal once its content is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApiServer, type FakeApiServer } from './index.js';
import { call, openWatch, type WatchFrame } from './test-helpers.js';
import type { KubeObject } from './types.js';

type Obj = KubeObject & { code?: number; reason?: string; message?: string; details?: Record<string, unknown> };

const NOW = Date.parse('2026-01-01T00:00:00Z');
let server: FakeApiServer;
beforeAll(async () => {
  // Pods stay terminating until a test finishes them; the clock is fixed so timestamps are exact.
  server = await startFakeApiServer({ podGracePeriodScale: Infinity, clock: () => NOW });
});
afterAll(async () => {
  await server.close();
});

const pod = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name },
  spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }], ...extra },
});
const podPath = (ns: string, name = ''): string => `/api/v1/namespaces/${ns}/pods${name ? `/${name}` : ''}`;
const names = (frames: WatchFrame[]): string[] => frames.map((f) => `${f.type} ${f.object.metadata?.name ?? ''}`);

describe('graceful Pod deletion', () => {
  it('marks a scheduled Pod with the default 30 s, sends MODIFIED, and deletes it when the kubelet is done', async () => {
    const created = (await call<Obj>(server.url, 'POST', podPath('default'), pod('web'))).body;
    const w = await openWatch(server.url, `${podPath('default')}?watch=true&resourceVersion=${created.metadata?.resourceVersion ?? ''}`);
    try {
      const d = await call<Obj>(server.url, 'DELETE', podPath('default', 'web'));
      expect(d.status).toBe(200);
      expect(d.body.kind).toBe('Pod');
      expect(d.body.metadata?.deletionTimestamp).toBe('2026-01-01T00:00:30Z');
      expect(d.body.metadata?.deletionGracePeriodSeconds).toBe(30);
      const modified = await w.next();
      expect(modified).toMatchObject({ type: 'MODIFIED', object: { metadata: { name: 'web', deletionGracePeriodSeconds: 30 } } });
      // Still there (and readable) while terminating; a second DELETE without a shorter period changes nothing.
      expect((await call(server.url, 'GET', podPath('default', 'web'))).status).toBe(200);
      const again = await call<Obj>(server.url, 'DELETE', podPath('default', 'web'));
      expect(again.body.metadata?.resourceVersion).toBe(d.body.metadata?.resourceVersion);
      expect(server.pods.terminating().map((p) => p.name)).toEqual(['web']);
      expect(server.pods.finish('default', 'web')).toBe(1);
      expect(await w.next()).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'web' } } });
      expect((await call(server.url, 'GET', podPath('default', 'web'))).status).toBe(404);
    } finally {
      w.close();
    }
  });

  it('takes gracePeriodSeconds from the request or the spec, shortens a pending one, and 0 deletes at once', async () => {
    await call(server.url, 'POST', podPath('default'), pod('a', { terminationGracePeriodSeconds: 5 }));
    const a = await call<Obj>(server.url, 'DELETE', podPath('default', 'a'));
    expect(a.body.metadata?.deletionGracePeriodSeconds).toBe(5);
    const shorter = await call<Obj>(server.url, 'DELETE', `${podPath('default', 'a')}?gracePeriodSeconds=2`);
    expect(shorter.body.metadata).toMatchObject({ deletionGracePeriodSeconds: 2, deletionTimestamp: '2026-01-01T00:00:02Z' });
    const longer = await call<Obj>(server.url, 'DELETE', podPath('default', 'a'), { gracePeriodSeconds: 60 });
    expect(longer.body.metadata?.deletionGracePeriodSeconds).toBe(2);
    const now = await call<Obj>(server.url, 'DELETE', `${podPath('default', 'a')}?gracePeriodSeconds=0`);
    expect(now.status).toBe(200);
    expect((await call(server.url, 'GET', podPath('default', 'a'))).status).toBe(404);

    await call(server.url, 'POST', podPath('default'), pod('b'));
    await call(server.url, 'DELETE', podPath('default', 'b'), { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 });
    expect((await call(server.url, 'GET', podPath('default', 'b'))).status).toBe(404);
  });

  it('deletes unscheduled and finished Pods at once', async () => {
    await call(server.url, 'POST', podPath('default'), { metadata: { name: 'pending' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    expect((await call<Obj>(server.url, 'DELETE', podPath('default', 'pending'))).body.metadata?.deletionTimestamp).toBeUndefined();
    expect((await call(server.url, 'GET', podPath('default', 'pending'))).status).toBe(404);
    server.store.seed({ apiVersion: 'v1', kind: 'Pod', ...pod('done'), metadata: { name: 'done', namespace: 'default' }, status: { phase: 'Succeeded' } });
    await call(server.url, 'DELETE', podPath('default', 'done'));
    expect((await call(server.url, 'GET', podPath('default', 'done'))).status).toBe(404);
  });

  it('keeps a terminating Pod with finalizers until they are removed, and updates in between do not delete it', async () => {
    await call(server.url, 'POST', podPath('default'), { ...pod('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await call(server.url, 'DELETE', podPath('default', 'held'));
    const patched = await call<Obj>(server.url, 'PATCH', podPath('default', 'held'), { metadata: { labels: { x: 'y' } } }, 'application/merge-patch+json');
    expect(patched.status).toBe(200);
    server.pods.finish('default', 'held');
    const still = await call<Obj>(server.url, 'GET', podPath('default', 'held'));
    expect(still.body.metadata?.deletionGracePeriodSeconds).toBe(0);
    await call(server.url, 'PATCH', podPath('default', 'held'), { metadata: { finalizers: null } }, 'application/merge-patch+json');
    expect((await call(server.url, 'GET', podPath('default', 'held'))).status).toBe(404);
  });
});

describe('Namespace termination', () => {
  it('goes Terminating, refuses new content with 403, deletes its Pods gracefully, then is removed', async () => {
    await call(server.url, 'POST', '/api/v1/namespaces', { metadata: { name: 'doomed' } });
    await call(server.url, 'POST', podPath('doomed'), pod('p'));
    const w = await openWatch(server.url, `/api/v1/namespaces?watch=true&fieldSelector=metadata.name%3Ddoomed&resourceVersion=${server.store.resourceVersion()}`);
    try {
      const d = await call<Obj>(server.url, 'DELETE', '/api/v1/namespaces/doomed');
      expect(d.status).toBe(200);
      expect(d.body).toMatchObject({ kind: 'Namespace', spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } });
      expect(d.body.metadata?.deletionTimestamp).toBe('2026-01-01T00:00:00Z');
      expect(d.body.metadata?.deletionGracePeriodSeconds).toBeUndefined();
      expect(await w.next()).toMatchObject({ type: 'MODIFIED', object: { status: { phase: 'Terminating' } } });

      const refused = await call<Obj>(server.url, 'POST', podPath('doomed'), pod('late'));
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({
        reason: 'Forbidden',
        message: 'pods "late" is forbidden: unable to create new content in namespace doomed because it is being terminated',
        details: { name: 'late', kind: 'pods', causes: [{ reason: 'NamespaceTerminating', message: 'namespace doomed is being terminated', field: 'metadata.namespace' }] },
      });

      // The controller has asked the Pod to terminate and reports what is left; the Namespace waits for it.
      const progress = await w.next();
      expect(progress).toMatchObject({ type: 'MODIFIED', object: { status: { phase: 'Terminating' } } });
      const conditions = ((progress as WatchFrame).object.status as { conditions: Record<string, string>[] }).conditions;
      expect(conditions.map((c) => `${c.type}=${c.status}`)).toEqual([
        'NamespaceDeletionDiscoveryFailure=False',
        'NamespaceDeletionGroupVersionParsingFailure=False',
        'NamespaceDeletionContentFailure=False',
        'NamespaceContentRemaining=True',
        'NamespaceFinalizersRemaining=False',
      ]);
      expect(conditions[3]).toMatchObject({ reason: 'SomeResourcesRemain', message: 'Some resources are remaining: pods. has 1 resource instances' });
      expect(server.pods.terminating().map((p) => `${p.namespace}/${p.name}`)).toEqual(['doomed/p']);
      expect((await call(server.url, 'GET', '/api/v1/namespaces/doomed')).status).toBe(200);
      server.pods.finish('doomed');
      const rest = await w.take(3);
      expect(names(rest)).toEqual(['MODIFIED doomed', 'MODIFIED doomed', 'DELETED doomed']);
      expect(((rest[0]?.object.status as { conditions: Record<string, string>[] }).conditions[3])).toMatchObject({ status: 'False', reason: 'ContentRemoved' });
      expect(rest[1]?.object.spec).toEqual({ finalizers: [] });
      expect((await call(server.url, 'GET', '/api/v1/namespaces/doomed')).status).toBe(404);
    } finally {
      w.close();
    }
  });
});
