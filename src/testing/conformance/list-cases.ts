/**
 * Conformance cases for list: filters, key order, paging, list revisions and reads at a revision
 * (backends.md §1.3, §1.4, §2.3, §2.6).
 */
import { expect, it } from './test-api.js';
import type { Backend, KVPair, KVPairList } from '../../backends/backend.js';
import { isExpired, isValidationError, type ValidationError } from '../../errors.js';
import { rejectionOf, type SuiteContext } from './context.js';
import { CONFORMANCE_NAMESPACES, gnp, keyOf, np } from './fixtures.js';

type Spec = Record<string, unknown>;
const [NS_A, NS_B] = CONFORMANCE_NAMESPACES;

const names = (list: KVPairList): string[] => list.items.map((i) => `${i.key.namespace ?? ''}/${i.key.name.replace(/^cf[a-z0-9]+-/, '')}`);

/** Creates four NetworkPolicies, deliberately not in key order. */
async function createPolicies(b: Backend, run: string): Promise<void> {
  const objects = [
    np(NS_A, `${run}-b-1`),
    np(NS_B, `${run}-a-1`, { env: 'prod' }),
    np(NS_A, `${run}-a-2`, { env: 'dev' }),
    np(NS_A, `${run}-a-1`, { env: 'prod', tier: 'web' }),
  ];
  for (const o of objects) await b.create({ key: keyOf(o), value: o });
}

