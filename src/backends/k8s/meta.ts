/**
 * Small helpers shared by the Kubernetes conversions: timestamps, label maps, object paths.
 *
 * @module
 */
import type { KubeObject, KubeTimestamp } from './kube-types.js';
import { isRecord } from '../../model/plain-object.js';
import { formatTimestamp } from '../../model/timestamp.js';

/**
 * A timestamp in Kubernetes' wire form: RFC 3339, UTC, whole seconds. Strings pass through;
 * `Date`s (client-node typed objects) lose their milliseconds.
 *
 * @param value The timestamp.
 * @return The string, `null` for `null`, or undefined when absent.
 */
export function wireTimestamp(value: KubeTimestamp | undefined): string | null | undefined {
  if (value === undefined || value === null || typeof value === 'string') return value;
  return Number.isNaN(value.getTime()) ? undefined : formatTimestamp(value);
}

/**
 * Parses a JSON object whose values are all strings (a label or annotation map kept in an
 * annotation).
 *
 * @param text The JSON text.
 * @return The map, or undefined when the text is not such an object.
 */
export function parseStringMap(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null) return {};
  if (!isRecord(parsed)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string') return undefined;
    out[k] = v;
  }
  return out;
}

/**
 * The API path of a Kubernetes object, used to name it in errors (`ParseError.key`).
 *
 * @param base Collection path without namespace, for example `/api/v1` + `pods`.
 * @param plural Resource plural.
 * @param obj The object (for namespace and name).
 * @return For example `/api/v1/namespaces/shop/pods/web-0`.
 */
export function objectPath(base: string, plural: string, obj: KubeObject | undefined): string {
  const ns = obj?.metadata?.namespace;
  const name = obj?.metadata?.name ?? '';
  return ns ? `${base}/namespaces/${ns}/${plural}/${name}` : `${base}/${plural}/${name}`;
}
