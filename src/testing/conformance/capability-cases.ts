/**
 * Conformance cases for what differs between backends by declared capability, and for
 * `ensureInitialized` (backends.md §1.6, §2.9, §3.13).
 */
import { expect, it } from './test-api.js';
import { isNotFound, isNotSupported } from '../../errors.js';
import { BUILT_IN_TIERS } from '../../model/tier-builtins.js';
import { rejectionOf, type SuiteContext } from './context.js';
import { calicoNode, CONFORMANCE_NAMESPACES, keyOf, workloadEndpoint } from './fixtures.js';

/** Registers the capability cases in the current describe block. */
export function registerCapabilityCases(ctx: SuiteContext): void {
  it('declares its capabilities', () => {
    const caps = ctx.backend().capabilities;
    expect(caps.name).toMatch(/^[a-z0-9]+$/);
    for (const flag of [caps.previousOnModified, caps.exactRevisionReads, caps.nodeLifecycle, caps.workloadEndpointWrites, caps.bookmarks, caps.atomicCreateGuards]) {
      expect(typeof flag).toBe('boolean');
    }
  });

  it('Node create and delete work exactly when capabilities.nodeLifecycle is set, else NotSupported', async () => {
    const b = ctx.backend();
    const node = calicoNode(`${ctx.run()}-node`);
    if (b.capabilities.nodeLifecycle) {
      const created = await b.create({ key: keyOf(node), value: node });
      expect((await b.get(keyOf(node))).revision).toBe(created.revision);
      await b.delete(keyOf(node));
      expect(isNotFound(await rejectionOf(b.get(keyOf(node))))).toBe(true);
    } else {
      expect(isNotSupported(await rejectionOf(b.create({ key: keyOf(node), value: node })))).toBe(true);
      expect(isNotSupported(await rejectionOf(b.delete(keyOf(node))))).toBe(true);
    }
  });

  it('WorkloadEndpoint writes are full writes exactly when capabilities.workloadEndpointWrites is set, else NotSupported', async () => {
    const b = ctx.backend();
    const wep = workloadEndpoint(CONFORMANCE_NAMESPACES[0], `${ctx.run()}-pod`);
    if (b.capabilities.workloadEndpointWrites) {
      const created = await b.create({ key: keyOf(wep), value: wep });
      const got = await b.get(keyOf(wep));
      expect(got.revision).toBe(created.revision);
      expect(got.value.spec).toEqual(wep.spec);
      await b.delete(keyOf(wep), { revision: created.revision });
      expect(isNotFound(await rejectionOf(b.get(keyOf(wep))))).toBe(true);
    } else {
      expect(isNotSupported(await rejectionOf(b.create({ key: keyOf(wep), value: wep })))).toBe(true);
    }
  });

  it('ensureInitialized creates the built-in tiers and is idempotent', async () => {
    const b = ctx.backend();
    await b.ensureInitialized();
    const first = await Promise.all(BUILT_IN_TIERS.map((t) => b.get({ kind: 'Tier', name: t.name })));
    for (const [i, t] of BUILT_IN_TIERS.entries()) {
      expect(first[i]?.value.spec).toMatchObject({ order: t.order, defaultAction: t.defaultAction });
    }
    await b.ensureInitialized();
    const second = await Promise.all(BUILT_IN_TIERS.map((t) => b.get({ kind: 'Tier', name: t.name })));
    expect(second.map((kv) => kv.revision)).toEqual(first.map((kv) => kv.revision));
  });
}
