/**
 * Objects every datastore has without anyone writing them (memory, etcd and Kubernetes backends share them): the built-in tiers and
 * `ClusterInformation(default)` that `ensureInitialized()` creates, and the synthetic
 * `projectcalico-default-allow` Profile that reads return but nothing stores.
 *
 * @module
 */
import type { KVPair, ResourceKey, ResourceObject } from './backend.js';
import { CALICO_API_VERSION } from '../model/kinds.js';
import { BUILT_IN_TIERS } from '../model/tier-builtins.js';

/** Name of the Profile every datastore synthesises. */
export const DEFAULT_ALLOW_PROFILE = 'projectcalico-default-allow';

/** True for the key of the synthetic default-allow Profile. */
export function isDefaultAllowProfile(key: ResourceKey): boolean {
  return key.kind === 'Profile' && key.name === DEFAULT_ALLOW_PROFILE;
}

/**
 * The synthetic default-allow Profile: allows all ingress and egress, revision `"1"`, no uid.
 *
 * @return A fresh KVPair.
 */
export function defaultAllowProfile(): KVPair {
  return {
    key: { kind: 'Profile', name: DEFAULT_ALLOW_PROFILE },
    value: {
      apiVersion: CALICO_API_VERSION,
      kind: 'Profile',
      metadata: { name: DEFAULT_ALLOW_PROFILE, resourceVersion: '1' },
      spec: { ingress: [{ action: 'Allow' }], egress: [{ action: 'Allow' }] },
    },
    revision: '1',
  };
}

/** Sources of the values the datastore stamps on objects it creates itself. */
export interface Stamp {
  /** A new uid. */
  uid(): string;
  /** The creation time, RFC 3339 UTC, second precision. */
  now(): string;
}

/**
 * The objects a fresh Calico datastore holds: the three built-in tiers and
 * `ClusterInformation(default)` with a random cluster GUID and `datastoreReady: true`.
 *
 * @param stamp Sources of uid and time.
 * @return Key and value of each object, in creation order.
 */
export function initialObjects(stamp: Stamp): { key: ResourceKey; value: ResourceObject }[] {
  const meta = (name: string) => ({ name, uid: stamp.uid(), creationTimestamp: stamp.now() });
  const tiers = BUILT_IN_TIERS.map((t) => ({
    key: { kind: 'Tier', name: t.name },
    value: { apiVersion: CALICO_API_VERSION, kind: 'Tier', metadata: meta(t.name), spec: { order: t.order, defaultAction: t.defaultAction } },
  }));
  const clusterInformation = {
    key: { kind: 'ClusterInformation', name: 'default' },
    value: {
      apiVersion: CALICO_API_VERSION,
      kind: 'ClusterInformation',
      metadata: meta('default'),
      spec: { clusterGUID: stamp.uid().replace(/-/g, '').toLowerCase(), datastoreReady: true },
    },
  };
  return [...tiers, clusterInformation];
}
