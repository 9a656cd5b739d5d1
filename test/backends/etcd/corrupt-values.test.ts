/**
 * Values that do not decode: get fails with ParseError naming the key (never the value), list
 * skips them and reports each to `onParseError` while returning the rest, and a watch emits an
 * ERROR Parse event and carries on.
 */
import { describe, expect, it } from 'vitest';
import { isParseError, ParseError } from '../../../src/errors.js';
import { ipPool, networkPolicy, PREFIX, rejectionOf, tap, unique, useEtcd } from './helpers.js';

const fx = useEtcd();
const SECRET = 'hunter2-do-not-print';
const CORRUPT = `{"kind":"IPPool","metadata":{"name":"x"},"spec":{"password":"${SECRET}"`;

describe('corrupt values', () => {
  it('get rejects with ParseError naming the key and not the value', async () => {
    const b = await fx.backend();
    const name = unique('bad');
    const key = `${PREFIX}ippools/${name}`;
    await fx.raw().put(key).value(CORRUPT);
    const e = await rejectionOf(b.get({ kind: 'IPPool', name }));
    expect(isParseError(e)).toBe(true);
    expect((e as ParseError).key).toBe(key);
    expect((e as Error).message).toContain(key);
    expect((e as Error).message).not.toContain(SECRET);
    expect(String((e as Error).stack)).not.toContain(SECRET);
  });

  it.each([
    ['not JSON', CORRUPT],
    ['not an object', '[1,2,3]'],
    ['another kind', '{"kind":"Node","apiVersion":"projectcalico.org/v3","metadata":{"name":"x"}}'],
    ['metadata not an object', '{"kind":"IPPool","metadata":"x"}'],
  ])('list skips a value that is %s, reports it, and returns every other item', async (_what, text) => {
    const reports: ParseError[] = [];
    const b = await fx.backend({ pageSize: 2, onParseError: (err) => reports.push(err) });
    const base = unique('mixed');
    for (const n of ['a', 'c', 'e']) await b.create({ key: { kind: 'IPPool', name: `${base}-${n}` }, value: ipPool(`${base}-${n}`) });
    await fx.raw().put(`${PREFIX}ippools/${base}-b`).value(text);
    const listed = await b.list({ kind: 'IPPool', name: base, namePrefix: true });
    expect(listed.items.map((i) => i.key.name)).toEqual([`${base}-a`, `${base}-c`, `${base}-e`]);
    expect(reports.map((r) => r.key)).toEqual([`${PREFIX}ippools/${base}-b`]);
    expect(reports.every((r) => !r.message.includes(SECRET))).toBe(true);
  });

  it('without a hook, list reports a skipped entry as a process warning naming the key', async () => {
    const b = await fx.backend();
    const name = unique('warn');
    await fx.raw().put(`${PREFIX}ippools/${name}`).value(CORRUPT);
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w);
    };
    process.on('warning', onWarning);
    try {
      const listed = await b.list({ kind: 'IPPool', name });
      expect(listed.items).toEqual([]);
      await new Promise((r) => setImmediate(r));
      const mine = warnings.filter((w) => w.message.includes(`${PREFIX}ippools/${name}`));
      expect(mine).toHaveLength(1);
      expect(mine[0]?.message).not.toContain(SECRET);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('a policy whose metadata annotation is not JSON is a ParseError', async () => {
    const b = await fx.backend();
    const ns = unique('ns');
    const bad = networkPolicy(ns, 'p');
    bad.metadata.annotations = { 'projectcalico.org/metadata': '{not json' };
    await fx.raw().put(`${PREFIX}networkpolicies/${ns}/p`).value(JSON.stringify(bad));
    const e = await rejectionOf(b.get({ kind: 'NetworkPolicy', namespace: ns, name: 'p' }));
    expect(isParseError(e)).toBe(true);
    expect((e as Error).message).toContain('projectcalico.org/metadata');
  });

  it('a watch emits ERROR Parse for a corrupt write and keeps delivering later events', async () => {
    const b = await fx.backend();
    const base = unique('w');
    const events = tap(b.watch({ kind: 'IPPool', name: base, namePrefix: true }));
    try {
      await new Promise((r) => setTimeout(r, 100));
      await fx.raw().put(`${PREFIX}ippools/${base}-bad`).value(CORRUPT);
      const good = await b.create({ key: { kind: 'IPPool', name: `${base}-good` }, value: ipPool(`${base}-good`) });
      await events.until((evs) => evs.some((e) => e.type === 'ADDED'));
      expect(events.events.map((e) => e.type)).toEqual(['ERROR', 'ADDED']);
      const [error, added] = events.events;
      expect(error?.type === 'ERROR' && error.error instanceof ParseError && error.error.key).toBe(`${PREFIX}ippools/${base}-bad`);
      expect(error?.type === 'ERROR' && error.error.message.includes(SECRET)).toBe(false);
      expect(added?.type === 'ADDED' && added.revision).toBe(good.revision);
      expect(events.done()).toBe(false);
    } finally {
      events.stop();
    }
  });

  it("a watch's initial state reports a corrupt entry as ERROR Parse between the ADDED items", async () => {
    const b = await fx.backend({ pageSize: 1 });
    const base = unique('init');
    await b.create({ key: { kind: 'IPPool', name: `${base}-a` }, value: ipPool(`${base}-a`) });
    await fx.raw().put(`${PREFIX}ippools/${base}-b`).value(CORRUPT);
    await b.create({ key: { kind: 'IPPool', name: `${base}-c` }, value: ipPool(`${base}-c`) });
    const events = tap(b.watch({ kind: 'IPPool', name: base, namePrefix: true }));
    try {
      await events.until((evs) => evs.length >= 3);
      expect(events.events.map((e) => e.type)).toEqual(['ADDED', 'ERROR', 'ADDED']);
    } finally {
      events.stop();
    }
  });
});
