/**
 * Conformance cases for create, get, update, updateStatus and delete (backends.md §1.4, §1.6, §7).
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from './test-api.js';
import type { KVPair, ResourceObject } from '../../backends/backend.js';
import { isAlreadyExists, isConflict, isNotFound, isValidationError, type ConflictError, type NotFoundError, type ValidationError } from '../../errors.js';
import { rejectionOf, type SuiteContext } from './context.js';
import { CONFORMANCE_NAMESPACES, gnp, ipPool, keyOf, np } from './fixtures.js';
import { openTap } from './stream.js';

type Spec = Record<string, unknown>;

function withSpec(kv: KVPair, patch: Spec): ResourceObject {
  return { ...kv.value, spec: { ...(kv.value.spec as Spec), ...patch } };
}

/** Registers the write cases in the current describe block. */
export function registerWriteCases(ctx: SuiteContext): void {
  it('create stores the object and returns it with its revision', async () => {
    const b = ctx.backend();
    const obj = ipPool(`${ctx.run()}-a`, 11, { env: 'prod' });
    const given = structuredClone(obj);
    const created = await b.create({ key: keyOf(obj), value: obj });
    expect(obj).toEqual(given);
    expect(created.key).toEqual(keyOf(obj));
    expect(created.revision).toMatch(/\S/);
    expect(created.value.metadata.resourceVersion).toBe(created.revision);
    expect(created.value.metadata.name).toBe(obj.metadata.name);
    expect(created.value.metadata.labels).toEqual({ env: 'prod' });
    expect(created.value.spec).toEqual(obj.spec);
    const got = await b.get(keyOf(obj));
    expect(got.revision).toBe(created.revision);
    expect(got.value).toEqual(created.value);
  });

  it('hands out copies: changing a given or returned object changes nothing stored', async () => {
    const b = ctx.backend();
    const obj = ipPool(`${ctx.run()}-a`, 12);
    const created = await b.create({ key: keyOf(obj), value: obj });
    (obj.spec as Spec).cidr = '10.99.0.0/16';
    (created.value.spec as Spec).cidr = '10.98.0.0/16';
    created.value.metadata.labels = { changed: 'yes' };
    const got = await b.get(keyOf(obj));
    expect((got.value.spec as Spec).cidr).toBe('10.12.0.0/16');
    expect(got.value.metadata.labels).toBeUndefined();
  });

  it('get of a missing object rejects NotFound naming it', async () => {
    const key = { kind: 'IPPool', name: `${ctx.run()}-missing` };
    const err = await rejectionOf(ctx.backend().get(key));
    expect(isNotFound(err)).toBe(true);
    expect((err as NotFoundError).identifier).toEqual(key);
  });

  it('create of a taken key rejects AlreadyExists and keeps the stored object', async () => {
    const b = ctx.backend();
    const first = gnp(`${ctx.run()}-p`, 100);
    const created = await b.create({ key: keyOf(first), value: first });
    const err = await rejectionOf(b.create({ key: keyOf(first), value: gnp(`${ctx.run()}-p`, 200) }));
    expect(isAlreadyExists(err)).toBe(true);
    const got = await b.get(keyOf(first));
    expect(got.revision).toBe(created.revision);
    expect((got.value.spec as Spec).order).toBe(100);
  });

  it('concurrent creates of one key: exactly one wins, the rest get AlreadyExists', async () => {
    const b = ctx.backend();
    const name = `${ctx.run()}-p`;
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((order) => b.create({ key: { kind: 'GlobalNetworkPolicy', name }, value: gnp(name, order) })));
    const won = results.filter((r): r is PromiseFulfilledResult<KVPair> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.every((r) => isAlreadyExists(r.reason))).toBe(true);
    const got = await b.get({ kind: 'GlobalNetworkPolicy', name });
    expect(got.revision).toBe(won[0]?.value.revision);
    expect((got.value.spec as Spec).order).toBe((won[0]?.value.value.spec as Spec).order);
  });

  it('update with the revision from create succeeds once, then conflicts', async () => {
    const b = ctx.backend();
    const obj = ipPool(`${ctx.run()}-a`, 13);
    const created = await b.create({ key: keyOf(obj), value: obj });
    const updated = await b.update({ ...created, value: withSpec(created, { natOutgoing: true }) });
    expect(updated.revision).not.toBe(created.revision);
    expect(updated.value.metadata.resourceVersion).toBe(updated.revision);
    expect((updated.value.spec as Spec).natOutgoing).toBe(true);
    // A field every datastore lets change (Calico's IPPool CRD makes blockSize immutable).
    const err = await rejectionOf(b.update({ ...created, value: withSpec(created, { disabled: true }) }));
    expect(isConflict(err)).toBe(true);
    expect((err as ConflictError).reason).toBe('RevisionMismatch');
    const got = await b.get(keyOf(obj));
    expect(got.revision).toBe(updated.revision);
    expect((got.value.spec as Spec).disabled).toBeUndefined();
    const again = await b.update({ ...got, value: withSpec(got, { disabled: true }) });
    expect((again.value.spec as Spec).disabled).toBe(true);
  });

  it('update of a missing object rejects NotFound', async () => {
    const b = ctx.backend();
    const obj = ipPool(`${ctx.run()}-a`, 14);
    const created = await b.create({ key: keyOf(obj), value: obj });
    await b.delete(keyOf(obj));
    expect(isNotFound(await rejectionOf(b.update(created)))).toBe(true);
  });

  it('update without a revision is a validation error on metadata.resourceVersion', async () => {
    const b = ctx.backend();
    const obj = ipPool(`${ctx.run()}-a`, 15);
    const created = await b.create({ key: keyOf(obj), value: obj });
    const value = { ...created.value, metadata: { ...created.value.metadata, resourceVersion: undefined } };
    const err = await rejectionOf(b.update({ key: created.key, value, revision: '' }));
    expect(isValidationError(err)).toBe(true);
    expect((err as ValidationError).errors.map((f) => f.path)).toContain('metadata.resourceVersion');
    expect((await b.get(keyOf(obj))).revision).toBe(created.revision);
  });

  it('updateStatus changes only the status, under the same revision precondition', async () => {
    const b = ctx.backend();
    const obj = ipPool(`${ctx.run()}-a`, 16, { env: 'prod' });
    const created = await b.create({ key: keyOf(obj), value: obj });
    const status = { conditions: [{ type: 'Allocatable', status: 'True', lastTransitionTime: '2025-03-01T09:00:00Z', reason: 'OK', message: '' }] };
    const attempt = { ...created.value, metadata: { ...created.value.metadata, labels: { env: 'dev' } }, spec: { ...(created.value.spec as Spec), natOutgoing: true }, status };
    const done = await b.updateStatus({ ...created, value: attempt });
    expect(done.revision).not.toBe(created.revision);
    expect(done.value.status).toEqual(status);
    expect(done.value.spec).toEqual(obj.spec);
    expect(done.value.metadata.labels).toEqual({ env: 'prod' });
    const got = await b.get(keyOf(obj));
    expect(got.revision).toBe(done.revision);
    expect(got.value.status).toEqual(status);
    expect(got.value.spec).toEqual(obj.spec);
    expect(isConflict(await rejectionOf(b.updateStatus({ ...created, value: attempt })))).toBe(true);
  });

  it('concurrent updates from one revision: exactly one wins, the rest conflict', async () => {
    const b = ctx.backend();
    const obj = gnp(`${ctx.run()}-p`, 10);
    const created = await b.create({ key: keyOf(obj), value: obj });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((order) => b.update({ ...created, value: withSpec(created, { order }) })));
    const won = results.filter((r): r is PromiseFulfilledResult<KVPair> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(4);
    expect(lost.every((r) => isConflict(r.reason))).toBe(true);
    const got = await b.get(keyOf(obj));
    expect(got.revision).toBe(won[0]?.value.revision);
    expect((got.value.spec as Spec).order).toBe((won[0]?.value.value.spec as Spec).order);
  });

  it('delete returns the object as it was and removes it', async () => {
    const b = ctx.backend();
    const obj = gnp(`${ctx.run()}-p`, 10);
    const created = await b.create({ key: keyOf(obj), value: obj });
    const updated = await b.update({ ...created, value: withSpec(created, { order: 20 }) });
    const deleted = await b.delete(keyOf(obj));
    expect(deleted.key).toEqual(keyOf(obj));
    expect(deleted.revision).toBe(updated.revision);
    expect((deleted.value.spec as Spec).order).toBe(20);
    expect(isNotFound(await rejectionOf(b.get(keyOf(obj))))).toBe(true);
    expect(isNotFound(await rejectionOf(b.delete(keyOf(obj))))).toBe(true);
  });

  it('delete with a stale revision conflicts and deletes nothing', async () => {
    const b = ctx.backend();
    const obj = gnp(`${ctx.run()}-p`, 10);
    const created = await b.create({ key: keyOf(obj), value: obj });
    const updated = await b.update({ ...created, value: withSpec(created, { order: 20 }) });
    const err = await rejectionOf(b.delete(keyOf(obj), { revision: created.revision }));
    expect(isConflict(err)).toBe(true);
    expect((err as ConflictError).reason).toBe('RevisionMismatch');
    expect((await b.get(keyOf(obj))).revision).toBe(updated.revision);
    const deleted = await b.delete(keyOf(obj), { revision: updated.revision });
    expect(deleted.revision).toBe(updated.revision);
    expect(isNotFound(await rejectionOf(b.get(keyOf(obj))))).toBe(true);
  });

  it('delete with another uid conflicts with reason UIDMismatch and deletes nothing', async () => {
    const b = ctx.backend();
    const obj = gnp(`${ctx.run()}-p`, 10);
    const created = await b.create({ key: keyOf(obj), value: obj });
    const err = await rejectionOf(b.delete(keyOf(obj), { uid: randomUUID() }));
    expect(isConflict(err)).toBe(true);
    expect((err as ConflictError).reason).toBe('UIDMismatch');
    expect((await b.get(keyOf(obj))).revision).toBe(created.revision);
    const uid = created.value.metadata.uid;
    expect(uid).toMatch(/\S/);
    await b.delete(keyOf(obj), { uid });
    expect(isNotFound(await rejectionOf(b.get(keyOf(obj))))).toBe(true);
  });

  it('every successful write gets a new revision; failed writes change nothing and emit nothing', async () => {
    const b = ctx.backend();
    const run = ctx.run();
    const obj = ipPool(`${run}-a`, 17);
    const key = keyOf(obj);
    const created = await b.create({ key, value: obj });
    const updated = await b.update({ ...created, value: withSpec(created, { natOutgoing: true }) });
    const status = await b.updateStatus({ ...updated, value: { ...updated.value, status: { conditions: [] } } });
    expect(new Set([created.revision, updated.revision, status.revision]).size).toBe(3);

    const listed = await b.list({ kind: 'IPPool', name: run, namePrefix: true });
    const events = openTap(b.watch({ kind: 'IPPool', name: run, namePrefix: true, revision: listed.revision }));
    try {
      const failures = await Promise.all([
        rejectionOf(b.create({ key, value: obj })),
        rejectionOf(b.update({ ...created, value: withSpec(created, { blockSize: 30 }) })),
        rejectionOf(b.updateStatus({ ...created, value: { ...created.value, status: { conditions: [] } } })),
        rejectionOf(b.delete(key, { revision: created.revision })),
        rejectionOf(b.delete(key, { uid: randomUUID() })),
        rejectionOf(b.update({ ...created, key: { kind: 'IPPool', name: `${run}-none` } })),
        rejectionOf(b.delete({ kind: 'IPPool', name: `${run}-none` })),
      ]);
      expect(failures.map((e) => (e as { code?: string }).code)).toEqual(['AlreadyExists', 'Conflict', 'Conflict', 'Conflict', 'Conflict', 'NotFound', 'NotFound']);
      expect((await b.get(key)).revision).toBe(status.revision);
      const marker = ipPool(`${run}-marker`, 18);
      const markerKv = await b.create({ key: keyOf(marker), value: marker });
      const first = await events.next();
      expect(first.type).toBe('ADDED');
      expect(first.type === 'ADDED' && first.object.key.name).toBe(marker.metadata.name);
      expect(first.type === 'ADDED' && first.revision).toBe(markerKv.revision);
    } finally {
      events.close();
    }
  });

  it('refuses a value of another kind than its key on create, update and updateStatus, storing nothing', async () => {
    const b = ctx.backend();
    const obj = ipPool(`${ctx.run()}-a`, 19);
    const key = keyOf(obj);
    const kindErrors = (e: unknown): string[] => (isValidationError(e) ? e.errors.map((f) => f.path) : [`not a ValidationError: ${String(e)}`]);
    expect(kindErrors(await rejectionOf(b.create({ key, value: { ...obj, kind: 'Tier' } })))).toEqual(['kind']);
    expect(isNotFound(await rejectionOf(b.get(key)))).toBe(true);
    const created = await b.create({ key, value: obj });
    expect(kindErrors(await rejectionOf(b.update({ ...created, value: { ...created.value, kind: 'GlobalNetworkPolicy' } })))).toEqual(['kind']);
    expect(kindErrors(await rejectionOf(b.updateStatus({ ...created, value: { ...created.value, kind: 'Tier', status: { conditions: [] } } })))).toEqual(['kind']);
    const got = await b.get(key);
    expect(got.revision).toBe(created.revision);
    expect(got.value.kind).toBe('IPPool');
    expect(got.value.status).toBeUndefined();
  });

  it('stores a value under its key: the key names the object, not the value', async () => {
    const b = ctx.backend();
    const obj = ipPool(`${ctx.run()}-a`, 20);
    const key = keyOf(obj);
    const created = await b.create({ key, value: { ...obj, metadata: { ...obj.metadata, name: `${ctx.run()}-other` } } });
    expect(created.key).toEqual(key);
    expect(created.value.metadata.name).toBe(key.name);
    expect((await b.get(key)).value.metadata.name).toBe(key.name);
    expect(isNotFound(await rejectionOf(b.get({ kind: 'IPPool', name: `${ctx.run()}-other` })))).toBe(true);
    const [home, elsewhere] = CONFORMANCE_NAMESPACES;
    const policy = np(home, `${ctx.run()}-p`);
    const policyKey = keyOf(policy);
    const stored = await b.create({ key: policyKey, value: { ...policy, metadata: { ...policy.metadata, namespace: elsewhere } } });
    expect(stored.value.metadata.namespace).toBe(home);
    const updated = await b.update({ ...stored, value: { ...stored.value, metadata: { ...stored.value.metadata, namespace: elsewhere } } });
    expect(updated.key).toEqual(policyKey);
    expect(updated.value.metadata.namespace).toBe(home);
    expect((await b.get(policyKey)).value.metadata.namespace).toBe(home);
    expect(isNotFound(await rejectionOf(b.get({ ...policyKey, namespace: elsewhere })))).toBe(true);
  });
}
