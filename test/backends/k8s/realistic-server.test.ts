/**
 * The Kubernetes backend against the fake server's realistic defaults, with nothing injected:
 * the watch cache's bounded window answers a watch from a revision it no longer holds with 410
 * (so the watch layer relists), and Pods are deleted gracefully (MODIFIED with a
 * deletionTimestamp, then DELETED once the stand-in kubelet is done).
 *
 * Calico keeps a terminating Pod as a WorkloadEndpoint — with its addresses until the CNI plugin
 * blanks `cni.projectcalico.org/podIP` — and removes it only when the Pod is gone
 * (libcalico-go `IsFinished` and the WorkloadEndpoint converter).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import type { Backend, KVPair } from '../../../src/backends/backend.js';
import { isExpired, isNotFound } from '../../../src/errors.js';
import type { WorkloadEndpoint } from '../../../src/model/types.generated.js';
import { sourceFromBackend, syncedCache, type SyncItem } from '../../../src/watch/index.js';
import { pollUntil, rejectionOf } from '../../../src/testing/conformance/context.js';
import { describeEvent, openTap } from '../../../src/testing/conformance/stream.js';
import { call } from '../../fake-apiserver/test-helpers.js';
import { kubePod, startHarness, type Harness } from './helpers.js';

let h: Harness;
let b: Backend;
beforeAll(async () => {
  h = await startHarness(['shop']);
  b = await h.backend({ watchReconnectDelayMs: 5 });
});
afterAll(async () => {
  await h.close();
});

/** An IPPool; `step` changes it each time (an unchanged write would not be an event). */
const pool = (name: string, cidr: string, step: number) => ({ apiVersion: 'crd.projectcalico.org/v1', kind: 'IPPool', metadata: { name, labels: { step: String(step) } }, spec: { cidr } });

describe('watch cache window', () => {
  it('a watch from a revision older than the window ends with Expired', async () => {
    const before = h.server.store.resourceVersion();
    // More IPPool changes than the watch cache keeps (100 by default).
    for (let i = 0; i < 110; i++) h.server.store.seed(pool(`churn-${i % 5}`, `10.${i % 5}.0.0/16`, i));
    const events = openTap(b.watch({ kind: 'IPPool', revision: before }));
    try {
      const e = await events.next();
      expect(e.type === 'ERROR' && isExpired(e.error)).toBe(true);
      expect(await events.ended()).toBe('complete');
    } finally {
      events.close();
    }
  });

  it('a synced cache whose watch resumes past the window relists and converges', async () => {
    const cache = syncedCache(sourceFromBackend(b, { kind: 'IPPool' }), { minResyncInterval: 10 });
    const items: SyncItem[] = [];
    const sub: Subscription = cache.events$.subscribe((i) => items.push(i));
    try {
      await pollUntil(() => Promise.resolve(cache.status()), (s) => s === 'in-sync');
      expect([...cache.current().values()].map((kv) => kv.key.name).sort()).toEqual(['churn-0', 'churn-1', 'churn-2', 'churn-3', 'churn-4']);
      // The watch breaks; while it is down the pools churn past the window and one is deleted.
      const held = h.server.faults.pause({ verb: 'watch' });
      h.server.faults.dropWatches();
      for (let i = 0; i < 110; i++) h.server.store.seed(pool(`churn-${i % 4}`, `10.${(i % 4) + 10}.0.0/16`, i));
      h.server.store.remove('crd.projectcalico.org/v1', 'IPPool', 'churn-4');
      items.length = 0;
      h.server.clearRequests();
      held.resume();
      await pollUntil(() => Promise.resolve(items.some((i) => i.type === 'status' && i.status === 'in-sync')), (x) => x);
      const deletes = items.flatMap((i) => (i.type === 'updates' ? i.updates.filter((u) => u.type === 'deleted') : []));
      expect(deletes.map((u) => u.key.name)).toEqual(['churn-4']);
      expect([...cache.current().values()].map((kv) => (kv.value.spec as { cidr: string }).cidr).sort()).toEqual([
        '10.10.0.0/16',
        '10.11.0.0/16',
        '10.12.0.0/16',
        '10.13.0.0/16',
      ]);
      // It had to relist: the resumed watch was refused by the window, not by an injected fault.
      const verbs = h.server.requests.filter((r) => r.resource === 'ippools').map((r) => r.verb);
      expect(verbs.slice(0, 2)).toEqual(['watch', 'list']);
    } finally {
      sub.unsubscribe();
    }
  });
});

describe('graceful Pod deletion', () => {
  const wepName = (pod: string) => `node--1-k8s-${pod.replace(/-/g, '--')}-eth0`;
  const ips = (kv: KVPair | undefined): unknown => (kv?.value as WorkloadEndpoint | undefined)?.spec.ipNetworks;

  it('a WorkloadEndpoint stays, with its addresses, while its Pod terminates, and goes with the Pod', async () => {
    const [seeded] = h.server.store.seed(kubePod('shop', 'web-0', 'node-1', '10.244.1.7'));
    const events = openTap(b.watch({ kind: 'WorkloadEndpoint', namespace: 'shop', revision: seeded?.metadata?.resourceVersion ?? '' }));
    try {
      const d = await call<{ metadata: { deletionTimestamp?: string; deletionGracePeriodSeconds?: number } }>(h.server.url, 'DELETE', '/api/v1/namespaces/shop/pods/web-0');
      expect(d.body.metadata.deletionGracePeriodSeconds).toBe(30);
      const [terminating, gone] = await events.take(2);
      expect([terminating, gone].map((e) => (e ? describeEvent(e) : ''))).toEqual([`MODIFIED ${wepName('web-0')}`, `DELETED ${wepName('web-0')}`]);
      expect(terminating?.type === 'MODIFIED' ? ips(terminating.object) : undefined).toEqual(['10.244.1.7/32']);
      expect(isNotFound(await rejectionOf(b.get({ kind: 'WorkloadEndpoint', namespace: 'shop', name: wepName('web-0') })))).toBe(true);
    } finally {
      events.close();
    }
  });

  it('a terminating Pod whose IP the CNI plugin released keeps its endpoint without addresses', async () => {
    const podIp = { annotations: { 'cni.projectcalico.org/podIP': '10.244.1.8/32' } };
    h.server.store.seed(kubePod('shop', 'web-1', 'node-1', '10.244.1.8', podIp));
    // Long enough a grace period for the CNI teardown to land before the kubelet deletes the Pod.
    await call(h.server.url, 'DELETE', '/api/v1/namespaces/shop/pods/web-1?gracePeriodSeconds=100000');
    const from = h.server.store.resourceVersion();
    const events = openTap(b.watch({ kind: 'WorkloadEndpoint', namespace: 'shop', revision: from }));
    try {
      await call(h.server.url, 'PATCH', '/api/v1/namespaces/shop/pods/web-1', { metadata: { annotations: { 'cni.projectcalico.org/podIP': '' } } }, 'application/merge-patch+json');
      const released = await events.next();
      expect(describeEvent(released)).toBe(`MODIFIED ${wepName('web-1')}`);
      expect(released.type === 'MODIFIED' ? ips(released.object) : undefined).toEqual([]);
      expect(h.server.pods.finish('shop', 'web-1')).toBe(1);
      expect(describeEvent(await events.next())).toBe(`DELETED ${wepName('web-1')}`);
    } finally {
      events.close();
    }
  });
});
