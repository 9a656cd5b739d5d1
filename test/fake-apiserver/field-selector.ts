/**
 * Field selectors as the API server parses them (`k8s.io/apimachinery/pkg/fields`): comma-separated
 * `field=value`, `field==value` or `field!=value` terms, with `\,`, `\=` and `\\` escapes in values.
 * Every resource supports `metadata.name` and `metadata.namespace`; others add their own fields
 * (`spec.nodeName` on Pods). An unknown field is a 400 `field label not supported: <field>`.
 *
 * @module
 */
import { isSelectorError, type SelectorError } from './label-selector.js';
import type { KubeObject, ResourceDefinition } from './types.js';

/** One parsed term. */
export interface FieldTerm {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** A parsed field selector. */
export interface FieldSelector {
  terms: FieldTerm[];
  /** True when the object satisfies every term. */
  matches(obj: KubeObject): boolean;
  /** The value of `metadata.name=<x>` when the selector pins a single name. */
  exactName(): string | undefined;
}

function fail(message: string): never {
  const e = new Error(message) as SelectorError;
  e.selectorError = true;
  throw e;
}

export { isSelectorError };

function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      cur += c + (text[i + 1] as string);
      i++;
    } else if (c === sep) {
      parts.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  parts.push(cur);
  return parts;
}

function unescape(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\') {
      const n = value[i + 1];
      if (n === '\\' || n === ',' || n === '=') {
        out += n;
        i++;
      } else {
        fail(`invalid field selector: invalid escape sequence: \\${n ?? ''}`);
      }
    } else if (c === ',' || c === '=') {
      fail(`invalid field selector: unescaped character: '${c}'`);
    } else {
      out += c;
    }
  }
  return out;
}

function splitTerm(whole: string, term: string): FieldTerm {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\') {
      i++;
      continue;
    }
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) {
        const field = term.slice(0, i);
        const value = unescape(term.slice(i + op.length));
        return { field, operator: op === '!=' ? '!=' : '=', value };
      }
    }
  }
  return fail(`invalid selector: '${whole}'; can't understand '${term}'`);
}

/** The value of a field every object has (`metadata.name`, `metadata.namespace`). */
function metaField(obj: KubeObject, field: string): string {
  if (field === 'metadata.name') return obj.metadata?.name ?? '';
  return obj.metadata?.namespace ?? '';
}

/**
 * Parses a field selector for one resource. Throws a selector error (400 at the router) on bad
 * syntax or a field the resource does not support.
 *
 * @param text The `fieldSelector` query value.
 * @param resource The resource being listed or watched.
 * @return The parsed selector.
 */
export function parseFieldSelector(text: string, resource: ResourceDefinition): FieldSelector {
  const terms: FieldTerm[] = [];
  for (const part of splitUnescaped(text, ',').sort()) {
    if (part === '') continue;
    const t = splitTerm(text, part);
    if (t.field !== 'metadata.name' && t.field !== 'metadata.namespace' && !resource.fields?.[t.field]) {
      fail(`field label not supported: ${t.field}`);
    }
    terms.push(t);
  }
  const valueOf = (obj: KubeObject, field: string): string => {
    const getter = resource.fields?.[field];
    return getter ? getter(obj) : metaField(obj, field);
  };
  return {
    terms,
    matches(obj) {
      return terms.every((t) => (valueOf(obj, t.field) === t.value) === (t.operator === '='));
    },
    exactName() {
      return terms.find((t) => t.field === 'metadata.name' && t.operator === '=')?.value;
    },
  };
}
