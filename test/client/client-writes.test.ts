/**
 * The client's write rules, on every datastore: memory, etcd (one server for the file, emptied
 * before each test) and Kubernetes (a fresh fake API server per test).
 */
import { Etcd3 } from 'etcd3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient, type CalicoClient } from '../../src/client.js';
import { AlreadyExistsError, ConflictError, NotFoundError, NotSupportedError, ValidationError } from '../../src/errors.js';
import { startFakeApiServer, type FakeApiServer } from '../fake-apiserver/index.js';
import { startEtcd, type EtcdHandle } from '../support/etcd-process.js';
import { gnp, np, pool, tier } from './fixtures.js';

/** Namespaces the tests' namespaced objects live in (a Kubernetes datastore needs them to exist). */
const NAMESPACES = ['ns1', 'default', 'shop'];

interface Datastore {
  readonly name: string;
  /** True when the datastore gives every new object a uid of its own (Kubernetes). */
  readonly serverAssignsUid?: boolean;
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
  client(): Promise<CalicoClient>;
  after?(): Promise<void>;
}

let etcd: EtcdHandle | undefined;
let raw: Etcd3 | undefined;
let server: FakeApiServer | undefined;

const DATASTORES: readonly Datastore[] = [
  { name: 'memory', client: async () => createClient({ datastoreType: 'memory', ipPoolDeleteDelayMs: 0 }) },
  {
    name: 'etcd',
    async setUp() {
      etcd = await startEtcd();
      raw = new Etcd3({ hosts: etcd.endpoints });
    },
    async tearDown() {
      raw?.close();
      await etcd?.stop();
    },
    async client() {
      await raw?.delete().prefix('/calico/');
      return createClient({ datastoreType: 'etcdv3', etcdEndpoints: etcd?.endpoints ?? [], ipPoolDeleteDelayMs: 0 });
    },
  },
  {
    name: 'kubernetes',
    serverAssignsUid: true,
    async client() {
      server = await startFakeApiServer();
      for (const name of NAMESPACES) server.store.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      return createClient({ datastoreType: 'kubernetes', kubeconfigInline: server.kubeconfigYaml(), ipPoolDeleteDelayMs: 0 });
    },
    async after() {
      await server?.close();
      server = undefined;
    },
  },
];

let client: CalicoClient;

