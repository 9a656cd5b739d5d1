import { describe, expect, it } from 'vitest';
import { createMemoryBackend, type MemoryBackend } from '../../../src/testing.js';
import { isExpired, type ValidationError } from '../../../src/errors.js';
import type { KVPair } from '../../../src/backends/backend.js';
import { allEvents, firstEvents, pool, rejectionOf } from './helpers.js';

/** Creates `a`, then updates it `n` times; returns every state. */
async function churn(b: MemoryBackend, n: number): Promise<KVPair[]> {
  const states = [await b.create({ key: { kind: 'IPPool', name: 'a' }, value: pool('a', 0) })];
  for (let i = 1; i <= n; i++) {
    const last = states[states.length - 1] as KVPair;
    states.push(await b.update({ ...last, value: pool('a', i) }));
  }
  return states;
}

const pathsOf = (e: unknown): string[] => (e as ValidationError).errors.map((f) => f.path);

describe('memory backend history window', () => {
  it('reads any revision inside the window and Expired before it', async () => {
    const b = createMemoryBackend({ historyWindow: 3 });
    const states = await churn(b, 5); // revisions 2..7, current 7, oldest readable 4
    expect(b.currentRevision()).toBe('7');
    for (const s of states.slice(2)) {
      expect((await b.get(s.key, { revision: s.revision })).value.spec).toEqual(s.value.spec);
      expect((await b.list({ kind: 'IPPool', revision: s.revision })).items[0]?.revision).toBe(s.revision);
    }
    for (const s of states.slice(0, 2)) {
      expect(isExpired(await rejectionOf(b.get(s.key, { revision: s.revision })))).toBe(true);
      expect(isExpired(await rejectionOf(b.list({ kind: 'IPPool', revision: s.revision })))).toBe(true);
    }
    const [expired] = await allEvents(b.watch({ kind: 'IPPool', revision: '3' }));
    expect(expired?.type === 'ERROR' && isExpired(expired.error)).toBe(true);
    const replay = await firstEvents(b.watch({ kind: 'IPPool', revision: '4' }), 3);
    expect(replay.map((e) => e.type === 'MODIFIED' && e.revision)).toEqual(['5', '6', '7']);
  });

  it('treats a revision newer than the store as Expired on get, list and watch', async () => {
    const b = createMemoryBackend();
    await churn(b, 1);
    expect(isExpired(await rejectionOf(b.get({ kind: 'IPPool', name: 'a' }, { revision: '99' })))).toBe(true);
    expect(isExpired(await rejectionOf(b.list({ kind: 'IPPool', revision: '99' })))).toBe(true);
    const events = await allEvents(b.watch({ kind: 'IPPool', revision: '99' }));
    expect(events.map((e) => e.type)).toEqual(['ERROR']);
  });

  it('reads at a revision where the object did not exist yet, or no longer, give NotFound and empty lists', async () => {
    const b = createMemoryBackend();
    const a = await b.create({ key: { kind: 'IPPool', name: 'a' }, value: pool('a') });
    await b.delete(a.key);
    expect((await rejectionOf(b.get(a.key, { revision: '1' })) as { code: string }).code).toBe('NotFound');
    expect((await b.get(a.key, { revision: '2' })).revision).toBe('2');
    expect((await b.list({ kind: 'IPPool', revision: '1' })).items).toEqual([]);
    expect((await b.list({ kind: 'IPPool', revision: '3' })).items).toEqual([]);
    expect((await b.list({ kind: 'IPPool', revision: '0' })).revision).toBe('3');
  });

  it('compact(revision) drops older revisions only; compact() drops all but the current one', async () => {
    const b = createMemoryBackend();
    const states = await churn(b, 4); // revisions 2..6
    b.compact('4');
    expect(isExpired(await rejectionOf(b.get(states[1]!.key, { revision: '3' })))).toBe(true);
    expect((await b.get(states[2]!.key, { revision: '4' })).revision).toBe('4');
    b.compact();
    expect(isExpired(await rejectionOf(b.get(states[2]!.key, { revision: '5' })))).toBe(true);
    expect((await b.list({ kind: 'IPPool', revision: '6' })).items).toHaveLength(1);
    expect(pathsOf(await rejectionOf(Promise.resolve().then(() => b.compact('70'))))).toEqual(['revision']);
    b.compact('2'); // never moves backwards
    expect(isExpired(await rejectionOf(b.get(states[2]!.key, { revision: '5' })))).toBe(true);
  });

  it('keeps open watches running across compaction', async () => {
    const b = createMemoryBackend();
    const [a] = await churn(b, 0);
    const events = firstEvents(b.watch({ kind: 'IPPool', revision: a!.revision }), 2);
    await b.update({ ...a!, value: pool('a', 5) });
    b.compact();
    const latest = await b.get(a!.key);
    await b.update({ ...latest, value: pool('a', 6) });
    expect((await events).map((e) => e.type === 'MODIFIED' && e.revision)).toEqual(['3', '4']);
  });

  it('expires continue tokens whose revision left the window, and rejects foreign ones', async () => {
    const b = createMemoryBackend({ historyWindow: 2 });
    for (const n of ['a', 'b', 'c']) await b.create({ key: { kind: 'IPPool', name: n }, value: pool(n) });
    const first = await b.list({ kind: 'IPPool', limit: 1 });
    expect(first.continue).toBeDefined();
    const second = await b.list({ kind: 'IPPool', limit: 1, continue: first.continue });
    expect(second.items.map((i) => i.key.name)).toEqual(['b']);
    const c = await b.get({ kind: 'IPPool', name: 'c' });
    const c2 = await b.update({ ...c, value: pool('c', 2) });
    const c3 = await b.update({ ...c2, value: pool('c', 3) });
    await b.update({ ...c3, value: pool('c', 4) }); // current 8, oldest readable 6 > 4
    expect(isExpired(await rejectionOf(b.list({ kind: 'IPPool', limit: 1, continue: first.continue })))).toBe(true);
    for (const token of ['garbage', Buffer.from('{"r":"x"}').toString('base64url'), Buffer.from('[1]').toString('base64url')]) {
      expect(pathsOf(await rejectionOf(b.list({ kind: 'IPPool', continue: token })))).toEqual(['continue']);
    }
  });

  it.each([
    [{ kind: 'IPPool', limit: -1 }, 'limit'],
    [{ kind: 'IPPool', limit: 1.5 }, 'limit'],
    [{ kind: 'IPPool', revision: 'abc' }, 'revision'],
    [{ kind: 'IPPool', revision: '2', continue: 'x' }, 'continue'],
    [{ kind: '' }, 'kind'],
    [{ kind: 'IPPool', labelSelector: 'a in b' }, 'labelSelector'],
  ])('list %j is a validation error on %s', async (request, path) => {
    const b = createMemoryBackend();
    expect(pathsOf(await rejectionOf(b.list(request)))).toEqual([path]);
  });

  it('limit 0 means no limit, and a limit equal to the remaining items gives no continue', async () => {
    const b = createMemoryBackend();
    for (const n of ['a', 'b']) await b.create({ key: { kind: 'IPPool', name: n }, value: pool(n) });
    expect((await b.list({ kind: 'IPPool', limit: 0 })).items).toHaveLength(2);
    const exact = await b.list({ kind: 'IPPool', limit: 2 });
    expect(exact.items).toHaveLength(2);
    expect(exact.continue).toBeUndefined();
  });

  it('rejects a negative or fractional history window', () => {
    for (const historyWindow of [-1, 1.5, Number.NaN]) {
      let err: unknown;
      try {
        createMemoryBackend({ historyWindow });
      } catch (e) {
        err = e;
      }
      expect(pathsOf(err)).toEqual(['historyWindow']);
    }
  });
});
