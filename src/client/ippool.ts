/**
 * The client behaviour of IPPools: no overlapping pools on create,
 * immutable CIDR and block size on update, and "disable, wait, delete".
 *
 * @module
 */
import { checkIPPoolAgainstExisting, checkIPPoolUpdate, applyIPPoolDefaults } from '../model/ippool.js';
import { IPPOOL } from '../model/kinds.js';
import type { IPPool } from '../model/types.generated.js';
import type { KindBehaviour } from './kind-behaviour.js';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** IPPool: no overlapping pools, immutable CIDR/blockSize, and "disable, wait, delete". */
export const ipPoolBehaviour: KindBehaviour<IPPool> = {
  descriptor: IPPOOL,
  readDefaults: applyIPPoolDefaults,
  async checkCreate(pool, ctx) {
    const existing = await ctx.listAll<IPPool>(IPPOOL.kind);
    const overlaps = (other: IPPool): boolean => checkIPPoolAgainstExisting(pool, [applyIPPoolDefaults(other)]).length > 0;
    return {
      errors: checkIPPoolAgainstExisting(pool, existing.items.map((kv) => applyIPPoolDefaults(kv.value))),
      // Calico checks the list and then writes; the guard makes the pair atomic where the datastore can.
      guard: { kind: IPPOOL.kind, revision: existing.revision, conflicts: (other) => overlaps(other as IPPool) },
    };
  },
  async checkUpdate(next, stored) {
    return checkIPPoolUpdate(next, stored);
  },
  async delete(request, ctx) {
    const current = await ctx.backend.get<IPPool>(request.key);
    if (request.uid !== undefined && current.value.metadata.uid !== request.uid) {
      // Let the backend raise the uid Conflict without changing anything.
      return ctx.backend.delete<IPPool>(request.key, { revision: request.revision, uid: request.uid });
    }
    let last = current;
    if (!current.value.spec?.disabled) {
      // Disable first, under the caller's revision precondition, so IPAM stops allocating and
      // watchers see a "disabled" modification before the deletion.
      const disabled = structuredClone(current.value);
      disabled.spec = { ...disabled.spec, disabled: true } as IPPool['spec'];
      delete disabled.metadata.resourceVersion;
      last = await ctx.backend.update<IPPool>({ key: current.key, value: disabled, revision: request.revision ?? current.revision });
      await sleep(ctx.ipPoolDeleteDelayMs);
    }
    return ctx.backend.delete<IPPool>(request.key, { revision: request.revision === undefined ? undefined : last.revision });
  },
};
