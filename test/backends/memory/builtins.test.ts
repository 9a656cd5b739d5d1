import { describe, expect, it } from 'vitest';
import { createMemoryBackend, DEFAULT_ALLOW_PROFILE, MEMORY_CAPABILITIES } from '../../../src/testing.js';
import { isNotSupported } from '../../../src/errors.js';
import { BUILT_IN_TIERS } from '../../../src/model/tier-builtins.js';
import { rejectionOf, settle } from './helpers.js';

describe('memory backend built-in objects', () => {
  it('ensureInitialized creates the three tiers and ClusterInformation once', async () => {
    let n = 0;
    const b = createMemoryBackend({ uid: () => `0000000${++n}-aaaa-bbbb-cccc-dddddddddddd`, now: () => new Date('2025-03-01T09:00:00Z') });
    await b.ensureInitialized();
    const tiers = await b.list({ kind: 'Tier' });
    expect(tiers.items.map((t) => [t.key.name, t.value.spec])).toEqual(
      [...BUILT_IN_TIERS].sort((x, y) => x.name.localeCompare(y.name)).map((t) => [t.name, { order: t.order, defaultAction: t.defaultAction }]),
    );
    expect(tiers.items.every((t) => t.value.metadata.uid && t.value.metadata.creationTimestamp === '2025-03-01T09:00:00Z')).toBe(true);
    const info = await b.get({ kind: 'ClusterInformation', name: 'default' });
    expect(info.value.spec).toEqual({ clusterGUID: expect.stringMatching(/^[0-9a-f]{32}$/), datastoreReady: true });
    expect(info.value.metadata.uid).toMatch(/^0{7}\d-aaaa/);
    const revision = b.currentRevision();
    await b.ensureInitialized();
    expect(b.currentRevision()).toBe(revision);
  });

  it('ensureInitialized recreates only what is missing', async () => {
    const b = createMemoryBackend();
    await b.ensureInitialized();
    const kept = await b.get({ kind: 'Tier', name: 'default' });
    await b.delete({ kind: 'Tier', name: 'kube-admin' });
    await b.ensureInitialized();
    expect((await b.get({ kind: 'Tier', name: 'default' })).revision).toBe(kept.revision);
    expect((await b.get({ kind: 'Tier', name: 'kube-admin' })).value.spec).toEqual({ order: 1000, defaultAction: 'Pass' });
  });

  it('serves the synthetic default-allow profile on get and list, never in watches, and refuses to write it', async () => {
    const b = createMemoryBackend();
    const key = { kind: 'Profile', name: DEFAULT_ALLOW_PROFILE };
    const got = await b.get(key);
    expect(got.revision).toBe('1');
    expect(got.value.spec).toEqual({ ingress: [{ action: 'Allow' }], egress: [{ action: 'Allow' }] });
    expect(got.value.metadata.uid).toBeUndefined();
    b.seed([{ apiVersion: 'projectcalico.org/v3', kind: 'Profile', metadata: { name: 'kns.shop' }, spec: {} }]);
    expect((await b.list({ kind: 'Profile' })).items.map((i) => i.key.name)).toEqual(['kns.shop', DEFAULT_ALLOW_PROFILE]);
    expect((await b.list({ kind: 'Profile', name: DEFAULT_ALLOW_PROFILE })).items).toHaveLength(1);
    expect((await b.list({ kind: 'Profile', name: 'kns.', namePrefix: true })).items).toHaveLength(1);
    expect((await b.list({ kind: 'Profile', labelSelector: 'x' })).items).toEqual([]);
    const seen: string[] = [];
    const sub = b.watch({ kind: 'Profile' }).subscribe((e) => seen.push(e.type === 'ADDED' ? e.object.key.name : e.type));
    await settle();
    sub.unsubscribe();
    expect(seen).toEqual(['kns.shop']);
    expect(isNotSupported(await rejectionOf(b.create({ key, value: got.value })))).toBe(true);
    expect(isNotSupported(await rejectionOf(b.update(got)))).toBe(true);
    expect(isNotSupported(await rejectionOf(b.delete(key)))).toBe(true);
  });

  it('declares the capabilities of an etcd-like store without bookmarks', () => {
    expect(createMemoryBackend().capabilities).toEqual({
      name: 'memory',
      previousOnModified: true,
      exactRevisionReads: true,
      nodeLifecycle: true,
      workloadEndpointWrites: true,
      bookmarks: false,
      atomicCreateGuards: true,
    });
    expect(Object.isFrozen(MEMORY_CAPABILITIES)).toBe(true);
  });
});
