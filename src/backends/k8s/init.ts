/**
 * Datastore initialisation and cluster facts for the Kubernetes backend: `ensureInitialized()`
 * (backends spec §2.9, §3.13) and the policy naming convention read from
 * `ClusterInformation(default).spec.calicoVersion` (§3.5).
 *
 * @module
 */
import { randomUUID } from '../../lazy-builtins.js';
import { isAlreadyExists, isNotFound, isNotSupported, isParseError, isUnauthorized } from '../../errors.js';
import { namingModeForVersion, type NamingMode } from '../policy-storage-names.js';
import { initialObjects } from '../builtins.js';
import type { ResourceClient } from './crd-client.js';
import { formatTimestamp } from '../../model/timestamp.js';


/**
 * Creates what a fresh Calico datastore holds and is missing: the built-in tiers and
 * `ClusterInformation(default)` (cluster type `kdd`). Existing objects are left alone; a
 * permission failure stops quietly (as calicoctl's best-effort initialisation does), a CRD that
 * is not installed is skipped; an unreachable server rejects.
 *
 * @param clients The Tier and ClusterInformation clients.
 */
export async function ensureInitialized(clients: { Tier: ResourceClient; ClusterInformation: ResourceClient }): Promise<void> {
  for (const { key, value } of initialObjects({ uid: randomUUID, now: () => formatTimestamp() })) {
    const client = key.kind === 'Tier' ? clients.Tier : clients.ClusterInformation;
    if (key.kind === 'ClusterInformation') value.spec = { ...(value.spec as object), clusterType: 'kdd' };
    try {
      await client.get(key);
      continue;
    } catch (e) {
      if (isUnauthorized(e)) return;
      if (!isNotFound(e)) throw e;
    }
    try {
      await client.create({ key, value });
    } catch (e) {
      if (isUnauthorized(e)) return;
      if (!isAlreadyExists(e) && !isNotSupported(e)) throw e;
    }
  }
}

/**
 * The naming convention for new default-tier policies: forced by `policyNaming`, or implied by
 * the cluster's recorded Calico version (absent → current).
 *
 * @param policyNaming The configured override.
 * @param clusterInformation The ClusterInformation client.
 * @return The mode.
 */
export async function detectNamingMode(policyNaming: 'auto' | 'current' | 'legacy', clusterInformation: ResourceClient): Promise<NamingMode> {
  if (policyNaming === 'current') return 'current';
  try {
    const info = await clusterInformation.get({ kind: 'ClusterInformation', name: 'default' });
    const mode = namingModeForVersion((info.value.spec as { calicoVersion?: unknown } | undefined)?.calicoVersion);
    if (policyNaming === 'legacy') return mode === 'current' ? 'legacy-annotated' : mode;
    return mode;
  } catch (e) {
    if (policyNaming === 'legacy') return 'legacy-annotated';
    if (isNotFound(e) || isUnauthorized(e) || isParseError(e)) return 'current';
    throw e;
  }
}
