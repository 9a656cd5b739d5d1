/**
 * The Kubernetes backend under the watch layer (backends spec §4 and the syncer invariants of
 * §7): a synced cache of WorkloadEndpoints follows Pods, and a Pod deleted while the watch is down
 * and its revision compacted away comes back as exactly one synthesised `deleted` after the
 * relist, followed by in-sync.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import type { Backend } from '../../../src/backends/backend.js';
import { sourceFromBackend, syncedCache, type SyncItem } from '../../../src/watch/index.js';
import { pollUntil } from '../../../src/testing/conformance/context.js';
import { kubePod, startHarness, type Harness } from './helpers.js';

let h: Harness;
let b: Backend;
beforeEach(async () => {
  h = await startHarness(['shop']);
  b = await h.backend({ watchReconnectDelayMs: 5 });
  h.server.store.seed(kubePod('shop', 'web-0', 'node-1', '10.244.1.7'), kubePod('shop', 'web-1', 'node-1', '10.244.1.8'), kubePod('shop', 'web-2', 'node-2', '10.244.2.9'));
});
afterEach(async () => {
  await h.close();
});

it('follows Pods, and relists after Expired with one synthesised delete', async () => {
  const cache = syncedCache(sourceFromBackend(b, { kind: 'WorkloadEndpoint' }), { minResyncInterval: 10 });
  const items: SyncItem[] = [];
  const sub: Subscription = cache.events$.subscribe((i) => items.push(i));
  try {
    await pollUntil(() => Promise.resolve(cache.status()), (s) => s === 'in-sync');
    expect(cache.status()).toBe('in-sync');
    expect([...cache.current().values()].map((kv) => kv.key.name).sort()).toEqual(['node--1-k8s-web--0-eth0', 'node--1-k8s-web--1-eth0', 'node--2-k8s-web--2-eth0']);
    expect(cache.get({ kind: 'WorkloadEndpoint', namespace: 'shop', name: 'node--1-k8s-web--0-eth0' })?.value.metadata.namespace).toBe('shop');
    const statuses = items.filter((i) => i.type === 'status').map((i) => (i.type === 'status' ? i.status : ''));
    expect(statuses[statuses.length - 1]).toBe('in-sync');

    // A live change arrives as an update.
    h.server.store.seed(kubePod('shop', 'web-3', 'node-2', '10.244.2.10'));
    await pollUntil(() => Promise.resolve(cache.current().size), (n) => n === 4);
    expect(cache.current().size).toBe(4);

    // The watch goes down; a Pod is deleted meanwhile and history is compacted past it.
    const held = h.server.faults.pause({ verb: 'watch' });
    h.server.faults.dropWatches();
    h.server.store.remove('v1', 'Pod', 'web-1', 'shop');
    h.server.faults.compact();
    items.length = 0;
    h.server.clearRequests();
    held.resume();
    await pollUntil(() => Promise.resolve(items.some((i) => i.type === 'status' && i.status === 'in-sync')), (x) => x);
    const deletes = items.flatMap((i) => (i.type === 'updates' ? i.updates.filter((u) => u.type === 'deleted') : []));
    expect(deletes.map((u) => u.key.name)).toEqual(['node--1-k8s-web--1-eth0']);
    const lastStatus = items.filter((i) => i.type === 'status').pop();
    expect(lastStatus).toEqual({ type: 'status', status: 'in-sync' });
    expect(cache.current().size).toBe(3);
    // The delete was learnt from a relist (the watch could not resume), not from a replayed event.
    expect(h.server.requests.some((r) => r.verb === 'list' && r.resource === 'pods')).toBe(true);
  } finally {
    sub.unsubscribe();
  }
});
