/**
 * Structural validation of documents against `schemas/` with ajv, and translation of ajv's
 * errors into {@link FieldError}s with field paths (`spec.ingress[0].destination.ports[1]`).
 *
 * One ajv instance serves the whole process. Each kind's validator is compiled the first time
 * that kind is validated and then reused.
 *
 * @module
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError, FieldErrorType } from '../errors.js';
import type { CalicoKind } from './kinds.js';
import { SCHEMA_FORMATS, formatMessage } from './schema-formats.js';
import { pointerToPath } from './schema-path.js';
import { DEFINITIONS_ID, KIND_SCHEMAS, SCHEMA_DOCUMENTS, type JsonSchema } from './schema-registry.js';

/** Annotation-only keywords the schemas carry (for generated CRDs and for our own code). */
const ANNOTATION_KEYWORDS = [
  'x-calico-omit-zero',
  'x-calico-no-omitempty',
  'x-calico-message',
  'x-calico-validator-only',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-validations',
];

let ajvInstance: Ajv | undefined;
const compiled = new Map<CalicoKind, ValidateFunction>();

function createAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    // `required` inside anyOf/oneOf alternatives names properties declared one level up.
    strictRequired: false,
    // Nullable timestamps are written `type: [string, null]`.
    allowUnionTypes: true,
    // Errors carry the failing schema and data, used to pick messages and safe values.
    verbose: true,
  });
  addFormats.default(ajv, ['date-time', 'int64']);
  for (const f of Object.values(SCHEMA_FORMATS)) ajv.addFormat(f.name, { type: 'string', validate: f.validate });
  ajv.addVocabulary(ANNOTATION_KEYWORDS);
  ajv.addSchema(SCHEMA_DOCUMENTS[DEFINITIONS_ID] as JsonSchema, DEFINITIONS_ID);
  return ajv;
}

function ajv(): Ajv {
  ajvInstance ??= createAjv();
  return ajvInstance;
}

/**
 * The compiled validator of a kind (compiled on first use, then cached).
 *
 * @param kind The kind.
 * @return ajv's validate function for documents of that kind.
 */
export function schemaValidatorFor(kind: CalicoKind): ValidateFunction {
  let fn = compiled.get(kind);
  if (!fn) {
    fn = ajv().compile(KIND_SCHEMAS[kind]);
    compiled.set(kind, fn);
  }
  return fn;
}

/**
 * Validates a document against its kind's schema.
 *
 * ## Example
 * ```ts
 * validateSchema('IPPool', { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: 'x', extra: 1 } });
 * // [{ path: 'spec.cidr', type: 'invalid', message: 'must be a CIDR (address/prefix length)', value: 'x' },
 * //  { path: 'spec.extra', type: 'forbidden', message: 'unknown field' }]
 * ```
 * @param kind The kind whose schema applies.
 * @param document The document (any JSON value).
 * @return Every schema violation, one entry per field and reason; empty when the document conforms.
 */
export function validateSchema(kind: CalicoKind, document: unknown): FieldError[] {
  const fn = schemaValidatorFor(kind);
  if (fn(document)) return [];
  return translateErrors(fn.errors ?? [], document);
}

function isUnder(prefix: string, pointer: string): boolean {
  return pointer === prefix || pointer.startsWith(`${prefix}/`);
}

/** Drops the per-branch errors of failed `anyOf`/`oneOf`: the alternative itself is reported once. */
function collapseAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const groups = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (groups.length === 0) return [...errors];
  return errors.filter(
    (e) => !groups.some((g) => g !== e && e.schemaPath.startsWith(`${g.schemaPath}/`) && isUnder(g.instancePath, e.instancePath)),
  );
}

