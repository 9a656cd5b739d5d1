/**
 * A {@link PolicyView} kept current by a {@link syncedCache}, so a controller can ask for
 * verdicts continuously.
 *
 * @module
 */
import { filter, firstValueFrom, type Observable, type Subscription } from 'rxjs';
import type { ResourceObject } from '../backends/backend.js';
import { createPolicyView, type PolicyView } from '../policy/view.js';
import type { AnyResource } from '../policy/view-types.js';
import { syncedCache } from './synced-cache.js';
import type { SyncedCacheOptions, SyncSource, SyncUpdate } from './sync-types.js';

/** Options of {@link livePolicyView}. */
export interface LivePolicyViewOptions {
  /**
   * Resources the sources do not carry (Namespaces, ServiceAccounts, Profiles, HostEndpoints,
   * network sets), held as a fixed part of the view. @default []
   */
  extraResources?: readonly AnyResource[];
  /** Options of the underlying cache. */
  sync?: SyncedCacheOptions;
}

/** A running live view. */
export interface LivePolicyView {
  /** The view; its content follows the datastore. */
  readonly view: PolicyView;
  /** `true` while every source is in sync. */
  readonly inSync$: Observable<boolean>;
  /** Resolves once every source has been listed and the view holds it. */
  ready(): Promise<void>;
  /** Stops the watches. */
  close(): void;
}

/** The resource a sync update carries, with the storage kind kept (Kubernetes policies stay distinct). */
function resourceOf(u: SyncUpdate): AnyResource {
  const value = u.value as AnyResource;
  return u.key.kind === 'KubernetesNetworkPolicy' ? { ...value, kind: 'KubernetesNetworkPolicy' } : value;
}

/**
 * Starts a live policy view over `sources` (for example the client's `workloadEndpoints`,
 * `networkPolicies`, `globalNetworkPolicies`, `tiers` and, on Kubernetes,
 * `kubernetesNetworkPolicies` sync sources). Each update is applied to the view: endpoint
 * changes reset only that endpoint's cached selector matches; policy and tier changes recompile
 * the policy set on the next query.
 *
 * ## Example
 * ```ts
 * const live = livePolicyView([client.workloadEndpoints.syncSource(), client.networkPolicies.syncSource(), client.globalNetworkPolicies.syncSource(), client.tiers.syncSource()]);
 * await live.ready();
 * explainFlow(live.view, { source: 'shop/web', destination: 'shop/db', port: 5432 });
 * live.close();
 * ```
 * @param sources The sync sources.
 * @param options See {@link LivePolicyViewOptions}.
 * @return The running view.
 */
export function livePolicyView(sources: readonly SyncSource<ResourceObject>[], options: LivePolicyViewOptions = {}): LivePolicyView {
  const view = createPolicyView(options.extraResources ?? []);
  const cache = syncedCache(sources, options.sync);
  const sub: Subscription = cache.updates$.subscribe((updates) => {
    for (const u of updates) {
      if (u.type === 'deleted') view.remove(resourceOf(u));
      else view.upsert(resourceOf(u));
    }
  });
  // The first update batches are delivered before in-sync, so in-sync means "the view holds every list".
  const synced = firstValueFrom(cache.inSync$.pipe(filter((s) => s)));
  return {
    view,
    inSync$: cache.inSync$,
    ready: async () => {
      await synced;
    },
    close: () => sub.unsubscribe(),
  };
}
