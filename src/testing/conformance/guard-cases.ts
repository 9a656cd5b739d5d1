/**
 * Conformance cases for create guards (`CreateOptions.guard`): a create made after a check of a
 * list fails with Conflict `ConcurrentCreate` when a conflicting object was created after that
 * list, atomically where `capabilities.atomicCreateGuards` is set and undone after the write
 * where it is not.
 */
import { expect, it } from './test-api.js';
import type { CreateGuard, KVPair, ResourceObject } from '../../backends/backend.js';
import { isConflict, type ConflictError } from '../../errors.js';
import { rejectionOf, type SuiteContext } from './context.js';
import { ipPool, keyOf } from './fixtures.js';
import { openTap } from './stream.js';

/** How many creates race in the concurrency cases. */
const RACERS = 20;

/** Registers the guard cases in the current describe block. */
export function registerGuardCases(ctx: SuiteContext): void {
  /** A guard minding this test's pools only (targets may share a datastore with other tests). */
  const guardOf = (revision: string, conflicts: (v: ResourceObject) => boolean = () => true): CreateGuard => ({
    kind: 'IPPool',
    revision,
    conflicts: (v) => (v.metadata.name ?? '').startsWith(ctx.run()) && conflicts(v),
  });
  const runPools = async (): Promise<string[]> => (await ctx.backend().list({ kind: 'IPPool', name: ctx.run(), namePrefix: true })).items.map((kv) => kv.key.name);

  it(`of ${RACERS} racing guarded creates that all conflict, exactly one is stored; the others conflict and leave nothing`, async () => {
    const b = ctx.backend();
    const { revision } = await b.list({ kind: 'IPPool', name: ctx.run(), namePrefix: true });
    const events = openTap(b.watch({ kind: 'IPPool', name: ctx.run(), namePrefix: true, revision }));
    try {
      const pools = Array.from({ length: RACERS }, (_, i) => ipPool(`${ctx.run()}-r${i}`, 30));
      const results = await Promise.allSettled(pools.map((p) => b.create({ key: keyOf(p), value: p }, { guard: guardOf(revision) })));
      const won = results.filter((r): r is PromiseFulfilledResult<KVPair> => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((r) => [isConflict(r.reason), (r.reason as ConflictError).reason])).toEqual(Array(RACERS - 1).fill([true, 'ConcurrentCreate']));
      const winner = won[0]?.value as KVPair;
      expect(await runPools()).toEqual([winner.key.name]);
      // What watchers saw: only the winner where guards are atomic; losers come and go where they are not.
      const marker = ipPool(`${ctx.run()}-zmarker`, 31);
      await b.create({ key: keyOf(marker), value: marker });
      const seen: string[] = [];
      for (;;) {
        const e = await events.next();
        const name = e.type === 'DELETED' ? e.previous.key.name : e.type === 'ADDED' || e.type === 'MODIFIED' ? e.object.key.name : e.type;
        if (name === marker.metadata.name) break;
        seen.push(`${e.type} ${name}`);
      }
      if (b.capabilities.atomicCreateGuards) {
        expect(seen).toEqual([`ADDED ${winner.key.name}`]);
      } else {
        expect(seen.filter((s) => s.startsWith('ADDED')).length).toBe(seen.filter((s) => s.startsWith('DELETED')).length + 1);
        expect(seen).toContain(`ADDED ${winner.key.name}`);
        expect(seen).not.toContain(`DELETED ${winner.key.name}`);
      }
    } finally {
      events.close();
    }
  });

  it(`${RACERS} racing guarded creates that do not conflict are all stored`, async () => {
    const b = ctx.backend();
    const { revision } = await b.list({ kind: 'IPPool', name: ctx.run(), namePrefix: true });
    const pools = Array.from({ length: RACERS }, (_, i) => ipPool(`${ctx.run()}-r${String(i).padStart(2, '0')}`, 40 + i));
    const cidrOf = (v: ResourceObject): unknown => (v.spec as { cidr?: unknown }).cidr;
    const results = await Promise.allSettled(
      pools.map((p) => b.create({ key: keyOf(p), value: p }, { guard: guardOf(revision, (other) => cidrOf(other) === cidrOf(p)) })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(RACERS).fill('fulfilled'));
    expect(await runPools()).toEqual(pools.map((p) => p.metadata.name));
  });

  it('a guard is broken by a conflicting create after its revision, not by earlier objects, updates or deletes', async () => {
    const b = ctx.backend();
    const early = ipPool(`${ctx.run()}-a`, 50);
    const earlyKv = await b.create({ key: keyOf(early), value: early });
    const gone = ipPool(`${ctx.run()}-b`, 51);
    await b.create({ key: keyOf(gone), value: gone });
    const { revision } = await b.list({ kind: 'IPPool', name: ctx.run(), namePrefix: true });
    await b.update({ ...earlyKv, value: { ...earlyKv.value, metadata: { ...earlyKv.value.metadata, labels: { changed: 'yes' } } } });
    await b.delete(keyOf(gone));
    const fine = ipPool(`${ctx.run()}-c`, 52);
    await b.create({ key: keyOf(fine), value: fine }, { guard: guardOf(revision) });
    const late = ipPool(`${ctx.run()}-d`, 53);
    const err = await rejectionOf(b.create({ key: keyOf(late), value: late }, { guard: guardOf(revision) }));
    expect(isConflict(err)).toBe(true);
    expect((err as ConflictError).reason).toBe('ConcurrentCreate');
    expect((err as ConflictError).identifier).toEqual(keyOf(late));
    expect(((err as ConflictError).current as KVPair).key).toEqual(keyOf(fine));
    expect(await runPools()).toEqual([early, fine].map((p) => p.metadata.name));
  });
}
