import { firstValueFrom, take, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient, type CalicoClient } from '../../src/client.js';
import { isConflict } from '../../src/errors.js';
import { createMemoryBackend } from '../../src/testing.js';
import type { IPPool } from '../../src/model/types.generated.js';
import { node, np, pool, wep } from './fixtures.js';

let client: CalicoClient;
beforeEach(() => {
  client = createClient({ datastoreType: 'memory', ipPoolDeleteDelayMs: 0 });
});
afterEach(() => client.close());

describe('read-defaulting', () => {
  it('gives pools written without defaults their defaults on get, list and watch alike', async () => {
    const backend = createMemoryBackend();
    const shared = createClient({ backend, ipPoolDeleteDelayMs: 0 });
    const raw: IPPool = { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'old', uid: 'u', creationTimestamp: '2020-01-01T00:00:00Z' }, spec: { cidr: '10.0.0.0/16' } };
    await backend.create({ key: { kind: 'IPPool', name: 'old' }, value: raw });
    const expected = { cidr: '10.0.0.0/16', blockSize: 26, ipipMode: 'Never', vxlanMode: 'Never', nodeSelector: 'all()', allowedUses: ['Workload', 'Tunnel'], assignmentMode: 'Automatic' };
    expect((await shared.ipPools.get({ name: 'old' })).spec).toEqual(expected);
    expect((await shared.ipPools.list()).items[0]?.spec).toEqual(expected);
    const first = await firstValueFrom(shared.ipPools.watch());
    expect(first.type).toBe('added');
    expect(first.object.spec).toEqual(expected);
    await shared.close();
  });
});

describe('watch and list', () => {
  it('lists with a revision that a watch continues from exactly', async () => {
    await client.ipPools.create(pool('a', '10.0.0.0/16'));
    const listed = await client.ipPools.list();
    const events = firstValueFrom(client.ipPools.watch({ resourceVersion: listed.resourceVersion }).pipe(take(2), toArray()));
    await client.ipPools.create(pool('b', '10.1.0.0/16'));
    const b = await client.ipPools.get({ name: 'b' });
    await client.ipPools.update({ ...b, spec: { ...b.spec, natOutgoing: true } });
    const [added, modified] = await events;
    expect(added?.type).toBe('added');
    expect(added?.object.metadata.name).toBe('b');
    expect(modified?.type).toBe('modified');
    expect(modified?.previous?.spec.natOutgoing).toBeUndefined();
    expect(modified?.object.spec.natOutgoing).toBe(true);
  });

  it('pages a list with limit and continue', async () => {
    for (let i = 0; i < 5; i++) await client.ipPools.create(pool(`p${i}`, `10.${i}.0.0/16`));
    const first = await client.ipPools.list({ limit: 2 });
    expect(first.items.map((p) => p.metadata.name)).toEqual(['p0', 'p1']);
    const second = await client.ipPools.list({ limit: 2, continue: first.continue });
    const third = await client.ipPools.list({ limit: 2, continue: second.continue });
    expect([...second.items, ...third.items].map((p) => p.metadata.name)).toEqual(['p2', 'p3', 'p4']);
    expect(third.continue).toBeUndefined();
  });

  it('shows a modification to disabled before the deletion of an enabled pool', async () => {
    const created = await client.ipPools.create(pool('a', '10.0.0.0/16'));
    const events = firstValueFrom(client.ipPools.watch({ resourceVersion: created.metadata.resourceVersion }).pipe(take(2), toArray()));
    const deleted = await client.ipPools.delete({ name: 'a' });
    expect(deleted.spec.disabled).toBe(true);
    expect((await events).map((e) => [e.type, e.object.spec.disabled])).toEqual([
      ['modified', true],
      ['deleted', true],
    ]);
  });

  it('keeps owned WorkloadEndpoint labels equal to namespace and orchestrator', async () => {
    const created = await client.workloadEndpoints.create(wep('shop', 'worker-1', 'cart-7f9', { 'projectcalico.org/namespace': 'evil', app: 'cart' }));
    expect(created.metadata.name).toBe('worker--1-k8s-cart--7f9-eth0');
    expect(created.metadata.labels).toEqual({ app: 'cart', 'projectcalico.org/namespace': 'shop', 'projectcalico.org/orchestrator': 'k8s' });
  });
});

describe('node delete', () => {
  it('deletes the node’s endpoints and not those of a node whose name shares the prefix', async () => {
    await client.nodes.create(node('node1'));
    await client.nodes.create(node('node1-a'));
    await client.workloadEndpoints.create(wep('ns', 'node1', 'web'));
    await client.workloadEndpoints.create(wep('ns', 'node1-a', 'web'));
    await client.nodes.delete({ name: 'node1' });
    const remaining = (await client.workloadEndpoints.list()).items.map((w) => w.spec.node);
    expect(remaining).toEqual(['node1-a']);
    expect((await client.nodes.list()).items.map((n) => n.metadata.name)).toEqual(['node1-a']);
  });
});

describe('concurrency', () => {
  it('50 concurrent read-modify-write updaters with retry on Conflict lose no update', async () => {
    await client.networkPolicies.create(np('ns', 'counter', { order: 0 }));
    const increment = async (): Promise<number> => {
      let conflicts = 0;
      for (let attempt = 0; attempt < 10_000; attempt++) {
        const current = await client.networkPolicies.get({ namespace: 'ns', name: 'counter' });
        try {
          await client.networkPolicies.update({ ...current, spec: { ...current.spec, order: (current.spec.order ?? 0) + 1 } });
          return conflicts;
        } catch (e) {
          if (!isConflict(e)) throw e;
          conflicts++;
        }
      }
      throw new Error('updater gave up');
    };
    const conflicts = await Promise.all(Array.from({ length: 50 }, increment));
    const final = await client.networkPolicies.get({ namespace: 'ns', name: 'counter' });
    expect(final.spec.order).toBe(50);
    expect(conflicts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
