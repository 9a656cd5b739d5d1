/**
 * The layout of Calico resources stored as custom resources (backends spec §3.2.2–3.2.4):
 *
 * - `crd.projectcalico.org/v1` ("v1 mode", every Calico release): the v3 metadata travels in the
 *   `projectcalico.org/metadata` annotation; only labels and annotations whose key contains
 *   `projectcalico.org/` or `operator.tigera.io/` stay on the CR; the uid is transformed both ways;
 *   policies keep their v3 name in the annotation.
 * - `projectcalico.org/v3` ("v3 mode", clusters without the Calico API server): objects as they are.
 *
 * @module
 */
import { ParseError } from '../../errors.js';
import { CALICO_API_VERSION } from '../../model/kinds.js';
import { kindFacts, type KindFacts } from '../../model/kind-registry.js';
import type { ResourceObject } from '../backend.js';
import { DEFAULT_PREFIX, POLICY_METADATA_ANNOTATION } from '../policy-storage-names.js';
import type { KubeObject, KubeObjectMeta, KubeOwnerReference } from './kube-types.js';
import { wireTimestamp } from './meta.js';
import { isRecord } from '../../model/plain-object.js';
import { convertUID, tryConvertUID } from './uid.js';

/** API version of the CRDs every Calico release installs. */
export const CRD_V1_API_VERSION = 'crd.projectcalico.org/v1';

/** Which custom resources hold Calico objects: `v1` (`crd.projectcalico.org/v1`) or `v3` (`projectcalico.org/v3`). */
export type CrdMode = 'v1' | 'v3';

/** Static facts about a CRD-backed kind: the registry's kind and scope, plus how it is stored. */
export interface CrdKind extends Pick<KindFacts, 'kind' | 'namespaced'> {
  /** Lower-case plural of the custom resource, for example `ippools`. */
  readonly plural: string;
  /** True for NetworkPolicy and GlobalNetworkPolicy (storage names, name kept in the annotation). */
  readonly policy: boolean;
}

/**
 * The custom-resource facts of a Calico kind, from the kind registry.
 *
 * @param kind A kind the registry stores as a custom resource.
 * @return Its facts (`policy` only for the typed policy kinds).
 * @throws Error when the kind has no custom resource (a programming error).
 */
export function crdKindOf(kind: string): CrdKind {
  const facts = kindFacts(kind);
  if (!facts?.crdPlural) throw new Error(`${kind} is not stored as a custom resource`);
  return Object.freeze({ kind: facts.kind, plural: facts.crdPlural, namespaced: facts.namespaced, policy: facts.typed && facts.tieredPolicy });
}

/** True for a label or annotation key Calico keeps on the v1 custom resource itself. */
export function isCalicoOwnedKey(key: string): boolean {
  return key.includes('projectcalico.org/') || key.includes('operator.tigera.io/');
}

/** Go's field order of `ObjectMeta`, used to write the metadata annotation the way Calico does. */
const META_ORDER = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
] as const;

function sortedMap(map: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(map).sort()) out[k] = map[k] as string;
  return out;
}

function ownedSubset(map: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (!map) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) if (isCalicoOwnedKey(k)) out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

function mapOwnerReferences(refs: unknown, from: readonly string[], to: string, path: string): KubeOwnerReference[] | undefined {
  if (!Array.isArray(refs)) return undefined;
  return refs.map((r: KubeOwnerReference) => (isRecord(r) && from.includes(r.apiVersion) ? { ...r, apiVersion: to, uid: convertUID(String(r.uid), path) } : r));
}

/**
 * The JSON text of the `projectcalico.org/metadata` annotation for a v3 object: its metadata
 * minus namespace, resourceVersion and uid (and minus the name except for policies), keys in Go's
 * order, maps sorted, `creationTimestamp` always present, v3 owner references rewritten to v1.
 *
 * @param metadata The v3 metadata.
 * @param includeName Keep `name` (policy kinds).
 * @return The annotation value.
 */
