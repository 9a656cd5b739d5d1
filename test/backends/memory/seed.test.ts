import { describe, expect, it } from 'vitest';
import { createMemoryBackend, seedBackend } from '../../../src/testing.js';
import { UnavailableError, isAlreadyExists, isUnavailable, type ValidationError } from '../../../src/errors.js';
import { firstEvents, policy, pool, rejectionOf } from './helpers.js';

const fixed = { uid: () => 'uid-fixed', now: () => new Date('2025-03-01T09:00:00.123Z') };

describe('memory backend seeding', () => {
  it('stores each object at its own revision and stamps a missing uid and creationTimestamp', () => {
    const b = createMemoryBackend(fixed);
    const withUid = { ...pool('b'), metadata: { name: 'b', uid: 'kept', creationTimestamp: '2020-01-01T00:00:00Z' } };
    const [a, bb, p] = b.seed([pool('a'), withUid, policy('shop', 'p')]);
    expect([a?.revision, bb?.revision, p?.revision]).toEqual(['2', '3', '4']);
    expect(a?.value.metadata).toMatchObject({ uid: 'uid-fixed', creationTimestamp: '2025-03-01T09:00:00Z' });
    expect(bb?.value.metadata).toMatchObject({ uid: 'kept', creationTimestamp: '2020-01-01T00:00:00Z' });
    expect(p?.key).toEqual({ kind: 'NetworkPolicy', namespace: 'shop', name: 'p' });
  });

  it('replaces existing objects, takes explicit storage keys and notifies watches', async () => {
    const b = createMemoryBackend();
    b.seed([pool('a', 1)]);
    const events = firstEvents(b.watch({ kind: 'IPPool', revision: b.currentRevision() }), 1);
    const [again] = b.seed([pool('a', 2)]);
    expect((await events).map((e) => e.type)).toEqual(['MODIFIED']);
    expect((await b.get({ kind: 'IPPool', name: 'a' })).revision).toBe(again?.revision);
    const [legacy] = b.seed([{ key: { kind: 'NetworkPolicy', namespace: 'shop', name: 'default.p' }, value: policy('shop', 'p') }]);
    expect(legacy?.key.name).toBe('default.p');
    expect(legacy?.value.metadata.name).toBe('p');
  });

  it('validates every object before storing any', () => {
    const b = createMemoryBackend();
    let err: unknown;
    try {
      b.seed([pool('ok'), { ...policy('shop', 'p'), metadata: { name: 'p' } }]);
    } catch (e) {
      err = e;
    }
    expect((err as ValidationError).errors.map((f) => f.path)).toEqual(['metadata.namespace']);
    expect(b.currentRevision()).toBe('1');
  });

  it('seeds options.objects at creation and ignores injected failures', async () => {
    const b = createMemoryBackend({ objects: [pool('a'), pool('b')] });
    expect((await b.list({ kind: 'IPPool' })).items.map((i) => i.key.name)).toEqual(['a', 'b']);
    b.failNext('create', new UnavailableError('x'));
    expect(b.seed([pool('c')])).toHaveLength(1);
    expect(isUnavailable(await rejectionOf(b.create({ key: { kind: 'IPPool', name: 'd' }, value: pool('d') })))).toBe(true);
  });

  it('seedBackend goes through create: stamps, rejects duplicates, honours injected failures', async () => {
    const b = createMemoryBackend();
    const [a] = await seedBackend(b, [pool('a')]);
    expect(a?.value.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a?.value.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(isAlreadyExists(await rejectionOf(seedBackend(b, [pool('a')])))).toBe(true);
    b.failNext('create', new UnavailableError('x'));
    expect(isUnavailable(await rejectionOf(seedBackend(b, [pool('z')])))).toBe(true);
    const [plain] = await seedBackend(b, [pool('y')], { stamp: false });
    expect(plain?.value.metadata.uid).toBeUndefined();
    const input = pool('x');
    await seedBackend(b, [input]);
    expect(input.metadata.uid).toBeUndefined();
  });
});
