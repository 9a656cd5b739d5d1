/**
 * Policy storage names (backends spec §2.4 for etcd, §3.5 for Kubernetes CRDs): how the v3 name of a (Global)NetworkPolicy
 * is recovered from what is stored, and under which key a new default-tier policy is written,
 * following the naming convention of the cluster's Calico version.
 *
 * @module
 */
import { NotSupportedError, type ResourceIdentifier } from '../errors.js';

/** Annotation in which Calico ≥ 3.30 records a policy's v3 metadata (`{"name":"<v3 name>"}`). */
export const POLICY_METADATA_ANNOTATION = 'projectcalico.org/metadata';

/** Prefix Calico ≤ 3.31 added to default-tier policy names in storage. */
export const DEFAULT_PREFIX = 'default.';

/** Names Calico never prefixed (converted Kubernetes policies, OpenStack security groups, admin policies). */
const NEVER_PREFIXED = ['knp.', 'ossg.', 'kcnp.', 'kanp.', 'kbanp.'];

/**
 * How new default-tier policies are written:
 * - `current` (Calico ≥ 3.32, or no version recorded): key = v3 name, annotation with the v3 name;
 * - `legacy-annotated` (3.30–3.31): key and value name `default.<name>`, annotation with the v3 name;
 * - `legacy-plain` (≤ 3.29): key and value name `default.<name>`, no annotation.
 */
export type NamingMode = 'current' | 'legacy-annotated' | 'legacy-plain';

/**
 * The naming mode of a cluster from `ClusterInformation(default).spec.calicoVersion`.
 *
 * ## Example
 * ```ts
 * namingModeForVersion('v3.31.2'); // 'legacy-annotated'
 * namingModeForVersion(undefined); // 'current'
 * ```
 * @param calicoVersion The recorded version, for example `v3.29.1`; absent or unparsable means current.
 * @return The mode.
 */
export function namingModeForVersion(calicoVersion: unknown): NamingMode {
  if (typeof calicoVersion !== 'string') return 'current';
  const m = /^v?(\d+)\.(\d+)/.exec(calicoVersion.trim());
  if (!m) return 'current';
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major !== 3) return major < 3 ? 'legacy-plain' : 'current';
  if (minor >= 32) return 'current';
  return minor >= 30 ? 'legacy-annotated' : 'legacy-plain';
}

function isDefaultTier(spec: unknown): boolean {
  const tier = spec !== null && typeof spec === 'object' ? (spec as { tier?: unknown }).tier : undefined;
  return tier === undefined || tier === null || tier === '' || tier === 'default';
}

/** The failure of {@link readPolicyName}: the annotation is not a JSON object with a name. */
export interface PolicyNameProblem {
  readonly problem: string;
}

/**
 * Recovers a stored policy's v3 name and removes the metadata annotation from `metadata`
 * (Calico ≥ 3.32 read rules):
 * 1. annotation present → its `name`;
 * 2. otherwise, for the default tier, the stored name without one leading `default.`.
 *
 * @param metadata The decoded value's metadata (modified in place).
 * @param spec The decoded value's spec (for the tier).
 * @return The v3 name, or a problem when the annotation does not parse.
 */
export function readPolicyName(metadata: { name?: string; annotations?: Record<string, string> }, spec: unknown): string | PolicyNameProblem {
  const annotations = metadata.annotations;
  const stored = metadata.name ?? '';
  if (annotations && Object.hasOwn(annotations, POLICY_METADATA_ANNOTATION)) {
    const parsed = parsePolicyMetadata(annotations[POLICY_METADATA_ANNOTATION]);
    if ('problem' in parsed) return parsed;
    delete annotations[POLICY_METADATA_ANNOTATION];
    if (Object.keys(annotations).length === 0) delete metadata.annotations;
    const name = parsed.metadata.name;
    if (typeof name === 'string' && name !== '') return name;
  }
  if (isDefaultTier(spec) && stored.startsWith(DEFAULT_PREFIX)) return stored.slice(DEFAULT_PREFIX.length);
  return stored;
}

function parsePolicyMetadata(text: unknown): { metadata: { name?: unknown } } | PolicyNameProblem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(text));
  } catch {
    return { problem: `annotation ${POLICY_METADATA_ANNOTATION} is not valid JSON` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { problem: `annotation ${POLICY_METADATA_ANNOTATION} is not a JSON object` };
  }
  return { metadata: parsed as { name?: unknown } };
}

/**
 * Why {@link readPolicyName} would fail on these annotations, without changing them.
 *
 * @param annotations A stored policy's annotations (an object, or absent).
 * @return The problem, or undefined when the name can be read.
 */
export function policyAnnotationProblem(annotations: Record<string, unknown> | null | undefined): string | undefined {
  if (!annotations || !Object.hasOwn(annotations, POLICY_METADATA_ANNOTATION)) return undefined;
  const parsed = parsePolicyMetadata(annotations[POLICY_METADATA_ANNOTATION]);
  return 'problem' in parsed ? parsed.problem : undefined;
}

/**
 * The legacy key name under which a default-tier policy called `name` may be stored, if any
 * (dot-less names only: `allow-web` → `default.allow-web`).
 *
 * @param name A v3 name.
 * @return The legacy storage name, or undefined.
 */
export function legacyStorageName(name: string): string | undefined {
  return name.includes('.') ? undefined : `${DEFAULT_PREFIX}${name}`;
}

/**
 * The storage name of a new policy.
 *
 * @param name The v3 name.
 * @param spec The policy spec (for the tier).
 * @param mode The cluster's naming mode.
 * @param identifier For the error.
 * @return The key segment to create.
 * @throws NotSupportedError in legacy mode for a default-tier name with a dot that does not start with `default.`.
 */
export function storageNameForCreate(name: string, spec: unknown, mode: NamingMode, identifier: ResourceIdentifier): string {
  if (mode === 'current' || !isDefaultTier(spec)) return name;
  if (NEVER_PREFIXED.some((p) => name.startsWith(p)) || name.startsWith(DEFAULT_PREFIX)) return name;
  if (name.includes('.')) {
    throw new NotSupportedError('Create', {
      identifier,
      reason: 'this cluster uses legacy policy naming (Calico before v3.32), which cannot store a default-tier policy whose name contains a dot',
    });
  }
  return `${DEFAULT_PREFIX}${name}`;
}

/**
 * Applies the naming convention to the metadata of a policy about to be written.
 *
 * @param metadata Metadata of the value to store (modified in place; already a copy).
 * @param v3Name The policy's v3 name.
 * @param storageName The key segment it is written under.
 * @param mode The cluster's naming mode.
 */
export function writePolicyName(metadata: { name?: string; annotations?: Record<string, string> }, v3Name: string, storageName: string, mode: NamingMode): void {
  const annotations = { ...(metadata.annotations ?? {}) };
  if (mode === 'legacy-plain') {
    metadata.name = storageName;
    delete annotations[POLICY_METADATA_ANNOTATION];
  } else {
    metadata.name = mode === 'current' ? v3Name : storageName;
    annotations[POLICY_METADATA_ANNOTATION] = JSON.stringify({ name: v3Name });
  }
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
}
