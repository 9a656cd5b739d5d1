/**
 * etcd-specific behaviour of reads and writes beyond the conformance suite: historical reads,
 * compaction and future revisions, continue tokens, request validation, size limits, generic
 * kinds, closed backends, and writes whose answer was lost (retried without a false error and
 * without being applied twice).
 */
import { describe, expect, it } from 'vitest';
import type { ConflictError, ValidationError } from '../../../src/errors.js';
import { isAlreadyExists, isConflict, isExpired, isNotFound, isUnavailable, isValidationError } from '../../../src/errors.js';
import { createEtcdBackend } from '../../../src/backends/etcdv2/index.js';
import { compactNow } from '../../support/etcd-admin.js';
import { startTcpProxy } from '../../support/tcp-proxy.js';
import { ETCD_MISSING_MESSAGE, etcdBinary, startEtcd } from '../../support/etcd-process.js';
import { ipPool, PREFIX, rejectionOf, unique, useEtcd } from './helpers.js';

const fx = useEtcd();
const pathsOf = (e: unknown): string[] => (e as ValidationError).errors.map((f) => f.path);

describe('revisions', () => {
  it('get and list at a past revision read that snapshot; the list reports the revision asked for', async () => {
    const b = await fx.backend();
    const name = unique('hist');
    const v1 = await b.create({ key: { kind: 'IPPool', name }, value: ipPool(name, '10.1.0.0/16') });
    const v2 = await b.update({ ...v1, value: ipPool(name, '10.2.0.0/16') });
    const old = await b.get({ kind: 'IPPool', name }, { revision: v1.revision });
    expect((old.value.spec as { cidr: string }).cidr).toBe('10.1.0.0/16');
    expect(old.revision).toBe(v1.revision);
    const listed = await b.list({ kind: 'IPPool', name, revision: v1.revision });
    expect(listed.revision).toBe(v1.revision);
    expect(listed.items.map((i) => (i.value.spec as { cidr: string }).cidr)).toEqual(['10.1.0.0/16']);
    expect((await b.get({ kind: 'IPPool', name })).revision).toBe(v2.revision);
    expect(isNotFound(await rejectionOf(b.get({ kind: 'IPPool', name }, { revision: String(Number(v1.revision) - 1) })))).toBe(true);
  });

  it('reads at a compacted or future revision are Expired; revision "0" means latest', async () => {
    const b = await fx.backend();
    const name = unique('gone');
    const v1 = await b.create({ key: { kind: 'IPPool', name }, value: ipPool(name) });
    await compactNow(fx.raw());
    expect(isExpired(await rejectionOf(b.get({ kind: 'IPPool', name }, { revision: v1.revision })))).toBe(true);
    expect(isExpired(await rejectionOf(b.list({ kind: 'IPPool', revision: v1.revision })))).toBe(true);
    expect(isExpired(await rejectionOf(b.get({ kind: 'IPPool', name }, { revision: '999999999' })))).toBe(true);
    expect((await b.get({ kind: 'IPPool', name }, { revision: '0' })).revision).toBe(v1.revision);
  });

  it('malformed revisions, limits and continue tokens are validation errors naming the field', async () => {
    const b = await fx.backend();
    expect(pathsOf(await rejectionOf(b.get({ kind: 'IPPool', name: 'x' }, { revision: 'abc' })))).toEqual(['revision']);
    expect(pathsOf(await rejectionOf(b.list({ kind: 'IPPool', limit: -1 })))).toEqual(['limit']);
    expect(pathsOf(await rejectionOf(b.list({ kind: 'IPPool', continue: 'garbage' })))).toEqual(['continue']);
    const base = unique('tok');
    for (const n of ['a', 'b']) await b.create({ key: { kind: 'IPPool', name: `${base}-${n}` }, value: ipPool(`${base}-${n}`) });
    const page = await b.list({ kind: 'IPPool', name: base, namePrefix: true, limit: 1 });
    expect(page.continue).toBeTypeOf('string');
    // A token belongs to the request it came from.
    expect(pathsOf(await rejectionOf(b.list({ kind: 'Tier', continue: page.continue })))).toEqual(['continue']);
    const rest = await b.list({ kind: 'IPPool', name: base, namePrefix: true, limit: 1, continue: page.continue });
    expect(rest.items.map((i) => i.key.name)).toEqual([`${base}-b`]);
    expect(rest.revision).toBe(page.revision);
    expect(isValidationError(await rejectionOf(b.update({ key: { kind: 'IPPool', name: `${base}-a` }, value: ipPool(`${base}-a`), revision: '' })))).toBe(true);
  });
});

