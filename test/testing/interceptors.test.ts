/**
 * `withInterceptors`: hooks that call through, fail, delay and alter, on the memory backend and on
 * a real etcd, and through the client.
 */
import { firstValueFrom, map, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backends/backend.js';
import { createEtcdBackend } from '../../src/backends/etcdv2/index.js';
import { createClient } from '../../src/client.js';
import { UnavailableError, isUnavailable } from '../../src/errors.js';
import { createMemoryBackend, withInterceptors } from '../../src/testing.js';
import { startEtcd, type EtcdHandle } from '../support/etcd-process.js';

const pool = (name: string, cidr: string) => ({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name }, spec: { cidr } });

let etcd: EtcdHandle;
beforeAll(async () => {
  etcd = await startEtcd();
}, 60_000);
afterAll(async () => {
  await etcd?.stop();
});

const BACKENDS: readonly { name: string; make(): Promise<Backend> }[] = [
  { name: 'memory', make: async () => createMemoryBackend() },
  { name: 'etcd', make: () => createEtcdBackend({ endpoints: etcd.endpoints }) },
];

describe.each(BACKENDS)('withInterceptors on $name', ({ make }) => {
  it('passes operations without a hook straight through, with the same capabilities', async () => {
    const inner = await make();
    const wrapped = withInterceptors(inner, {});
    try {
      expect(wrapped.capabilities).toEqual(inner.capabilities);
      const name = `through-${Date.now().toString(36)}`;
      const created = await wrapped.create({ key: { kind: 'IPPool', name }, value: pool(name, '10.1.0.0/16') });
      expect((await inner.get({ kind: 'IPPool', name })).revision).toBe(created.revision);
      await wrapped.delete({ kind: 'IPPool', name });
    } finally {
      await wrapped.close();
    }
  });

  it('fails, delays and alters single operations, calling through otherwise', async () => {
    const inner = await make();
    let creates = 0;
    const seen: string[] = [];
    const wrapped = withInterceptors(inner, {
      create: (b, kv, options) => (++creates === 2 ? Promise.reject(new UnavailableError('injected')) : b.create(kv, options)),
      get: async (b, key, options) => {
        seen.push(key.name);
        await new Promise((r) => setTimeout(r, 5));
        const kv = await b.get(key, options);
        return { ...kv, value: { ...kv.value, metadata: { ...kv.value.metadata, labels: { intercepted: 'yes' } } } };
      },
      list: () => {
        throw new UnavailableError('list is down');
      },
    });
    try {
      const base = `hooks-${Date.now().toString(36)}`;
      await wrapped.create({ key: { kind: 'IPPool', name: `${base}-a` }, value: pool(`${base}-a`, '10.2.0.0/16') });
      const failed = await wrapped.create({ key: { kind: 'IPPool', name: `${base}-b` }, value: pool(`${base}-b`, '10.3.0.0/16') }).catch((e: unknown) => e);
      expect(isUnavailable(failed)).toBe(true);
      await expect(inner.get({ kind: 'IPPool', name: `${base}-b` })).rejects.toThrow();
      const got = await wrapped.get({ kind: 'IPPool', name: `${base}-a` });
      expect(got.value.metadata.labels).toEqual({ intercepted: 'yes' });
      expect(seen).toEqual([`${base}-a`]);
      // A hook that throws synchronously rejects, as the operation would.
      const listed = wrapped.list({ kind: 'IPPool' });
      await expect(listed).rejects.toBeInstanceOf(UnavailableError);
      await inner.delete({ kind: 'IPPool', name: `${base}-a` });
    } finally {
      await wrapped.close();
    }
  });

  it('replaces watch per subscription', async () => {
    const inner = await make();
    let subscriptions = 0;
    const wrapped = withInterceptors(inner, {
      watch: (b, request) => {
        subscriptions++;
        return b.watch(request).pipe(map((e) => (e.type === 'ADDED' ? { ...e, revision: `seen:${e.revision}` } : e)));
      },
    });
    try {
      const name = `watch-${Date.now().toString(36)}`;
      await inner.create({ key: { kind: 'IPPool', name }, value: pool(name, '10.4.0.0/16') });
      const watch$ = wrapped.watch({ kind: 'IPPool', name });
      expect(subscriptions).toBe(0);
      const [first] = await firstValueFrom(watch$.pipe(take(1), toArray()));
      expect(subscriptions).toBe(1);
      expect(first?.type === 'ADDED' && first.revision.startsWith('seen:')).toBe(true);
      await inner.delete({ kind: 'IPPool', name });
    } finally {
      await wrapped.close();
    }
  });
});

describe('withInterceptors under the client', () => {
  it('shows an injected write failure as the client error, writing nothing', async () => {
    const backend = withInterceptors(createMemoryBackend(), {
      create: (b, kv, options) => (kv.key.kind === 'IPPool' ? Promise.reject(new UnavailableError('injected')) : b.create(kv, options)),
    });
    const client = createClient({ backend, ipPoolDeleteDelayMs: 0 });
    try {
      await expect(client.ipPools.create(pool('p', '10.5.0.0/16') as never)).rejects.toBeInstanceOf(UnavailableError);
      expect((await client.ipPools.list()).items).toEqual([]);
    } finally {
      await client.close();
      await backend.close();
    }
  });
});