/** Registers the list cases in the current describe block. */
export function registerListCases(ctx: SuiteContext): void {
  it('filters by namespace and returns items in key order', async () => {
    const b = ctx.backend();
    const run = ctx.run();
    await createPolicies(b, run);
    const list = await b.list({ kind: 'NetworkPolicy', namespace: NS_A, name: run, namePrefix: true });
    expect(names(list)).toEqual([`${NS_A}/a-1`, `${NS_A}/a-2`, `${NS_A}/b-1`]);
    expect(list.revision).toMatch(/\S/);
    for (const item of list.items) expect(item.value.metadata.resourceVersion).toBe(item.revision);
  });

  it('a name prefix without namespace spans namespaces, ordered by namespace then name', async () => {
    const b = ctx.backend();
    const run = ctx.run();
    await createPolicies(b, run);
    const list = await b.list({ kind: 'NetworkPolicy', name: `${run}-a`, namePrefix: true });
    expect(names(list)).toEqual([`${NS_A}/a-1`, `${NS_A}/a-2`, `${NS_B}/a-1`]);
  });

  it('an exact name matches only that name; an absent name gives an empty list', async () => {
    const b = ctx.backend();
    const run = ctx.run();
    await createPolicies(b, run);
    expect(names(await b.list({ kind: 'NetworkPolicy', namespace: NS_A, name: `${run}-a-1` }))).toEqual([`${NS_A}/a-1`]);
    expect(names(await b.list({ kind: 'NetworkPolicy', name: `${run}-a-1` }))).toEqual([`${NS_A}/a-1`, `${NS_B}/a-1`]);
    expect((await b.list({ kind: 'NetworkPolicy', namespace: NS_A, name: `${run}-a` })).items).toEqual([]);
    expect((await b.list({ kind: 'NetworkPolicy', name: `${run}-zz` })).items).toEqual([]);
  });

  const selections: [string, string[]][] = [
    ['env=prod', ['a/a-1', 'b/a-1']],
    ['env==prod', ['a/a-1', 'b/a-1']],
    ['env!=prod', ['a/a-2', 'a/b-1']],
    ['env in (prod, dev)', ['a/a-1', 'a/a-2', 'b/a-1']],
    ['env notin (prod)', ['a/a-2', 'a/b-1']],
    ['env', ['a/a-1', 'a/a-2', 'b/a-1']],
    ['!env', ['a/b-1']],
    ['env=prod,tier=web', ['a/a-1']],
    ['env=prod, !tier', ['b/a-1']],
    ['', ['a/a-1', 'a/a-2', 'a/b-1', 'b/a-1']],
  ];
  for (const [labelSelector, expected] of selections) {
    it(`label selector ${JSON.stringify(labelSelector)}`, async () => {
      const b = ctx.backend();
      const run = ctx.run();
      await createPolicies(b, run);
      const list = await b.list({ kind: 'NetworkPolicy', name: run, namePrefix: true, labelSelector });
      expect(names(list)).toEqual(expected.map((n) => `conformance-${n}`));
    });
  }

  for (const labelSelector of ['env in prod', 'env=(x', '!', 'env notin ()', 'a b']) {
    it(`an invalid label selector ${JSON.stringify(labelSelector)} is a validation error on labelSelector`, async () => {
      const err = await rejectionOf(ctx.backend().list({ kind: 'NetworkPolicy', labelSelector }));
      expect(isValidationError(err)).toBe(true);
      expect((err as ValidationError).errors.map((f) => f.path)).toContain('labelSelector');
    });
  }

  it('pages with limit and continue: every item once, in order, all at the first page revision', async () => {
    const b = ctx.backend();
    const run = ctx.run();
    for (const i of [3, 0, 4, 1, 2]) {
      const o = gnp(`${run}-${i}`, 100 + i);
      await b.create({ key: keyOf(o), value: o });
    }
    const request = { kind: 'GlobalNetworkPolicy', name: run, namePrefix: true, limit: 2 };
    const pages: KVPairList[] = [await b.list(request)];
    // Changes after the first page must not show up in the later pages.
    const late = gnp(`${run}-9`, 200);
    await b.create({ key: keyOf(late), value: late });
    await b.delete({ kind: 'GlobalNetworkPolicy', name: `${run}-3` });
    for (let guard = 0; pages[pages.length - 1]?.continue && guard < 10; guard++) {
      pages.push(await b.list({ ...request, continue: pages[pages.length - 1]?.continue }));
    }
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(pages.map((p) => p.continue === undefined)).toEqual([false, false, true]);
    expect(new Set(pages.map((p) => p.revision))).toEqual(new Set([pages[0]?.revision]));
    expect(pages.flatMap((p) => p.items.map((i) => i.key.name))).toEqual([0, 1, 2, 3, 4].map((i) => `${run}-${i}`));
    const now = await b.list({ kind: 'GlobalNetworkPolicy', name: run, namePrefix: true });
    expect(now.items.map((i) => i.key.name)).toEqual([0, 1, 2, 4, 9].map((i) => `${run}-${i}`));
  });

  it('a continue token outlived by compaction fails with Expired', async () => {
    const b = ctx.backend();
    const run = ctx.run();
    for (const i of [0, 1, 2]) {
      const o = gnp(`${run}-${i}`);
      await b.create({ key: keyOf(o), value: o });
    }
    const first = await b.list({ kind: 'GlobalNetworkPolicy', name: run, namePrefix: true, limit: 1 });
    expect(first.continue).toBeDefined();
    const late = gnp(`${run}-9`);
    await b.create({ key: keyOf(late), value: late });
    await ctx.target().compact();
    const err = await rejectionOf(b.list({ kind: 'GlobalNetworkPolicy', name: run, namePrefix: true, limit: 1, continue: first.continue }));
    expect(isExpired(err)).toBe(true);
  });

  it('the list revision separates the listed state from later writes; reads at it follow capabilities.exactRevisionReads', async () => {
    const b = ctx.backend();
    const run = ctx.run();
    const obj = gnp(`${run}-p`, 10);
    const created = await b.create({ key: keyOf(obj), value: obj });
    const before = await b.list({ kind: 'GlobalNetworkPolicy', name: run, namePrefix: true });
    expect(before.items.map((i) => i.revision)).toEqual([created.revision]);
    const updated = await b.update({ ...created, value: { ...created.value, spec: { ...(created.value.spec as Spec), order: 20 } } });
    const after = await b.list({ kind: 'GlobalNetworkPolicy', name: run, namePrefix: true });
    expect(after.revision).not.toBe(before.revision);
    expect(after.items.map((i) => i.revision)).toEqual([updated.revision]);

    const past = await b.list({ kind: 'GlobalNetworkPolicy', name: run, namePrefix: true, revision: before.revision });
    const pastGet: KVPair = await b.get(keyOf(obj), { revision: before.revision });
    if (b.capabilities.exactRevisionReads) {
      expect(past.revision).toBe(before.revision);
      expect(past.items.map((i) => (i.value.spec as Spec).order)).toEqual([10]);
      expect(pastGet.revision).toBe(created.revision);
      expect((pastGet.value.spec as Spec).order).toBe(10);
    } else {
      // Kubernetes reads "not older than" the revision: the state at it or any later one.
      expect(past.items.map((i) => i.key.name)).toEqual([obj.metadata.name]);
      expect([10, 20]).toContain((past.items[0]?.value.spec as Spec).order);
      expect([10, 20]).toContain((pastGet.value.spec as Spec).order);
    }

    await ctx.target().compact();
    if (b.capabilities.exactRevisionReads) {
      expect(isExpired(await rejectionOf(b.list({ kind: 'GlobalNetworkPolicy', name: run, namePrefix: true, revision: before.revision })))).toBe(true);
      expect(isExpired(await rejectionOf(b.get(keyOf(obj), { revision: before.revision })))).toBe(true);
    } else {
      const stillServed = await b.list({ kind: 'GlobalNetworkPolicy', name: run, namePrefix: true, revision: before.revision });
      expect(stillServed.items.map((i) => (i.value.spec as Spec).order)).toEqual([20]);
    }
  });
}
