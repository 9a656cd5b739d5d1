import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinResources } from './builtins.js';
import { evalCel } from './cel-eval.js';
import { parseCel } from './cel-parser.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { parseFieldSelector } from './field-selector.js';
import { isSelectorError, parseLabelSelector } from './label-selector.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patch.js';
import { isApiFailure } from './status.js';
import { createStore } from './store.js';
import type { JsonValue, ResourceDefinition } from './types.js';

const pods = builtinResources().find((d) => d.plural === 'pods') as ResourceDefinition;

describe('label selectors', () => {
  const key = fc.constantFrom('app', 'env', 'tier', 'example.com/team');
  const value = fc.constantFrom('a', 'b', 'prod', 'x-1');
  const labels = fc.dictionary(key, value, { maxKeys: 4 });
  type Req = { key: string; op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!'; values: string[] };
  const requirement: fc.Arbitrary<Req> = fc.record({
    key,
    op: fc.constantFrom('=' as const, '!=' as const, 'in' as const, 'notin' as const, 'exists' as const, '!' as const),
    values: fc.uniqueArray(value, { minLength: 1, maxLength: 3 }),
  });
  const render = (r: Req): string =>
    r.op === 'exists' ? r.key : r.op === '!' ? `!${r.key}` : r.op === 'in' || r.op === 'notin' ? `${r.key} ${r.op} (${r.values.join(', ')})` : `${r.key}${r.op}${r.values[0]}`;
  const reference = (r: Req, l: Record<string, string>): boolean => {
    const has = r.key in l;
    switch (r.op) {
      case 'exists':
        return has;
      case '!':
        return !has;
      case '=':
        return has && l[r.key] === r.values[0];
      case '!=':
        return !has || l[r.key] !== r.values[0];
      case 'in':
        return has && r.values.includes(l[r.key] as string);
      case 'notin':
        return !has || !r.values.includes(l[r.key] as string);
    }
  };

  it('matches like the reference semantics of Kubernetes requirements (property)', () => {
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 4 }), labels, (reqs, l) => {
        const sel = parseLabelSelector(reqs.map(render).join(','));
        expect(sel.matches(l)).toBe(reqs.every((r) => reference(r, l)));
      }),
      { numRuns: 300 },
    );
  });

  it('accepts the empty selector (matches everything) and whitespace', () => {
    expect(parseLabelSelector('').matches({})).toBe(true);
    expect(parseLabelSelector(' app = a , env notin ( prod ) ').matches({ app: 'a', env: 'b' })).toBe(true);
  });

  it('reads empty values: "key=", "in ()" and empty elements', () => {
    expect(parseLabelSelector('app=').matches({ app: '' })).toBe(true);
    expect(parseLabelSelector('app in ()').requirements[0]?.values).toEqual(['']);
    // Values form a sorted set, as in the server's parser.
    expect(parseLabelSelector('app in (b,,a,b)').requirements[0]?.values).toEqual(['', 'a', 'b']);
  });

  it.each(['app in a', 'app in (a', '!app=a', 'app=a=b', 'a b', 'app>x', 'bad key=1', 'app=a b', '=a'])('rejects %j', (text) => {
    let thrown: unknown;
    try {
      parseLabelSelector(text);
    } catch (e) {
      thrown = e;
    }
    expect(isSelectorError(thrown)).toBe(true);
  });
});

