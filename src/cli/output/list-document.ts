/**
 * A `<Kind>List` document (`get KIND -o yaml|json`) written page by page, byte for byte as
 * `renderOutput` prints the whole list, so a list of any size is printed while it is read and
 * never held in memory whole.
 *
 * @module
 */
import type { ResourceObject } from '../../backends/backend.js';
import { inCalicoFieldOrder } from './document-order.js';
import { yamlListItem } from './yaml-items.js';
import { toCalicoYaml } from './yaml-text.js';

/** Writes one list document: the text of each page as it comes, then the end. */
export interface ListDocumentWriter {
  /** The text for the next page of items (with the document's beginning before the first item). */
  items(objects: readonly ResourceObject[]): string;
  /** The rest of the document (all of it when no item was written). */
  end(): string;
}

/** `JSON.stringify(value, null, 2)` of an item of `items`, indented to its place in the list. */
function jsonItem(object: ResourceObject): string {
  return `    ${JSON.stringify(inCalicoFieldOrder(object), null, 2).replace(/\n/g, '\n    ')}`;
}

/**
 * Starts a list document.
 *
 * The document is the one `renderOutput` prints for the list with no items, split where the items
 * go: YAML sorts `items` between `apiVersion` and `kind`, JSON puts it last, and both print an
 * empty list as `[]`.
 *
 * @param format `yaml` or `json`.
 * @param kind The listed kind, for example `IPPool`.
 * @param resourceVersion The list's revision (the first page's: every page is read at it).
 * @return The writer.
 */
export function listDocumentWriter(format: 'yaml' | 'json', kind: string, resourceVersion: string): ListDocumentWriter {
  const skeleton = { kind: `${kind}List`, apiVersion: 'projectcalico.org/v3', metadata: { resourceVersion }, items: [] };
  const empty = format === 'yaml' ? toCalicoYaml(skeleton) : `${JSON.stringify(skeleton, null, 2)}\n`;
  const marker = format === 'yaml' ? '\nitems: []\n' : '"items": []';
  const at = empty.lastIndexOf(marker);
  const head = format === 'yaml' ? `${empty.slice(0, at)}\nitems:\n` : `${empty.slice(0, at)}"items": [\n`;
  const tail = format === 'yaml' ? empty.slice(at + marker.length) : `\n  ]${empty.slice(at + marker.length)}`;
  let written = 0;
  return {
    items(objects) {
      if (objects.length === 0) return '';
      const parts: string[] = written === 0 ? [head] : [];
      for (const object of objects) {
        if (format === 'yaml') parts.push(yamlListItem(object));
        else parts.push(written === 0 ? '' : ',\n', jsonItem(object));
        written += 1;
      }
      return parts.join('');
    },
    end: () => (written === 0 ? empty : tail),
  };
}
