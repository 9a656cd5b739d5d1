/**
 * The migration lock: `ClusterInformation(default).spec.datastoreReady` (false = locked; Felix
 * stops applying changes while it is false).
 *
 * @module
 */
import type { Backend, KVPair } from '../../backends/backend.js';
import { isConflict } from '../../errors.js';

const KEY = { kind: 'ClusterInformation', name: 'default' } as const;

type ClusterSpec = { datastoreReady?: boolean; clusterGUID?: string; calicoVersion?: string } & Record<string, unknown>;

/**
 * Reads `ClusterInformation(default)`.
 *
 * @param backend The datastore.
 * @return The stored pair.
 */
export function readClusterInformation(backend: Backend): Promise<KVPair> {
  return backend.get(KEY);
}

/**
 * Changes `ClusterInformation(default).spec` with `change`, retrying a few times on conflicts.
 *
 * @param backend The datastore (initialised, so the object exists).
 * @param change Returns the new spec.
 */
export async function updateClusterSpec(backend: Backend, change: (spec: ClusterSpec) => ClusterSpec): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const current = await readClusterInformation(backend);
    const spec = change({ ...((current.value.spec ?? {}) as ClusterSpec) });
    try {
      await backend.update({ ...current, value: { ...current.value, spec } });
      return;
    } catch (e) {
      if (!isConflict(e) || attempt >= 4) throw e;
    }
  }
}

/**
 * Locks (`ready` false) or unlocks the datastore.
 *
 * @param backend The datastore.
 * @param ready The new `datastoreReady`.
 */
export async function setDatastoreReady(backend: Backend, ready: boolean): Promise<void> {
  await backend.ensureInitialized();
  await updateClusterSpec(backend, (spec) => ({ ...spec, datastoreReady: ready }));
}

/**
 * True when the datastore is locked for migration.
 *
 * @param backend The datastore.
 * @return `datastoreReady === false`.
 */
export async function isLocked(backend: Backend): Promise<boolean> {
  try {
    return ((await readClusterInformation(backend)).value.spec as ClusterSpec | undefined)?.datastoreReady === false;
  } catch {
    return false;
  }
}