describe.each(DATASTORES)('client writes on $name', (datastore) => {
  beforeAll(async () => datastore.setUp?.(), 60_000);
  afterAll(async () => datastore.tearDown?.());
  beforeEach(async () => {
    client = await datastore.client();
  });
  afterEach(async () => {
    await client.close();
    await datastore.after?.();
  });

  async function rejection(p: Promise<unknown>): Promise<unknown> {
    try {
      await p;
    } catch (e) {
      return e;
    }
    throw new Error('expected the promise to reject');
  }

  function paths(e: unknown): string[] {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).errors.map((f) => f.path);
  }

  describe('create', () => {
    it('refuses an object of another kind than the accessor, storing nothing', async () => {
      const wrong = { ...tier('t1', 50), kind: 'Tier' } as unknown as Parameters<typeof client.ipPools.create>[0];
      expect(paths(await rejection(client.ipPools.create(wrong)))).toEqual(['kind']);
      expect((await client.ipPools.list()).items).toEqual([]);
      expect((await client.tiers.list()).items.map((t) => t.metadata.name)).not.toContain('t1');
      const stored = await client.ipPools.create(pool('pool-a', '10.0.0.0/16'));
      expect(paths(await rejection(client.ipPools.update({ ...stored, kind: 'Tier' } as unknown as typeof stored)))).toEqual(['kind']);
      expect((await client.ipPools.get({ name: 'pool-a' })).metadata.resourceVersion).toBe(stored.metadata.resourceVersion);
    });

    it('fills uid and creationTimestamp, sets resourceVersion, and does not mutate the input', async () => {
      const input = pool('pool-a', '10.0.0.0/16');
      const before = structuredClone(input);
      const created = await client.ipPools.create(input);
      expect(input).toEqual(before);
      expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
      expect(created.spec).toMatchObject({ cidr: '10.0.0.0/16', blockSize: 26, ipipMode: 'Never', vxlanMode: 'Never', nodeSelector: 'all()' });
    });

    it('keeps caller-supplied uid (unless the datastore assigns it) and creationTimestamp', async () => {
      const input = pool('pool-a', '10.0.0.0/16');
      input.metadata.uid = '11111111-2222-4333-8444-555555555555';
      input.metadata.creationTimestamp = '2026-03-01T12:00:00Z';
      const created = await client.ipPools.create(input);
      if (datastore.serverAssignsUid) {
        // A Kubernetes API server assigns every new object's uid itself.
        expect(created.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(created.metadata.uid).not.toBe(input.metadata.uid);
      } else {
        expect(created.metadata.uid).toBe(input.metadata.uid);
      }
      expect(created.metadata.creationTimestamp).toBe('2026-03-01T12:00:00Z');
    });

    it('rejects an empty name, naming generateName when it was used', async () => {
      const p = pool('', '10.0.0.0/16');
      expect(paths(await rejection(client.ipPools.create(p)))).toContain('metadata.name');
      p.metadata.generateName = 'pool-';
      const e = (await rejection(client.ipPools.create(p))) as ValidationError;
      expect(e.errors.find((f) => f.path === 'metadata.name')?.message).toContain('generateName');
    });

    it('rejects a resourceVersion on create', async () => {
      const p = pool('pool-a', '10.0.0.0/16');
      p.metadata.resourceVersion = '7';
      expect(paths(await rejection(client.ipPools.create(p)))).toContain('metadata.resourceVersion');
    });

    it('rejects a second create of the same name and leaves the stored object unchanged', async () => {
      const first = await client.ipPools.create(pool('pool-a', '10.0.0.0/16'));
      const e = await rejection(client.ipPools.create(pool('pool-a', '10.1.0.0/16', { natOutgoing: true })));
      expect(e).toBeInstanceOf(AlreadyExistsError);
      expect(await client.ipPools.get({ name: 'pool-a' })).toEqual(first);
    });

    it('lists every failing field with its path', async () => {
      const e = await rejection(client.ipPools.create(pool('Pool_1', '10.0.0.1/24', { ipipMode: 'always' as never })));
      expect(paths(e)).toEqual(expect.arrayContaining(['metadata.name', 'spec.cidr', 'spec.ipipMode']));
    });

    it('requires a namespace on namespaced kinds and forbids one on cluster kinds', async () => {
      const policy = np('', 'p');
      expect(paths(await rejection(client.networkPolicies.create(policy)))).toContain('metadata.namespace');
      const p = pool('pool-a', '10.0.0.0/16');
      p.metadata.namespace = 'x';
      expect(paths(await rejection(client.ipPools.create(p)))).toContain('metadata.namespace');
    });

    it('rejects an IPPool that overlaps an existing one and accepts an adjacent one', async () => {
      await client.ipPools.create(pool('a', '10.0.0.0/16'));
      expect(paths(await rejection(client.ipPools.create(pool('b', '10.0.128.0/24'))))).toContain('spec.cidr');
      expect(paths(await rejection(client.ipPools.create(pool('c', '10.0.0.0/8'))))).toContain('spec.cidr');
      await expect(client.ipPools.create(pool('d', '10.1.0.0/16'))).resolves.toBeDefined();
    });

    it('refuses a policy in a missing tier with NotFound naming the Tier, writing nothing', async () => {
      const e = await rejection(client.networkPolicies.create(np('shop', 'p', { tier: 'security' })));
      expect(e).toBeInstanceOf(NotFoundError);
      expect((e as NotFoundError).identifier).toEqual({ kind: 'Tier', name: 'security' });
      expect((await client.networkPolicies.list()).items).toEqual([]);
      await client.tiers.create(tier('security', 100));
      const created = await client.networkPolicies.create(np('shop', 'security.p', { tier: 'security' }));
      expect(created.metadata.labels?.['projectcalico.org/tier']).toBe('security');
    });

    it('refuses writes to converted Kubernetes policy names', async () => {
      expect(await rejection(client.networkPolicies.create(np('shop', 'knp.default.foo')))).toBeInstanceOf(NotSupportedError);
      expect(await rejection(client.globalNetworkPolicies.create(gnp('kcnp.foo')))).toBeInstanceOf(NotSupportedError);
      expect(await rejection(client.networkPolicies.delete({ namespace: 'shop', name: 'knp.default.foo' }))).toBeInstanceOf(NotSupportedError);
    });

    it('stores a policy with tier default, inferred types and the owned tier label', async () => {
      const policy = np('shop', 'allow', { ingress: [{ action: 'Allow' }] });
      policy.metadata.labels = { 'projectcalico.org/tier': 'other', app: 'x' };
      const created = await client.networkPolicies.create(policy);
      expect(created.spec.tier).toBe('default');
      expect(created.spec.types).toEqual(['Ingress']);
      expect(created.metadata.labels).toEqual({ 'projectcalico.org/tier': 'default', app: 'x' });
    });
  });

  describe('update', () => {
    it('requires resourceVersion, detects stale ones and missing objects', async () => {
      const created = await client.ipPools.create(pool('a', '10.0.0.0/16'));
      const noRv = structuredClone(created);
      delete noRv.metadata.resourceVersion;
      expect(paths(await rejection(client.ipPools.update(noRv)))).toContain('metadata.resourceVersion');
      const updated = await client.ipPools.update({ ...created, spec: { ...created.spec, natOutgoing: true } });
      expect(updated.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
      expect(await rejection(client.ipPools.update(created))).toBeInstanceOf(ConflictError);
      const ghost = structuredClone(created);
      ghost.metadata.name = 'ghost';
      ghost.spec.cidr = '10.9.0.0/16';
      expect(await rejection(client.ipPools.update(ghost))).toBeInstanceOf(NotFoundError);
    });

    it('keeps uid and creationTimestamp, fills them when absent, and rejects a changed uid', async () => {
      const created = await client.ipPools.create(pool('a', '10.0.0.0/16'));
      const bare = structuredClone(created);
      delete bare.metadata.uid;
      delete bare.metadata.creationTimestamp;
      const updated = await client.ipPools.update(bare);
      expect(updated.metadata.uid).toBe(created.metadata.uid);
      expect(updated.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
      const changed = { ...updated, metadata: { ...updated.metadata, uid: '11111111-2222-4333-8444-555555555555' } };
      expect(paths(await rejection(client.ipPools.update(changed)))).toEqual(['metadata.uid']);
    });

    it('accepts another spelling of the same CIDR, stored canonically, and rejects a different network or blockSize', async () => {
      const created = await client.ipPools.create(pool('v6', 'fd00::/64'));
      const same = await client.ipPools.update({ ...created, spec: { ...created.spec, cidr: 'FD00:0:0::/64' } });
      expect(same.spec.cidr).toBe('fd00::/64');
      expect(paths(await rejection(client.ipPools.update({ ...same, spec: { ...same.spec, cidr: 'fd01::/64' } })))).toContain('spec.cidr');
      expect(paths(await rejection(client.ipPools.update({ ...same, spec: { ...same.spec, blockSize: 124 } })))).toContain('spec.blockSize');
    });

    it('never changes status on update; updateStatus changes only status', async () => {
      const created = await client.ipPools.create(pool('a', '10.0.0.0/16'));
      const conditions = [{ type: 'Allocatable', status: 'True' as const, reason: 'OK', message: '', lastTransitionTime: '2026-03-01T12:00:00Z' }];
      const withStatus = await client.ipPools.updateStatus({ ...created, spec: { ...created.spec, natOutgoing: true }, status: { conditions } });
      expect(withStatus.status).toEqual({ conditions });
      expect(withStatus.spec.natOutgoing).toBeUndefined();
      const specUpdate = await client.ipPools.update({ ...withStatus, spec: { ...withStatus.spec, disabled: true }, status: {} });
      expect(specUpdate.spec.disabled).toBe(true);
      expect(specUpdate.status).toEqual({ conditions });
    });

    it('rejects changing a LoadBalancer pool to Workload', async () => {
      const created = await client.ipPools.create(pool('lb', '10.5.0.0/16', { allowedUses: ['LoadBalancer'] }));
      expect(paths(await rejection(client.ipPools.update({ ...created, spec: { ...created.spec, allowedUses: ['Workload'] } })))).toContain('spec.allowedUses');
    });
  });

  describe('delete', () => {
    it('honours resourceVersion and uid preconditions and returns the object as it was', async () => {
      const created = await client.globalNetworkPolicies.create(gnp('g'));
      expect(await rejection(client.globalNetworkPolicies.delete({ name: 'g', resourceVersion: '1' }))).toBeInstanceOf(ConflictError);
      const uidErr = await rejection(client.globalNetworkPolicies.delete({ name: 'g', uid: 'not-the-uid' }));
      expect(uidErr).toBeInstanceOf(ConflictError);
      expect((uidErr as ConflictError).reason).toBe('UIDMismatch');
      expect(await client.globalNetworkPolicies.get({ name: 'g' })).toEqual(created);
      const deleted = await client.globalNetworkPolicies.delete({ name: 'g', resourceVersion: created.metadata.resourceVersion, uid: created.metadata.uid });
      expect(deleted).toEqual(created);
      expect(await rejection(client.globalNetworkPolicies.get({ name: 'g' }))).toBeInstanceOf(NotFoundError);
      expect(await rejection(client.globalNetworkPolicies.delete({ name: 'g' }))).toBeInstanceOf(NotFoundError);
    });

    it('refuses to delete built-in tiers and tiers that hold policies', async () => {
      for (const name of ['default', 'kube-admin', 'kube-baseline']) {
        expect(await rejection(client.tiers.delete({ name }))).toBeInstanceOf(NotSupportedError);
      }
      await client.tiers.create(tier('sec', 10));
      await client.globalNetworkPolicies.create(gnp('sec.g', { tier: 'sec' }));
      expect(await rejection(client.tiers.delete({ name: 'sec' }))).toBeInstanceOf(NotSupportedError);
      await client.globalNetworkPolicies.delete({ name: 'sec.g' });
      await expect(client.tiers.delete({ name: 'sec' })).resolves.toMatchObject({ metadata: { name: 'sec' } });
    });

    it('stores a new tier with order 1000000 and defaultAction Deny', async () => {
      const created = await client.tiers.create(tier('t'));
      expect(created.spec).toEqual({ order: 1000000, defaultAction: 'Deny' });
    });
  });
});