describe('writes', () => {
  it('AlreadyExists and Conflict carry the stored object', async () => {
    const b = await fx.backend();
    const name = unique('cur');
    const v1 = await b.create({ key: { kind: 'IPPool', name }, value: ipPool(name) });
    const v2 = await b.update({ ...v1, value: ipPool(name, '10.3.0.0/16') });
    const exists = await rejectionOf(b.create({ key: { kind: 'IPPool', name }, value: ipPool(name) }));
    expect(isAlreadyExists(exists)).toBe(true);
    expect((exists as { current: { revision: string } }).current.revision).toBe(v2.revision);
    const conflict = await rejectionOf(b.update({ ...v1, value: ipPool(name, '10.4.0.0/16') }));
    expect(isConflict(conflict)).toBe(true);
    expect((conflict as ConflictError).reason).toBe('RevisionMismatch');
    expect((conflict as { current: { revision: string } }).current.revision).toBe(v2.revision);
  });

  it('delete with a matching uid and revision deletes exactly that key', async () => {
    const b = await fx.backend();
    const name = unique('del');
    const v1 = await b.create({ key: { kind: 'IPPool', name }, value: ipPool(name) });
    const deleted = await b.delete({ kind: 'IPPool', name }, { uid: `uid-${name}`, revision: v1.revision });
    expect(deleted.revision).toBe(v1.revision);
    expect(await fx.raw().get(`${PREFIX}ippools/${name}`).exists()).toBe(false);
  });

  it('bad keys are validation errors naming key fields', async () => {
    const b = await fx.backend();
    expect(pathsOf(await rejectionOf(b.get({ kind: 'NetworkPolicy', name: 'p' })))).toEqual(['key.namespace']);
    expect(pathsOf(await rejectionOf(b.get({ kind: 'IPPool', name: 'a/b' })))).toEqual(['key.name']);
    expect(pathsOf(await rejectionOf(b.get({ kind: 'IPPool', namespace: 'ns', name: 'a' })))).toEqual(['key.namespace']);
    expect(pathsOf(await rejectionOf(b.get({ kind: '', name: 'a' })))).toEqual(['key.kind']);
  });

  it('kinds outside the model use Calico\'s plural key segment', async () => {
    const b = await fx.backend();
    const value = { apiVersion: 'projectcalico.org/v3', kind: 'FelixConfiguration', metadata: { name: 'default' }, spec: { logSeverityScreen: 'Info' } };
    await b.create({ key: { kind: 'FelixConfiguration', name: 'default' }, value });
    expect(await fx.raw().get(`${PREFIX}felixconfigurations/default`).exists()).toBe(true);
    const policy = { apiVersion: 'projectcalico.org/v3', kind: 'BGPPolicy', metadata: { name: 'x' }, spec: {} };
    await b.create({ key: { kind: 'BGPPolicy', name: 'x' }, value: policy });
    expect(await fx.raw().get(`${PREFIX}bgppolicies/x`).exists()).toBe(true);
  });

  it('a value over etcd\'s request limit is refused before sending, and the connection stays usable', async () => {
    const b = await fx.backend();
    const name = unique('big');
    const big = ipPool(name);
    big.metadata.annotations = { blob: 'x'.repeat(2 * 1024 * 1024) };
    const e = await rejectionOf(b.create({ key: { kind: 'IPPool', name }, value: big }));
    expect(pathsOf(e)).toEqual(['value']);
    const ok = await b.create({ key: { kind: 'IPPool', name }, value: ipPool(name) });
    expect(ok.revision).toMatch(/^\d+$/);
  });

  it('a closed backend rejects with Unavailable', async () => {
    const b = await fx.backend();
    await b.close();
    expect(isUnavailable(await rejectionOf(b.get({ kind: 'IPPool', name: 'x' })))).toBe(true);
    await b.close();
  });
});

