/**
 * Whether an import target is empty of Calico resources (cli.md §9.1: import refuses otherwise).
 *
 * @module
 */
import type { Backend } from '../../backends/backend.js';
import { MIGRATION_KINDS } from './migration-kinds.js';
import { isBuiltInTier } from '../../model/tier-builtins.js';
import { listAll } from '../list-all.js';
import { keyLabel, keyOf } from './resource-keys.js';

/**
 * Calico resources of the migration kinds already in the target.
 *
 * Objects every datastore has are not counted: the built-in tiers, ClusterInformation (not a
 * migration kind), and, when `nodesAreViews`, Nodes (a Kubernetes cluster always has its Nodes; the
 * import merges into them).
 *
 * @param backend The target.
 * @param nodesAreViews True for a Kubernetes target.
 * @return Labels of up to five such objects, for the refusal message; empty when the target is empty.
 */
export async function existingResources(backend: Backend, nodesAreViews: boolean): Promise<string[]> {
  const found: string[] = [];
  for (const { kind } of MIGRATION_KINDS) {
    if (kind === 'Node' && nodesAreViews) continue;
    for (const obj of await listAll(backend, kind)) {
      if (kind === 'Tier' && isBuiltInTier(obj.metadata.name ?? '')) continue;
      found.push(keyLabel(keyOf(obj)));
      if (found.length >= 5) return found;
    }
  }
  return found;
}