describe('field selectors', () => {
  it('parses =, ==, != and escapes', () => {
    const sel = parseFieldSelector('spec.nodeName==n\\,1,metadata.name!=x', pods);
    expect(sel.terms).toEqual([
      { field: 'metadata.name', operator: '!=', value: 'x' },
      { field: 'spec.nodeName', operator: '=', value: 'n,1' },
    ]);
    expect(sel.matches({ metadata: { name: 'y' }, spec: { nodeName: 'n,1' } })).toBe(true);
    expect(parseFieldSelector('metadata.name=a', pods).exactName()).toBe('a');
  });

  it('rejects unknown fields and bad syntax', () => {
    expect(() => parseFieldSelector('spec.foo=1', pods)).toThrow('field label not supported: spec.foo');
    expect(() => parseFieldSelector('metadata.name', pods)).toThrow(/can't understand/);
  });
});

describe('patches', () => {
  it('JSON Patch: RFC 6902 operations', () => {
    const doc: JsonValue = { a: { b: [1, 2] }, c: 'x' };
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/a/b/1', value: 9 },
      { op: 'add', path: '/a/b/-', value: 3 },
      { op: 'move', from: '/c', path: '/d' },
      { op: 'copy', from: '/d', path: '/e~1f' },
      { op: 'test', path: '/a/b', value: [1, 9, 2, 3] },
    ]);
    expect(out).toEqual({ a: { b: [1, 9, 2, 3] }, d: 'x', 'e/f': 'x' });
    expect(doc).toEqual({ a: { b: [1, 2] }, c: 'x' });
    const fail = (patch: JsonValue): number => {
      try {
        applyJsonPatch(doc, patch);
      } catch (e) {
        return isApiFailure(e) ? e.k8sStatus.code : -1;
      }
      return 0;
    };
    expect(fail([{ op: 'remove', path: '/nope' }])).toBe(422);
    expect(fail([{ op: 'replace', path: '/a/b/5', value: 1 }])).toBe(422);
    expect(fail({ op: 'add' })).toBe(400);
  });

  it('Merge Patch: RFC 7386 examples', () => {
    expect(applyMergePatch({ a: 'b' }, { a: 'c' })).toEqual({ a: 'c' });
    expect(applyMergePatch({ a: 'b' }, { b: 'c' })).toEqual({ a: 'b', b: 'c' });
    expect(applyMergePatch({ a: 'b' }, { a: null })).toEqual({});
    expect(applyMergePatch({ a: [{ b: 'c' }] }, { a: [1] })).toEqual({ a: [1] });
    expect(applyMergePatch({ e: null }, { a: 1 })).toEqual({ e: null, a: 1 });
    expect(applyMergePatch({}, { a: { bb: { ccc: null } } })).toEqual({ a: { bb: {} } });
  });

  it('Strategic merge: directives', () => {
    const doc: JsonValue = { metadata: { finalizers: ['a', 'b'], labels: { x: '1', y: '2' } }, spec: { containers: [{ name: 'c', image: 'i', env: [{ name: 'A', value: '1' }] }] } };
    expect(applyStrategicMergePatch(doc, { metadata: { finalizers: ['c', 'a'] } })).toMatchObject({
      metadata: { finalizers: ['a', 'b', 'c'] },
    });
    expect(applyStrategicMergePatch(doc, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } })).toMatchObject({ metadata: { finalizers: ['b'] } });
    expect(applyStrategicMergePatch(doc, { metadata: { labels: { $patch: 'replace', z: '3' } } })).toMatchObject({ metadata: { labels: { z: '3' } } });
    expect(applyStrategicMergePatch(doc, { metadata: { labels: { $retainKeys: ['x'] } } })).toMatchObject({ metadata: { labels: { x: '1' } } });
    const env = applyStrategicMergePatch(doc, { spec: { containers: [{ name: 'c', env: [{ name: 'B', value: '2' }] }] } }) as { spec: { containers: { env: unknown[]; image: string }[] } };
    expect(env.spec.containers[0]).toEqual({ name: 'c', image: 'i', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] });
  });
});

