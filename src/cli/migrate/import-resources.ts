/**
 * Writing section 1 of an export into the target (cli.md §9.2) with apply semantics, and reading
 * every written object back to prove it arrived unchanged.
 *
 * @module
 */
import type { Backend, KVPair, ResourceKey, ResourceObject } from '../../backends/backend.js';
import { isAlreadyExists, isNotFound, isNotSupported } from '../../errors.js';
import { serializeResource } from '../../model/serialize.js';
import { BUILT_IN_TIERS, MIGRATION_KINDS } from './migration-kinds.js';
import { listAll } from './export-resources.js';
import type { KindList } from './export-file.js';

const NAMESPACED = new Set(MIGRATION_KINDS.filter((k) => k.namespaced).map((k) => k.kind));

/** The storage key of an object. */
export function keyOf(obj: ResourceObject): ResourceKey {
  const name = obj.metadata?.name ?? '';
  return NAMESPACED.has(obj.kind) ? { kind: obj.kind, namespace: obj.metadata?.namespace || 'default', name } : { kind: obj.kind, name };
}

function label(key: ResourceKey): string {
  return key.namespace ? `${key.kind}(${key.namespace}/${key.name})` : `${key.kind}(${key.name})`;
}

/**
 * Calico resources already in the target, other than those every datastore has (built-in tiers,
 * Nodes, which a Kubernetes cluster always has).
 *
 * @param backend The target.
 * @return Up to a few identifiers, for the refusal message.
 */
export async function existingResources(backend: Backend): Promise<string[]> {
  const found: string[] = [];
  for (const { kind } of MIGRATION_KINDS) {
    if (kind === 'Node') continue;
    for (const obj of await listAll(backend, kind)) {
      if (kind === 'Tier' && BUILT_IN_TIERS.has(obj.metadata.name ?? '')) continue;
      found.push(label(keyOf(obj)));
      if (found.length >= 5) return found;
    }
  }
  return found;
}

/** The stored object with the file's labels, annotations and spec. */
function merged(stored: KVPair, obj: ResourceObject): KVPair {
  const metadata = { ...stored.value.metadata };
  if (obj.metadata.labels) metadata.labels = { ...(metadata.labels ?? {}), ...obj.metadata.labels };
  if (obj.metadata.annotations) metadata.annotations = { ...(metadata.annotations ?? {}), ...obj.metadata.annotations };
  return { ...stored, value: { ...stored.value, metadata, ...(obj.spec !== undefined ? { spec: obj.spec } : {}) } };
}

/** The outcome of an import. */
export interface ImportOutcome {
  /** Objects written. */
  written: ResourceObject[];
  /** Warnings (skipped nodes). */
  warnings: string[];
}

/**
 * Applies every object of the lists, in order.
 *
 * @param backend The target.
 * @param lists Section 1.
 * @param onProgress Called after each object with the count so far.
 * @return What was written and the warnings.
 */
export async function importResources(backend: Backend, lists: readonly KindList[], onProgress: (count: number) => void): Promise<ImportOutcome> {
  const written: ResourceObject[] = [];
  const warnings: string[] = [];
  let count = 0;
  for (const list of lists) {
    for (const item of list.items) {
      const obj = { ...item, kind: item.kind ?? list.kind, apiVersion: item.apiVersion ?? 'projectcalico.org/v3' } as ResourceObject;
      const key = keyOf(obj);
      const value = { ...obj, metadata: { ...obj.metadata, ...(key.namespace ? { namespace: key.namespace } : {}) } };
      try {
        await backend.create({ key, value });
      } catch (e) {
        if (!isAlreadyExists(e) && !isNotSupported(e)) throw e;
        let stored: KVPair;
        try {
          stored = await backend.get(key);
        } catch (e2) {
          if (isNotFound(e2) && obj.kind === 'Node') {
            warnings.push(
              `[WARNING] Attempted to import node ${key.name} from the export file but it could not be found in the target datastore. Skipping that node. Make sure the Kubernetes node exists and import again if it should be migrated.`,
            );
            continue;
          }
          throw e2;
        }
        await backend.update(merged(stored, obj));
      }
      written.push(value);
      onProgress(++count);
    }
  }
  return { written, warnings };
}

/**
 * The first path at which `want` is not contained in `have` (objects: every key of `want`, with a
 * contained value; arrays: same length, each element contained; anything else: equal), or
 * undefined. The target may add fields (defaults, values it computes); it may not lose or change any.
 */
function firstDifference(want: unknown, have: unknown, path: string): string | undefined {
  if (Array.isArray(want)) {
    if (!Array.isArray(have) || have.length !== want.length) return path;
    for (let i = 0; i < want.length; i++) {
      const d = firstDifference(want[i], have[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (want && typeof want === 'object') {
    if (!have || typeof have !== 'object' || Array.isArray(have)) return path;
    for (const [k, v] of Object.entries(want)) {
      const d = firstDifference(v, (have as Record<string, unknown>)[k], `${path}.${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return want === have ? undefined : path;
}

function subsetProblem(want: Record<string, string> | undefined, have: Record<string, string> | undefined, what: string): string | undefined {
  for (const [k, v] of Object.entries(want ?? {})) if (have?.[k] !== v) return `${what}.${k}`;
  return undefined;
}

/**
 * Reads each written object back and checks that everything the file held arrived unchanged: every
 * spec field (in Calico's normal form; fields the target adds, such as defaults or a Node's
 * Kubernetes-derived addresses, are allowed) and every label and annotation.
 *
 * @param backend The target.
 * @param written The objects written.
 * @return One line per mismatch; empty when everything matches.
 */
export async function verifyImport(backend: Backend, written: readonly ResourceObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const obj of written) {
    const key = keyOf(obj);
    let stored: ResourceObject;
    try {
      stored = (await backend.get(key)).value;
    } catch (e) {
      problems.push(`${label(key)}: ${isNotFound(e) ? 'missing after import' : (e as Error).message}`);
      continue;
    }
    const specA = (serializeResource({ ...obj, metadata: {} }) as ResourceObject).spec;
    const specB = (serializeResource({ ...stored, metadata: {} }) as ResourceObject).spec;
    const differs = firstDifference(specA ?? {}, specB ?? {}, 'spec');
    const problem =
      (differs !== undefined ? `${differs} differs` : undefined) ??
      subsetProblem(obj.metadata.labels, stored.metadata.labels, 'metadata.labels') ??
      subsetProblem(obj.metadata.annotations, stored.metadata.annotations, 'metadata.annotations');
    if (problem) problems.push(`${label(key)}: ${problem}`);
  }
  return problems;
}