export function metadataAnnotation(metadata: ResourceObject['metadata'], includeName: boolean): string {
  const src = metadata as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const extra = Object.keys(src).filter((k) => !(META_ORDER as readonly string[]).includes(k));
  for (const k of [...META_ORDER, ...extra]) {
    if (k === 'namespace' || k === 'resourceVersion' || k === 'uid' || (k === 'name' && !includeName)) continue;
    const v = src[k];
    if (k === 'creationTimestamp') out[k] = v ?? null;
    else if (v === undefined || v === null || v === '') continue;
    else if (k === 'labels' || k === 'annotations') {
      if (isRecord(v) && Object.keys(v).length > 0) out[k] = sortedMap(v as Record<string, string>);
    } else if (k === 'ownerReferences') out[k] = mapOwnerReferences(v, [CALICO_API_VERSION], CRD_V1_API_VERSION, 'metadata.ownerReferences');
    else out[k] = v;
  }
  return JSON.stringify(out);
}

/** How {@link toCustomResource} names and versions the object. */
export interface CustomResourceTarget {
  /** The CR name (the storage name; for legacy policies `default.<name>`). */
  name: string;
  /** `metadata.resourceVersion` to send (updates); absent on create. */
  resourceVersion?: string;
  /**
   * Put the v3 name into the metadata annotation (policy kinds; not in legacy ≤ 3.29 naming).
   * @default kind.policy
   */
  annotateName?: boolean;
}

/**
 * Builds the custom resource that stores a v3 object (write direction, backends spec §3.2.2).
 *
 * @param value The v3 object.
 * @param kind The kind's facts.
 * @param mode v1 or v3 custom resources.
 * @param target Name and revision to send.
 * @return The body to send.
 * @throws ValidationError when a uid is not a UUID (v1 mode).
 */
export function toCustomResource(value: ResourceObject, kind: CrdKind, mode: CrdMode, target: CustomResourceTarget): KubeObject {
  const v3 = value.metadata;
  const meta: KubeObjectMeta = { name: target.name };
  if (kind.namespaced && v3.namespace) meta.namespace = v3.namespace;
  if (target.resourceVersion) meta.resourceVersion = target.resourceVersion;
  const out: KubeObject = { apiVersion: mode === 'v1' ? CRD_V1_API_VERSION : CALICO_API_VERSION, kind: kind.kind, metadata: meta };
  if (mode === 'v1') {
    if (v3.uid) meta.uid = convertUID(v3.uid);
    const labels = ownedSubset(v3.labels);
    if (labels) meta.labels = labels;
    const includeName = target.annotateName ?? kind.policy;
    meta.annotations = { ...(ownedSubset(v3.annotations) ?? {}), [POLICY_METADATA_ANNOTATION]: metadataAnnotation(v3, includeName) };
  } else {
    if (v3.uid) meta.uid = v3.uid;
    const rest = v3 as Record<string, unknown>;
    for (const k of ['labels', 'annotations', 'ownerReferences', 'finalizers'] as const) {
      const v = rest[k];
      if (v !== undefined && v !== null) (meta as Record<string, unknown>)[k] = structuredClone(v);
    }
  }
  if (value.spec !== undefined) out.spec = structuredClone(value.spec);
  if (value.status !== undefined) out.status = structuredClone(value.status);
  return out;
}

function stripDefaultPrefix(name: string, spec: unknown): string {
  const tier = isRecord(spec) ? spec.tier : undefined;
  const inDefaultTier = tier === undefined || tier === null || tier === '' || tier === 'default';
  return inDefaultTier && name.startsWith(DEFAULT_PREFIX) ? name.slice(DEFAULT_PREFIX.length) : name;
}

function copyCrMetadata(meta: KubeObjectMeta): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) {
    if (k === 'managedFields' || k === 'selfLink' || v === undefined) continue;
    out[k] = k === 'creationTimestamp' || k === 'deletionTimestamp' ? wireTimestamp(v as string) : structuredClone(v);
  }
  return out;
}