describe('CEL subset', () => {
  const run = (expr: string, self: unknown, oldSelf?: unknown): unknown => {
    const vars = new Map<string, unknown>([['self', self]]);
    if (oldSelf !== undefined) vars.set('oldSelf', oldSelf);
    return evalCel(parseCel(expr), vars);
  };

  it('evaluates operators, has(), macros and string functions', () => {
    expect(run('self.a + 1 == 3 && self.s.startsWith("ab")', { a: 2, s: 'abc' })).toBe(true);
    expect(run('has(self.x) ? self.x : "none"', {})).toBe('none');
    expect(run('self.l.exists(i, i > 2) && self.l.all(i, i > 0) && self.l.exists_one(i, i == 3)', { l: [1, 3] })).toBe(true);
    expect(run('self.l.map(i, i * 2)', { l: [1, 2] })).toEqual([2, 4]);
    expect(run('self.l.filter(i, i % 2 == 0)', { l: [1, 2, 4] })).toEqual([2, 4]);
    expect(run("size(self.s) == 3 && 'b' in self.l && self.s.matches('^(?i)A')", { s: 'abc', l: ['a', 'b'] })).toBe(true);
    expect(run('self == oldSelf', 'a', 'a')).toBe(true);
    expect(run('7 / 2 == 3 && -self.n == -4', { n: 4 })).toBe(true);
  });

  it('has CEL error semantics: missing keys error, && / || absorb errors, cross-type equality is false', () => {
    expect(() => run('self.missing == 1', {})).toThrow('no such key: missing');
    expect(run('false && self.missing == 1', {})).toBe(false);
    expect(run('self.missing == 1 || true', {})).toBe(true);
    expect(run("self.p == 'TCP' || self.p == 6", { p: 6 })).toBe(true);
    expect(run("self.p == 6", { p: 'TCP' })).toBe(false);
    expect(() => run("self.p < 'a'", { p: 1 })).toThrow(/no such overload/);
  });

  it('implements the IP/CIDR library used by Calico rules', () => {
    expect(run("cidr('10.0.0.0/8').containsIP('10.1.2.3')", null)).toBe(true);
    expect(run("cidr('10.0.0.1/8') == cidr('10.0.0.1/8').masked()", null)).toBe(false);
    expect(run("cidr('fd00::/64').ip().family() == 6 && cidr('fd00::/64').prefixLength() == 64", null)).toBe(true);
    expect(run("!cidr('169.254.0.0/16').containsIP(cidr('10.0.0.0/8').ip())", null)).toBe(true);
    expect(() => run("cidr('nope')", null)).toThrow(/parse error/);
  });
});

describe('continue tokens and the store', () => {
  it('round-trips continue tokens in the server format', () => {
    const t = encodeContinue({ rv: 42, start: 'ns/name\u0000' });
    expect(JSON.parse(Buffer.from(t, 'base64url').toString())).toEqual({ v: 'meta.k8s.io/v1', rv: 42, start: 'ns/name\u0000' });
    expect(decodeContinue(t)).toEqual({ rv: 42, start: 'ns/name\u0000' });
  });

  it('keeps versions readable at older revisions until compaction', () => {
    const s = createStore({ initialResourceVersion: 10 });
    s.commit('g/r', 'a', { metadata: { name: 'a' } });
    s.commit('g/r', 'a', { metadata: { name: 'a', labels: { v: '2' } } });
    s.commit('g/r', 'b', { metadata: { name: 'b' } });
    s.commit('g/r', 'a', null);
    expect(s.currentRv()).toBe(14);
    expect(s.get('g/r', 'a', 11)?.metadata?.labels).toBeUndefined();
    expect(s.get('g/r', 'a', 12)?.metadata?.labels).toEqual({ v: '2' });
    expect(s.get('g/r', 'a')).toBeUndefined();
    expect(s.list('g/r', 13).map((e) => e.key)).toEqual(['a', 'b']);
    expect(s.eventsSince('g/r', 12).map((e) => [e.type, e.key, e.object.metadata?.resourceVersion])).toEqual([
      ['ADDED', 'b', '13'],
      ['DELETED', 'a', '14'],
    ]);
    s.compact(13);
    expect(s.compactedRv()).toBe(13);
    expect(s.historyStart('g/r')).toBe(13);
    expect(s.list('g/r', 13).map((e) => e.key)).toEqual(['a', 'b']);
    expect(s.eventsSince('g/r', 0).map((e) => e.rv)).toEqual([14]);
  });
});
