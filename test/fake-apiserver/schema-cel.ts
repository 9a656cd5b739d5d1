/**
 * Runs a CRD's `x-kubernetes-validations` (CEL) rules over an object, as the API server does
 * after schema validation: each rule is evaluated with `self` bound to the value at its schema
 * node (and `oldSelf` to the stored value on update, for transition rules). A rule that is not
 * `true` becomes a field error of its `reason` with its `message` at the node's path; the root
 * node's path prints as `<nil>`. Rules are compiled once per rule text.
 *
 * @module
 */
import { evalCel } from './cel-eval.js';
import { parseCel, type CelNode } from './cel-parser.js';
import { childField, duplicate, forbidden, invalid, required, type FieldErr } from './field-errors.js';
import { canonical } from './object-meta.js';
import type { CelRule, JsonObject, JsonValue, SchemaNode } from './types.js';

const compiled = new Map<string, CelNode>();

function compile(rule: string): CelNode {
  let node = compiled.get(rule);
  if (!node) {
    node = parseCel(rule);
    compiled.set(rule, node);
  }
  return node;
}

function mentionsOldSelf(n: CelNode): boolean {
  switch (n.k) {
    case 'id':
      return n.name === 'oldSelf';
    case 'lit':
      return false;
    case 'sel':
      return mentionsOldSelf(n.target);
    case 'index':
      return mentionsOldSelf(n.target) || mentionsOldSelf(n.index);
    case 'call':
      return (n.target ? mentionsOldSelf(n.target) : false) || n.args.some(mentionsOldSelf);
    case 'unary':
      return mentionsOldSelf(n.arg);
    case 'bin':
      return mentionsOldSelf(n.left) || mentionsOldSelf(n.right);
    case 'cond':
      return mentionsOldSelf(n.test) || mentionsOldSelf(n.then) || mentionsOldSelf(n.else);
    case 'list':
      return n.items.some(mentionsOldSelf);
    case 'map':
      return n.entries.some(([k, v]) => mentionsOldSelf(k) || mentionsOldSelf(v));
  }
}

/**
 * Compiles every rule of a schema; returns the syntax errors (a real server refuses such a CRD).
 *
 * @param schema The `openAPIV3Schema`.
 */
export function compileRules(schema: SchemaNode): string[] {
  const problems: string[] = [];
  const walk = (s: SchemaNode | undefined): void => {
    if (!s) return;
    for (const r of s['x-kubernetes-validations'] ?? []) {
      try {
        compile(r.rule);
      } catch (e) {
        problems.push(`${r.rule}: ${(e as Error).message}`);
      }
    }
    Object.values(s.properties ?? {}).forEach(walk);
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties);
    walk(s.items);
  };
  walk(schema);
  return problems;
}

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

function ruleError(rule: CelRule, path: string, type: string): FieldErr {
  const message = rule.message?.trim() ? rule.message : `failed rule: ${rule.rule}`;
  const fp = rule.fieldPath?.replace(/^\./, '');
  const field = fp ? (path ? `${path}.${fp}` : fp) : path;
  switch (rule.reason) {
    case 'FieldValueForbidden':
      return forbidden(field, message);
    case 'FieldValueRequired':
      return required(field, message);
    case 'FieldValueDuplicate':
      return duplicate(field, type);
    default:
      return invalid(field, type, message);
  }
}

function walk(value: JsonValue | undefined, old: JsonValue | undefined, hasOld: boolean, s: SchemaNode, path: string, root: boolean, errs: FieldErr[]): void {
  if (value === undefined) return;
  const type = s.type ?? '';
  for (const rule of s['x-kubernetes-validations'] ?? []) {
    const node = compile(rule.rule);
    const transition = mentionsOldSelf(node);
    if (transition && !hasOld && !rule.optionalOldSelf) continue;
    const self = root && isObject(value) ? { ...value, metadata: pickMeta(value.metadata) } : value;
    const vars = new Map<string, unknown>([['self', self]]);
    if (transition) vars.set('oldSelf', root && isObject(old) ? { ...old, metadata: pickMeta(old.metadata) } : old);
    try {
      if (evalCel(node, vars) !== true) errs.push(ruleError(rule, path, type));
    } catch (e) {
      errs.push(invalid(path, type, `failed rule: ${rule.rule}: ${(e as Error).message}`));
    }
  }
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (root && k === 'metadata') continue;
      const prop = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (!prop) continue;
      const oldChild = hasOld && isObject(old) && k in old ? old[k] : undefined;
      walk(v, oldChild, oldChild !== undefined, prop, childField(path, k), false, errs);
    }
  } else if (Array.isArray(value) && s.items) {
    const keys = s['x-kubernetes-list-type'] === 'map' ? (s['x-kubernetes-list-map-keys'] ?? []) : undefined;
    const keyOf = (item: JsonValue): string => canonical((keys ?? []).map((k) => (isObject(item) ? (item[k] ?? null) : null)));
    const oldByKey = new Map<string, JsonValue>();
    if (keys && hasOld && Array.isArray(old)) for (const o of old) oldByKey.set(keyOf(o), o);
    value.forEach((item, i) => {
      const o = keys ? oldByKey.get(keyOf(item)) : undefined;
      walk(item, o, o !== undefined, s.items as SchemaNode, childField(path, i), false, errs);
    });
  }
}

function pickMeta(meta: JsonValue | undefined): JsonObject {
  const out: JsonObject = {};
  if (isObject(meta)) {
    if (meta.name !== undefined) out.name = meta.name;
    if (meta.generateName !== undefined) out.generateName = meta.generateName;
  }
  return out;
}

/**
 * Evaluates every rule of the schema over an object.
 *
 * @param obj The object (pruned, defaulted, schema-valid).
 * @param old The stored object on update.
 * @param schema The `openAPIV3Schema`.
 * @return Field errors.
 */
export function validateCelRules(obj: JsonObject, old: JsonObject | undefined, schema: SchemaNode): FieldErr[] {
  const errs: FieldErr[] = [];
  walk(obj, old, old !== undefined, schema, '', true, errs);
  return errs;
}
