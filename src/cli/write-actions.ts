/**
 * The per-resource actions of create, apply and replace (cli.md §6.1–6.3) over {@link KindOperations}.
 *
 * @module
 */
import type { ResourceObject } from '../backends/backend.js';
import { ConflictError, isAlreadyExists, isConflict, isNotSupported } from '../errors.js';
import type { KindOperations } from './resource-ops.js';

/** The metadata fields create keeps from a document (§6.1). */
const CREATE_METADATA = ['name', 'namespace', 'resourceVersion', 'labels', 'annotations'] as const;

/** A create request that carries a resourceVersion (calicoctl's text). */
export class ResourceVersionOnCreateError extends Error {
  constructor(resourceVersion: string) {
    super(`error with field Metadata.ResourceVersion = '${resourceVersion}' (field must not be set for a Create request)`);
    this.name = 'ResourceVersionOnCreateError';
  }
}

/**
 * The document reduced to what create sends.
 *
 * @param obj The document.
 * @return A copy with only the create metadata.
 */
export function createPayload(obj: ResourceObject): ResourceObject {
  const metadata: Record<string, unknown> = {};
  for (const f of CREATE_METADATA) if (obj.metadata[f] !== undefined && obj.metadata[f] !== '') metadata[f] = obj.metadata[f];
  return { ...obj, metadata: metadata as ResourceObject['metadata'] };
}

/**
 * `create` of one resource.
 *
 * @param ops The kind's operations.
 * @param obj The document.
 * @return The stored object.
 */
export async function createOne(ops: KindOperations, obj: ResourceObject): Promise<ResourceObject> {
  const payload = createPayload(obj);
  if (payload.metadata.resourceVersion) throw new ResourceVersionOnCreateError(payload.metadata.resourceVersion);
  return ops.create(payload);
}

/** Timing of the replace retry loop. */
export interface ReplaceTiming {
  /** Attempts without a resourceVersion. @default 5 */
  attempts: number;
  /** Pause after a conflict. @default 1000 */
  conflictDelayMs: number;
}

const DEFAULT_TIMING: ReplaceTiming = { attempts: 5, conflictDelayMs: 1000 };

/** The stored object with the document's labels, annotations and spec (§6.3 merge). */
function merged(stored: ResourceObject, doc: ResourceObject): ResourceObject {
  const metadata = { ...stored.metadata };
  if (doc.metadata.labels !== undefined) metadata.labels = doc.metadata.labels;
  else delete metadata.labels;
  if (doc.metadata.annotations !== undefined) metadata.annotations = doc.metadata.annotations;
  else delete metadata.annotations;
  const out: ResourceObject = { ...stored, metadata };
  if (doc.spec !== undefined) out.spec = doc.spec;
  else delete out.spec;
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * `replace` of one resource (also the update half of `apply`).
 *
 * @param ops The kind's operations.
 * @param doc The document.
 * @param timing Retry timing.
 * @return The stored object.
 */
export async function replaceOne(ops: KindOperations, doc: ResourceObject, timing: ReplaceTiming = DEFAULT_TIMING): Promise<ResourceObject> {
  const ref = { name: doc.metadata.name ?? '', ...(doc.metadata.namespace ? { namespace: doc.metadata.namespace } : {}) };
  const wanted = doc.metadata.resourceVersion;
  if (wanted) {
    const stored = await ops.get(ref);
    if (stored.metadata.resourceVersion !== wanted) {
      const id = { kind: doc.kind, name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) };
      const conflict = new ConflictError(id);
      conflict.message = `${conflict.message}: resource version '${wanted}' is out of date (latest: ${stored.metadata.resourceVersion ?? ''}). Update the resource YAML/JSON in order to make changes`;
      throw conflict;
    }
    return ops.update(merged(stored, doc));
  }
  let last: unknown;
  for (let attempt = 0; attempt < timing.attempts; attempt++) {
    const stored = await ops.get(ref);
    try {
      return await ops.update(merged(stored, doc));
    } catch (e) {
      if (!isConflict(e)) throw e;
      last = e;
      if (attempt + 1 < timing.attempts) await sleep(timing.conflictDelayMs);
    }
  }
  throw last;
}

/**
 * `apply` of one resource: create, and update when it exists or create is not supported (§6.2).
 *
 * @param ops The kind's operations.
 * @param doc The document.
 * @return The stored object.
 */
export async function applyOne(ops: KindOperations, doc: ResourceObject): Promise<ResourceObject> {
  const remembered = doc.metadata.resourceVersion;
  const withoutRevision = { ...doc, metadata: { ...doc.metadata } };
  delete withoutRevision.metadata.resourceVersion;
  try {
    return await createOne(ops, withoutRevision);
  } catch (e) {
    if (!isAlreadyExists(e) && !isNotSupported(e)) throw e;
  }
  return replaceOne(ops, remembered ? { ...withoutRevision, metadata: { ...withoutRevision.metadata, resourceVersion: remembered } } : withoutRevision);
}
