/**
 * Field paths in the form validation errors use: `spec.ingress[0].destination.ports[1]`,
 * `metadata.labels["example.com/app"]`.
 *
 * Object keys that are plain identifiers are joined with `.`; array indexes are written `[n]`;
 * any other key (map keys with `.`, `/`, digits first, ...) is written as a JSON string in
 * brackets, so the path can always be read back unambiguously.
 *
 * @module
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Appends an object key to a path.
 *
 * ## Example
 * ```ts
 * keyPath('metadata.labels', 'app');            // metadata.labels.app
 * keyPath('metadata.labels', 'example.com/app'); // metadata.labels["example.com/app"]
 * ```
 * @param parent The path so far (empty for the root).
 * @param key The object key.
 * @return The joined path.
 */
export function keyPath(parent: string, key: string): string {
  if (IDENTIFIER.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/**
 * Appends an array index to a path: `indexPath('spec.ingress', 2)` → `spec.ingress[2]`.
 *
 * @param parent The path so far.
 * @param index The array index.
 * @return The joined path.
 */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** Decodes one JSON Pointer segment (`~1` → `/`, `~0` → `~`). */
function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Converts a JSON Pointer into `document` (ajv's `instancePath`, `/spec/ingress/0`) into a field
 * path. The document is walked so that arrays and objects are told apart: a numeric key of a map
 * stays a key (`metadata.labels["0"]`), an index of an array becomes `[0]`.
 *
 * @param pointer The JSON Pointer (empty for the root).
 * @param document The document the pointer points into.
 * @param extra Key to append after the pointer (the missing or unknown property of `required` and
 *   `additionalProperties` errors).
 * @return The field path.
 */
export function pointerToPath(pointer: string, document: unknown, extra?: string): string {
  let path = '';
  let node: unknown = document;
  const segments = pointer === '' ? [] : pointer.split('/').slice(1).map(unescapePointer);
  for (const segment of segments) {
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(segment)) {
      path = indexPath(path, Number(segment));
      node = node[Number(segment)];
    } else {
      path = keyPath(path, segment);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return extra === undefined ? path : keyPath(path, extra);
}
