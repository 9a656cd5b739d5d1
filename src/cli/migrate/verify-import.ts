/**
 * The read-back check after an import: every object written is read from the target and compared
 * with the file.
 *
 * @module
 */
import type { Backend, ResourceObject } from '../../backends/backend.js';
import { isNotFound } from '../../errors.js';
import { applyDefaults } from '../../model/defaults.js';
import { serializeResource } from '../../model/serialize.js';
import { describeError } from '../describe-error.js';
import { keyLabel, keyOf } from './resource-keys.js';

/**
 * The first path at which `want` is not contained in `have`, or undefined. Objects: every key of
 * `want` with a contained value; arrays: the same length, element by element; anything else:
 * equal. The target may add fields (values it computes, such as a Node's Kubernetes addresses); it
 * may not lose or change any.
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
  if (want !== null && typeof want === 'object') {
    if (have === null || typeof have !== 'object' || Array.isArray(have)) return path;
    for (const [k, v] of Object.entries(want)) {
      const d = firstDifference(v, (have as Record<string, unknown>)[k], `${path}.${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return want === have ? undefined : path;
}

function firstMissingEntry(want: Record<string, string> | undefined, have: Record<string, string> | undefined, path: string): string | undefined {
  for (const [k, v] of Object.entries(want ?? {})) if (have?.[k] !== v) return `${path}.${k}`;
  return undefined;
}

/**
 * The spec in a comparable form: the kind's defaults applied (modelled kinds), then Calico's
 * normal form (zero values dropped, ports and protocols canonical). Unmodelled kinds pass through.
 */
function comparableSpec(obj: ResourceObject): unknown {
  return (serializeResource(applyDefaults(obj)) as ResourceObject).spec ?? {};
}

/**
 * Compares one object of the file with what the target holds.
 *
 * @param fromFile The object as imported.
 * @param stored The object read back.
 * @return The first differing path (`spec.x`, `metadata.labels.y`, `metadata.annotations.z`), or
 *   undefined when everything in the file arrived unchanged.
 */
export function firstImportDifference(fromFile: ResourceObject, stored: ResourceObject): string | undefined {
  return (
    firstDifference(comparableSpec(fromFile), comparableSpec(stored), 'spec') ??
    firstMissingEntry(fromFile.metadata.labels, stored.metadata.labels, 'metadata.labels') ??
    firstMissingEntry(fromFile.metadata.annotations, stored.metadata.annotations, 'metadata.annotations')
  );
}

/**
 * Reads each written object back and checks that everything the file held arrived unchanged
 * (see {@link firstImportDifference}).
 *
 * @param backend The target.
 * @param written The objects written, as they were sent.
 * @return One line per mismatch (`Kind(name): spec.x differs`, `Kind(name): missing after
 *   import`); empty when everything matches.
 */
export async function verifyImport(backend: Backend, written: readonly ResourceObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const obj of written) {
    const key = keyOf(obj);
    let stored: ResourceObject;
    try {
      stored = (await backend.get(key)).value;
    } catch (e) {
      problems.push(`${keyLabel(key)}: ${isNotFound(e) ? 'missing after import' : describeError(e, false)}`);
      continue;
    }
    const differs = firstImportDifference(obj, stored);
    if (differs !== undefined) problems.push(`${keyLabel(key)}: ${differs} differs`);
  }
  return problems;
}
