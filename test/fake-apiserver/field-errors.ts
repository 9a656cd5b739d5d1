/**
 * Field errors as the Kubernetes API server reports them (`k8s.io/apimachinery/pkg/util/validation/field`):
 * a type (`FieldValueRequired`, ...), a dotted path (`spec.ingress[0].ports[1]`) and a message body
 * (`Required value`, `Invalid value: "x": detail`, ...). A list of them becomes a 422 `Invalid`
 * Status with one `details.causes[]` entry per error.
 *
 * @module
 */

/** The cause types the API server uses for field errors. */
export type FieldErrType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTypeInvalid'
  | 'FieldValueDuplicate'
  | 'FieldValueTooMany'
  | 'FieldValueTooLong'
  | 'FieldValueNotFound';

/** One field error: its type, path and the rendered message body (without the path). */
export interface FieldErr {
  /** Cause type (`details.causes[].reason`). */
  type: FieldErrType;
  /** Dotted path (`details.causes[].field`); `<nil>` for the object root. */
  field: string;
  /** Message body (`details.causes[].message`). */
  body: string;
}

/** A value already rendered the way Go's `%#v` would (for example `0x0` for an unsigned zero). */
export interface RawValue {
  raw: string;
}

/**
 * Renders a value the way `field.Error` does: strings quoted, numbers and booleans bare, `null`
 * as `"null"`, composite values as compact JSON.
 *
 * @param value The offending value.
 * @return The rendered value.
 */
export function renderValue(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'raw' in value && typeof (value as RawValue).raw === 'string') {
    return (value as RawValue).raw;
  }
  if (value === null || value === undefined) return '"null"';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function withDetail(head: string, detail: string | undefined): string {
  return detail ? `${head}: ${detail}` : head;
}

/** `Required value[: detail]`. */
export function required(field: string, detail?: string): FieldErr {
  return { type: 'FieldValueRequired', field, body: withDetail('Required value', detail) };
}

/** `Forbidden[: detail]`. */
export function forbidden(field: string, detail?: string): FieldErr {
  return { type: 'FieldValueForbidden', field, body: withDetail('Forbidden', detail) };
}

/** `Invalid value: <v>[: detail]`. */
export function invalid(field: string, value: unknown, detail?: string): FieldErr {
  return { type: 'FieldValueInvalid', field, body: withDetail(`Invalid value: ${renderValue(value)}`, detail) };
}

/** `Invalid value: <v>[: detail]` with the type-mismatch cause. */
export function typeInvalid(field: string, value: unknown, detail?: string): FieldErr {
  return { type: 'FieldValueTypeInvalid', field, body: withDetail(`Invalid value: ${renderValue(value)}`, detail) };
}

/** `Unsupported value: <v>: supported values: "a", "b"`. */
export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldErr {
  const list = supported.length ? `: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : '';
  return { type: 'FieldValueNotSupported', field, body: `Unsupported value: ${renderValue(value)}${list}` };
}

/** `Duplicate value: <v>`. */
export function duplicate(field: string, value: unknown): FieldErr {
  return { type: 'FieldValueDuplicate', field, body: `Duplicate value: ${renderValue(value)}` };
}

/** `Too many: <n>: must have at most <max> items`. */
export function tooMany(field: string, actual: number, max: number): FieldErr {
  return { type: 'FieldValueTooMany', field, body: `Too many: ${actual}: must have at most ${max} items` };
}

/** `Too long: may not be more than <max> bytes`. */
export function tooLong(field: string, max: number): FieldErr {
  return { type: 'FieldValueTooLong', field, body: `Too long: may not be more than ${max} bytes` };
}

/** `Not found: <v>`. */
export function notFoundField(field: string, value: unknown): FieldErr {
  return { type: 'FieldValueNotFound', field, body: `Not found: ${renderValue(value)}` };
}

/**
 * Appends a child to a dotted path: a property name (`spec` + `cidr` → `spec.cidr`) or a list
 * index / map key in brackets (`spec.ingress` + 0 → `spec.ingress[0]`).
 *
 * @param parent The parent path; `''` for the root.
 * @param child A property name, or a number for a list index.
 * @param asKey Render a string child as a map key (`[key]`) instead of a property.
 */
export function childField(parent: string, child: string | number, asKey = false): string {
  if (typeof child === 'number' || asKey) return `${parent}[${child}]`;
  return parent ? `${parent}.${child}` : child;
}

/** Renders an error list the way `ErrorList.ToAggregate().Error()` does (deduplicated, `[a, b]` for several). */
export function aggregateMessage(errors: readonly FieldErr[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const e of errors) {
    const text = `${e.field || '<nil>'}: ${e.body}`;
    if (!seen.has(text)) {
      seen.add(text);
      parts.push(text);
    }
  }
  return parts.length === 1 ? (parts[0] as string) : `[${parts.join(', ')}]`;
}