/**
 * Reads a custom resource back into the v3 object it stores (read direction, backends spec
 * §3.2.3). The result's `metadata.resourceVersion` is the CR's.
 *
 * @param cr The custom resource as served.
 * @param kind The kind's facts.
 * @param mode v1 or v3 custom resources.
 * @param key Storage path named in errors.
 * @return The v3 object.
 * @throws ParseError when the metadata annotation is not a JSON object or a uid is not a UUID.
 */
export function fromCustomResource(cr: KubeObject, kind: CrdKind, mode: CrdMode, key: string): ResourceObject {
  const crMeta = cr.metadata ?? {};
  const out: ResourceObject = { apiVersion: CALICO_API_VERSION, kind: kind.kind, metadata: {} };
  if (cr.spec !== undefined) out.spec = structuredClone(cr.spec);
  if (cr.status !== undefined) out.status = structuredClone(cr.status);
  if (mode === 'v3') {
    out.metadata = copyCrMetadata(crMeta) as ResourceObject['metadata'];
    return out;
  }
  const uid = crMeta.uid ? tryConvertUID(crMeta.uid) : undefined;
  if (crMeta.uid && uid === undefined) throw new ParseError(key, { reason: 'metadata.uid is not a UUID' });
  const crAnnotations = { ...(crMeta.annotations ?? {}) };
  const text = crAnnotations[POLICY_METADATA_ANNOTATION];
  if (text === undefined) {
    const meta = copyCrMetadata(crMeta);
    if (uid) meta.uid = uid;
    out.metadata = meta as ResourceObject['metadata'];
    return out;
  }
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    throw new ParseError(key, { reason: `annotation ${POLICY_METADATA_ANNOTATION} is not valid JSON` });
  }
  if (!isRecord(stored)) throw new ParseError(key, { reason: `annotation ${POLICY_METADATA_ANNOTATION} is not a JSON object` });
  delete crAnnotations[POLICY_METADATA_ANNOTATION];

  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(stored)) {
    if (['name', 'namespace', 'resourceVersion', 'uid', 'labels', 'annotations', 'creationTimestamp', 'ownerReferences', 'selfLink'].includes(k)) continue;
    if (v !== null && v !== undefined) meta[k] = v;
  }
  const storedName = typeof stored.name === 'string' ? stored.name : '';
  meta.name = storedName !== '' ? storedName : kind.policy ? stripDefaultPrefix(crMeta.name ?? '', cr.spec) : (crMeta.name ?? '');
  if (crMeta.namespace) meta.namespace = crMeta.namespace;
  if (crMeta.resourceVersion) meta.resourceVersion = crMeta.resourceVersion;
  if (uid) meta.uid = uid;
  const created = typeof stored.creationTimestamp === 'string' && stored.creationTimestamp !== '' ? stored.creationTimestamp : wireTimestamp(crMeta.creationTimestamp);
  if (created !== undefined) meta.creationTimestamp = created;
  const labels = { ...(crMeta.labels ?? {}), ...(isRecord(stored.labels) ? (stored.labels as Record<string, string>) : {}) };
  if (Object.keys(labels).length > 0) meta.labels = labels;
  const annotations = { ...crAnnotations, ...(isRecord(stored.annotations) ? (stored.annotations as Record<string, string>) : {}) };
  if (Object.keys(annotations).length > 0) meta.annotations = annotations;
  try {
    const refs = mapOwnerReferences(stored.ownerReferences, [CRD_V1_API_VERSION, CALICO_API_VERSION], CALICO_API_VERSION, 'metadata.ownerReferences');
    if (refs && refs.length > 0) meta.ownerReferences = refs;
  } catch {
    throw new ParseError(key, { reason: 'an owner reference uid is not a UUID' });
  }
  out.metadata = meta as ResourceObject['metadata'];
  return out;
}
