import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../../../src/testing.js';
import { isValidationError, type AlreadyExistsError, type ConflictError, type ValidationError } from '../../../src/errors.js';
import type { KVPair } from '../../../src/backends/backend.js';
import { policy, pool, rejectionOf } from './helpers.js';

describe('memory backend revisions and preconditions', () => {
  it('starts at revision 1 and adds one per successful write only', async () => {
    const b = createMemoryBackend();
    expect(b.currentRevision()).toBe('1');
    expect((await b.list({ kind: 'IPPool' })).revision).toBe('1');
    const a = await b.create({ key: { kind: 'IPPool', name: 'a' }, value: pool('a') });
    expect(a.revision).toBe('2');
    await rejectionOf(b.create({ key: { kind: 'IPPool', name: 'a' }, value: pool('a') }));
    await rejectionOf(b.update({ ...a, revision: '1' }));
    await rejectionOf(b.delete({ kind: 'IPPool', name: 'zz' }));
    expect(b.currentRevision()).toBe('2');
    const u = await b.update(a);
    expect(u.revision).toBe('3');
    const s = await b.updateStatus({ ...u, value: { ...u.value, status: { conditions: [] } } });
    expect(s.revision).toBe('4');
    const d = await b.delete(a.key);
    expect(d.revision).toBe('4');
    expect(b.currentRevision()).toBe('5');
  });

  it('attaches the stored pair as `current` to AlreadyExists and Conflict', async () => {
    const b = createMemoryBackend();
    const a = await b.create({ key: { kind: 'IPPool', name: 'a' }, value: pool('a', 1) });
    const exists = (await rejectionOf(b.create({ key: a.key, value: pool('a', 2) }))) as AlreadyExistsError;
    expect(exists.current).toEqual(a);
    const u = await b.update({ ...a, value: pool('a', 3) });
    const conflict = (await rejectionOf(b.update({ ...a, value: pool('a', 4) }))) as ConflictError;
    expect(conflict.reason).toBe('RevisionMismatch');
    expect(conflict.current).toEqual(u);
    const uid = (await rejectionOf(b.delete(a.key, { uid: 'other' }))) as ConflictError;
    expect(uid.reason).toBe('UIDMismatch');
    expect((uid.current as KVPair).revision).toBe(u.revision);
  });

  it('never stores resourceVersion and stamps the revision on every read', async () => {
    const b = createMemoryBackend();
    const value = pool('a');
    value.metadata.resourceVersion = '12345';
    const a = await b.create({ key: { kind: 'IPPool', name: 'a' }, value });
    expect(a.value.metadata.resourceVersion).toBe('2');
    expect((await b.get(a.key)).value.metadata.resourceVersion).toBe('2');
    expect((await b.list({ kind: 'IPPool' })).items[0]?.value.metadata.resourceVersion).toBe('2');
  });

  it('stores JSON: undefined members vanish, non-JSON values are validation errors on value', async () => {
    const b = createMemoryBackend();
    const value = { ...pool('a'), spec: { cidr: '10.0.0.0/16', natOutgoing: undefined } };
    const a = await b.create({ key: { kind: 'IPPool', name: 'a' }, value });
    expect(Object.keys(a.value.spec as object)).toEqual(['cidr']);
    const cyclic = pool('b') as unknown as Record<string, unknown>;
    cyclic.self = cyclic;
    const err = (await rejectionOf(b.create({ key: { kind: 'IPPool', name: 'b' }, value: cyclic as never }))) as ValidationError;
    expect(err.errors.map((f) => f.path)).toEqual(['value']);
    expect(b.currentRevision()).toBe('2');
  });

  it.each([
    [{ kind: 'NetworkPolicy', name: 'p' }, 'key.namespace'],
    [{ kind: 'IPPool', namespace: 'x', name: 'p' }, 'key.namespace'],
    [{ kind: 'IPPool', name: '' }, 'key.name'],
    [{ kind: 'IPPool', name: 'a/b' }, 'key.name'],
    [{ kind: '', name: 'a' }, 'key.kind'],
  ])('rejects the key %j with a validation error on %s', async (key, path) => {
    const b = createMemoryBackend();
    const err = await rejectionOf(b.get(key));
    expect(isValidationError(err)).toBe(true);
    expect((err as ValidationError).errors.map((f) => f.path)).toEqual([path]);
  });

  it('keeps a storage name that differs from metadata.name, and lays keys out as etcd does', async () => {
    const b = createMemoryBackend();
    const legacy = policy('shop', 'default.allow-web');
    await b.create({ key: { kind: 'NetworkPolicy', namespace: 'shop', name: 'default.allow-web' }, value: { ...legacy, metadata: { ...legacy.metadata, name: 'allow-web' } } });
    await b.create({ key: { kind: 'IPPool', name: 'pool-a' }, value: pool('pool-a') });
    await b.create({ key: { kind: 'GlobalNetworkPolicy', name: 'g' }, value: { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'g' }, spec: {} } });
    expect(b.storageKeys()).toEqual([
      '/calico/resources/v3/projectcalico.org/globalnetworkpolicies/g',
      '/calico/resources/v3/projectcalico.org/ippools/pool-a',
      '/calico/resources/v3/projectcalico.org/networkpolicies/shop/default.allow-web',
    ]);
    const got = await b.get({ kind: 'NetworkPolicy', namespace: 'shop', name: 'default.allow-web' });
    expect(got.key.name).toBe('default.allow-web');
    expect(got.value.metadata.name).toBe('allow-web');
  });

  it('rejects update revisions that are not decimal as validation errors on metadata.resourceVersion', async () => {
    const b = createMemoryBackend();
    const a = await b.create({ key: { kind: 'IPPool', name: 'a' }, value: pool('a') });
    for (const revision of ['abc', '-1', '0', '']) {
      const err = (await rejectionOf(b.update({ ...a, revision }))) as ValidationError;
      expect(isValidationError(err)).toBe(true);
      expect(err.errors[0]?.path).toBe('metadata.resourceVersion');
    }
    const del = (await rejectionOf(b.delete(a.key, { revision: 'x1' }))) as ValidationError;
    expect(del.errors[0]?.path).toBe('preconditions.revision');
  });

  it('updateStatus with no status removes it and keeps everything else', async () => {
    const b = createMemoryBackend();
    const a = await b.create({ key: { kind: 'IPPool', name: 'a' }, value: { ...pool('a', 1, { x: 'y' }), status: { conditions: [] } } });
    const s = await b.updateStatus({ ...a, value: { ...pool('a', 9) } });
    expect(s.value.status).toBeUndefined();
    expect(s.value.spec).toEqual(a.value.spec);
    expect(s.value.metadata.labels).toEqual({ x: 'y' });
  });
});
