/**
 * Datastore initialisation and cluster facts for the etcd backend: `ensureInitialized()`
 * (backends spec §2.9), detection of the policy naming convention from
 * `ClusterInformation(default).spec.calicoVersion` (§2.4), and the one-time notice for
 * `DATASTORE_TYPE=etcdv2` when no v3 data exists (§6).
 *
 * @module
 */
import { randomUUID } from '../../lazy-builtins.js';
import { isAlreadyExists, isNotFound, isParseError, isUnauthorized } from '../../errors.js';
import { initialObjects } from '../builtins.js';
import type { EtcdContext } from './context.js';
import { prefixEnd, readPage } from './list.js';
import { namingModeForVersion, type NamingMode } from '../policy-storage-names.js';
import { getResource } from './reads.js';
import { createResource } from './writes.js';
import { formatTimestamp } from '../../model/timestamp.js';


/**
 * Creates what a fresh Calico datastore holds and is missing here: the built-in tiers
 * (`kube-admin`, `default`, `kube-baseline`) and `ClusterInformation(default)` with a random
 * cluster GUID and `datastoreReady: true`. Existing objects are left as they are. A permission
 * failure is ignored (a restricted user may still read and write what it is allowed to), as
 * calicoctl does; an unreachable datastore rejects.
 *
 * @param ctx Backend context.
 */
export async function ensureInitialized(ctx: EtcdContext): Promise<void> {
  for (const { key, value } of initialObjects({ uid: randomUUID, now: () => formatTimestamp() })) {
    try {
      await getResource(ctx, key);
      continue;
    } catch (e) {
      if (isUnauthorized(e)) return;
      if (!isNotFound(e)) throw e;
    }
    try {
      await createResource(ctx, { key, value });
    } catch (e) {
      if (isUnauthorized(e)) return;
      if (!isAlreadyExists(e)) throw e;
    }
  }
}

/**
 * Reads the naming mode the cluster's Calico version implies. A missing ClusterInformation, a
 * missing version or a permission failure mean "current".
 *
 * @param ctx Backend context.
 * @return The mode.
 */
export async function detectNamingMode(ctx: EtcdContext): Promise<NamingMode> {
  if (ctx.config.policyNaming === 'current') return 'current';
  try {
    const info = await getResource(ctx, { kind: 'ClusterInformation', name: 'default' });
    const version = (info.value.spec as { calicoVersion?: unknown } | undefined)?.calicoVersion;
    const mode = namingModeForVersion(version);
    if (ctx.config.policyNaming === 'legacy') return mode === 'current' ? 'legacy-annotated' : mode;
    return mode;
  } catch (e) {
    if (ctx.config.policyNaming === 'legacy') return 'legacy-annotated';
    if (isNotFound(e) || isUnauthorized(e) || isParseError(e)) return 'current';
    throw e;
  }
}

/**
 * For `DATASTORE_TYPE=etcdv2`: warns once when etcd holds no `/calico/resources/v3/` keys, since
 * Calico 2.x data (written through etcd's v2 API) is not visible through the v3 API.
 *
 * @param ctx Backend context.
 */
export async function warnIfNoV3Data(ctx: EtcdContext): Promise<void> {
  const prefix = Buffer.from('/calico/resources/v3/');
  try {
    const page = await readPage(ctx, prefix, prefixEnd(prefix), 1, undefined, 'Connect');
    if (page.kvs.length === 0) {
      process.emitWarning(
        'DATASTORE_TYPE=etcdv2 selects the etcd v3 datastore, which holds no Calico v3 resources yet; Calico 2.x data written through the etcd v2 API (if any) is not visible through the v3 API and must be migrated with calico-upgrade',
        { code: 'CALICO_ETCDV2_NO_V3_DATA' },
      );
    }
  } catch {
    // Only a notice: never fail a connection because of it.
  }
}
