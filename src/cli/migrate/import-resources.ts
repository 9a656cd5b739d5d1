/**
 * Writing section 1 of an export file into the target (cli.md §9.2) with apply semantics: create,
 * and when the object exists (or, like a Kubernetes Node, cannot be created) update it with the
 * current revision.
 *
 * @module
 */
import type { Backend, KVPair, ResourceObject } from '../../backends/backend.js';
import { isAlreadyExists, isNotFound, isNotSupported } from '../../errors.js';
import { CALICO_API_VERSION } from '../../model/kinds.js';
import type { KindList } from './export-file.js';
import { keyOf } from './resource-keys.js';

/** The stored object with the file's labels, annotations and spec. */
function merged(stored: KVPair, obj: ResourceObject): KVPair {
  const metadata = { ...stored.value.metadata };
  if (obj.metadata.labels) metadata.labels = { ...(metadata.labels ?? {}), ...obj.metadata.labels };
  if (obj.metadata.annotations) metadata.annotations = { ...(metadata.annotations ?? {}), ...obj.metadata.annotations };
  return { ...stored, value: { ...stored.value, metadata, ...(obj.spec !== undefined ? { spec: obj.spec } : {}) } };
}

/**
 * The warning for a Node that has no Kubernetes Node to merge into.
 *
 * @param name The node name (already the Kubernetes name).
 * @return The line.
 */
export function skippedNodeWarning(name: string): string {
  return `[WARNING] Attempted to import node ${name} from the export file that could not be found in the Kubernetes datastore. Skipping that node. Nodes without a Kubernetes Node cannot be stored in the Kubernetes datastore.`;
}

/** The outcome of an import. */
export interface ImportOutcome {
  /** Objects written, as they were sent (kind, apiVersion and namespace filled in). */
  readonly written: ResourceObject[];
  /** Warnings, one line each (skipped nodes). */
  readonly warnings: string[];
}

/** One item of a list, with what the list implies filled in. */
function completed(item: ResourceObject, kind: string): ResourceObject {
  const obj = { ...item, kind: item.kind ?? kind, apiVersion: item.apiVersion ?? CALICO_API_VERSION } as ResourceObject;
  const { namespace } = keyOf(obj);
  return namespace ? { ...obj, metadata: { ...obj.metadata, namespace } } : obj;
}

/**
 * Applies every object of the lists, in file order.
 *
 * @param backend The target.
 * @param lists Section 1.
 * @param onProgress Called after each object with the count so far.
 * @return What was written and the warnings.
 * @throws The first write error other than a skipped Node.
 */
export async function importResources(backend: Backend, lists: readonly KindList[], onProgress: (count: number) => void): Promise<ImportOutcome> {
  const written: ResourceObject[] = [];
  const warnings: string[] = [];
  for (const list of lists) {
    for (const item of list.items) {
      const value = completed(item, list.kind);
      const key = keyOf(value);
      try {
        await backend.create({ key, value });
      } catch (e) {
        if (!isAlreadyExists(e) && !isNotSupported(e)) throw e;
        let stored: KVPair;
        try {
          stored = await backend.get(key);
        } catch (e2) {
          if (isNotFound(e2) && value.kind === 'Node') {
            warnings.push(skippedNodeWarning(key.name));
            continue;
          }
          throw e2;
        }
        await backend.update(merged(stored, value));
      }
      written.push(value);
      onProgress(written.length);
    }
  }
  return { written, warnings };
}