/** A value that is short and harmless enough to echo back in {@link FieldError.value}. */
function safeValue(data: unknown): unknown {
  if (typeof data === 'number' || typeof data === 'boolean') return data;
  if (typeof data === 'string' && data.length <= 128) return data;
  return undefined;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

function describeType(param: unknown): string {
  const names = String(param)
    .split(',')
    .map((t) => TYPE_NAMES[t] ?? t);
  return `must be ${names.join(' or ')}`;
}

function customMessage(e: ErrorObject): string | undefined {
  const message = (e.parentSchema as JsonSchema | undefined)?.['x-calico-message'];
  return typeof message === 'string' ? message : undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function listValues(values: unknown): string {
  return Array.isArray(values) ? values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ') : '';
}

interface Translated {
  type: FieldErrorType;
  message: string;
  extra?: string;
  index?: number;
}

/** Type and message for one ajv error, without ajv's jargon. */
function describe(e: ErrorObject): Translated {
  const p = e.params as Record<string, unknown>;
  const empty = e.data === '';
  switch (e.keyword) {
    case 'required':
      return { type: 'required', message: 'is required', extra: String(p.missingProperty) };
    case 'additionalProperties':
      return { type: 'forbidden', message: 'unknown field', extra: String(p.additionalProperty) };
    case 'type':
      return { type: 'invalid', message: describeType(p.type) };
    case 'enum': {
      const allowed = p.allowedValues as unknown[];
      return allowed.length === 1
        ? { type: 'notSupported', message: `must be ${listValues(allowed)}` }
        : { type: 'notSupported', message: `must be one of ${listValues(allowed)}` };
    }
    case 'maxLength':
      return { type: 'tooLong', message: `must be at most ${plural(Number(p.limit), 'character')}` };
    case 'minLength':
      return empty ? { type: 'required', message: 'must not be empty' } : { type: 'invalid', message: `must be at least ${plural(Number(p.limit), 'character')}` };
    case 'pattern':
      return empty ? { type: 'required', message: 'must not be empty' } : { type: 'invalid', message: customMessage(e) ?? 'has an invalid format' };
    case 'format':
      return empty ? { type: 'required', message: 'must not be empty' } : { type: 'invalid', message: customMessage(e) ?? formatMessage(String(p.format)) };
    case 'maxItems':
      return { type: 'tooMany', message: `must have at most ${plural(Number(p.limit), 'item')}` };
    case 'minItems':
      return { type: Number(p.limit) === 1 ? 'required' : 'invalid', message: `must have at least ${plural(Number(p.limit), 'item')}` };
    case 'uniqueItems': {
      const [first, second] = [Number(p.i), Number(p.j)].sort((a, b) => a - b);
      return { type: 'duplicate', message: `duplicates item ${first}`, index: second };
    }
    case 'minProperties':
      return { type: 'invalid', message: Number(p.limit) === 1 ? 'must set at least one field' : `must set at least ${p.limit} fields` };
    case 'minimum':
      return { type: 'invalid', message: `must be at least ${p.limit}` };
    case 'maximum':
      return { type: 'invalid', message: `must be at most ${p.limit}` };
    case 'exclusiveMinimum':
      return { type: 'invalid', message: `must be greater than ${p.limit}` };
    case 'exclusiveMaximum':
      return { type: 'invalid', message: `must be less than ${p.limit}` };
    case 'anyOf':
    case 'oneOf':
      return { type: 'invalid', message: customMessage(e) ?? 'does not match any of the allowed forms' };
    default:
      return { type: 'invalid', message: customMessage(e) ?? e.message ?? 'is invalid' };
  }
}

/**
 * Translates ajv errors into field errors: JSON Pointer paths become field paths (the missing or
 * unknown property of `required`/`additionalProperties` is appended), the per-branch noise of
 * failed alternatives is collapsed into one error, and exact duplicates are removed.
 *
 * @param errors ajv's errors (from a validator compiled with `verbose: true`).
 * @param document The validated document, walked to tell array indexes from map keys.
 * @return The field errors, in ajv's order.
 */
export function translateErrors(errors: readonly ErrorObject[], document: unknown): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of collapseAlternatives(errors)) {
    const t = describe(e);
    let path = pointerToPath(e.instancePath, document, t.extra);
    if (t.index !== undefined) path = `${path}[${t.index}]`;
    const key = `${path}\u0000${t.type}\u0000${t.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const value = t.extra === undefined && t.index === undefined ? safeValue(e.data) : undefined;
    out.push(value === undefined ? { path, type: t.type, message: t.message } : { path, type: t.type, message: t.message, value });
  }
  return out;
}