describe('writes whose answer is lost', () => {
  it('create and update are retried once the member answers again, applied once, and reported as successes', async () => {
    const member = new URL(fx.etcd().endpoints[0] as string);
    const proxy = await startTcpProxy(Number(member.port));
    const b = await createEtcdBackend({ endpoints: [`http://${proxy.address}`], callTimeoutMs: 300 });
    try {
      const name = unique('lost');
      proxy.setDropResponses(true);
      const pending = b.create({ key: { kind: 'IPPool', name }, value: ipPool(name) });
      // Let the request reach etcd and its deadline pass, then let answers through again.
      setTimeout(() => proxy.setDropResponses(false), 900);
      const created = await pending;
      const raw = (await fx.raw().get(`${PREFIX}ippools/${name}`).exec()).kvs[0];
      expect(raw?.version).toBe('1');
      expect(created.revision).toBe(raw?.mod_revision);

      proxy.setDropResponses(true);
      const update = b.update({ ...created, value: ipPool(name, '10.9.0.0/16') });
      setTimeout(() => proxy.setDropResponses(false), 900);
      const updated = await update;
      const after = (await fx.raw().get(`${PREFIX}ippools/${name}`).exec()).kvs[0];
      expect(after?.version).toBe('2');
      expect(updated.revision).toBe(after?.mod_revision);

      proxy.setDropResponses(true);
      const removal = b.delete({ kind: 'IPPool', name });
      setTimeout(() => proxy.setDropResponses(false), 900);
      const deleted = await removal;
      expect(deleted.revision).toBe(updated.revision);
      expect(await fx.raw().get(`${PREFIX}ippools/${name}`).exists()).toBe(false);
    } finally {
      await b.close();
      await proxy.close();
    }
  });

  it('an unreachable datastore fails with Unavailable naming the endpoint once the retry window is used up', async () => {
    const member = new URL(fx.etcd().endpoints[0] as string);
    const proxy = await startTcpProxy(Number(member.port));
    const b = await createEtcdBackend({ endpoints: [`http://${proxy.address}`], callTimeoutMs: 200, retryWindowMs: 800 });
    try {
      proxy.setRefusing(true);
      proxy.cutAll();
      const e = await rejectionOf(b.get({ kind: 'IPPool', name: 'x' }));
      expect(isUnavailable(e)).toBe(true);
      expect((e as Error).message).toContain(proxy.address);
      proxy.setRefusing(false);
      // Once the member is reachable again (and its breaker half-opens), reads work again.
      let after: unknown;
      for (let i = 0; i < 20; i++) {
        after = await rejectionOf(b.get({ kind: 'IPPool', name: unique('back') }));
        if (!isUnavailable(after)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(isNotFound(after)).toBe(true);
    } finally {
      await b.close();
      await proxy.close();
    }
  });
});

describe('connection notices', () => {
  it('with DATASTORE_TYPE=etcdv2 and no v3 data, warns once that Calico 2.x data is not visible', async () => {
    const empty = await startEtcd();
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w);
    };
    process.on('warning', onWarning);
    try {
      const legacy = await createEtcdBackend({ endpoints: empty.endpoints, datastoreType: 'etcdv2' });
      await legacy.close();
      const current = await createEtcdBackend({ endpoints: empty.endpoints });
      await current.close();
      await new Promise((r) => setImmediate(r));
      const notices = warnings.filter((w) => (w as { code?: string }).code === 'CALICO_ETCDV2_NO_V3_DATA');
      expect(notices).toHaveLength(1);
      expect(notices[0]?.message).toContain('etcd v2 API');
    } finally {
      process.off('warning', onWarning);
      await empty.stop();
    }
  });

  it('the test harness names the Debian package when etcd is missing', () => {
    const saved = process.env.ETCD_BINARY;
    delete process.env.ETCD_BINARY;
    try {
      expect(() => etcdBinary('/nonexistent-dir', '/nonexistent/etcd')).toThrow(ETCD_MISSING_MESSAGE);
      expect(ETCD_MISSING_MESSAGE).toContain('etcd-server');
    } finally {
      if (saved !== undefined) process.env.ETCD_BINARY = saved;
    }
  });
});
