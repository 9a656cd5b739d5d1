/**
 * Checks an object against Calico's real CRD manifest (`/work/shared/calico-crds`) the way the
 * API server does: unknown fields (which the server would prune, losing data), OpenAPI schema
 * errors and CEL rule errors. Reuses the fake API server's validators directly, so the assertion
 * does not depend on going through HTTP.
 */
import { calicoCrdFile, loadCrdFile } from '../../fake-apiserver/crd.js';
import type { FieldErr } from '../../fake-apiserver/field-errors.js';
import { validateCelRules } from '../../fake-apiserver/schema-cel.js';
import { pruneAndDefault } from '../../fake-apiserver/schema-prune.js';
import { validateAgainstSchema } from '../../fake-apiserver/schema-validate.js';
import type { JsonObject, SchemaNode } from '../../fake-apiserver/types.js';

const schemas = new Map<string, SchemaNode>();

function schemaOf(plural: string): SchemaNode {
  let schema = schemas.get(plural);
  if (!schema) {
    const def = loadCrdFile(calicoCrdFile(plural))[0];
    if (!def?.schema) throw new Error(`no schema in the ${plural} CRD`);
    schema = def.schema;
    schemas.set(plural, schema);
  }
  return schema;
}

function describe(e: FieldErr): string {
  return `${e.field}: ${e.type}: ${e.body}`;
}

/**
 * The problems the API server would find with `obj` as a `crd.projectcalico.org/v1` custom
 * resource of `plural`: pruned unknown fields first, then schema and CEL errors.
 *
 * @param obj The custom resource body.
 * @param plural The CRD plural (`ippools`, ...).
 * @param old The stored object, for CEL transition rules on update.
 * @return One line per problem; empty when the server accepts the object unchanged.
 */
export function crdProblems(obj: unknown, plural: string, old?: unknown): string[] {
  const schema = schemaOf(plural);
  const copy = structuredClone(obj) as JsonObject;
  const pruned = pruneAndDefault(copy, schema).map((p) => `${p}: unknown field (would be pruned)`);
  const errs = validateAgainstSchema(copy, schema);
  const cel = errs.length === 0 ? validateCelRules(copy, old === undefined ? undefined : (structuredClone(old) as JsonObject), schema) : [];
  return [...pruned, ...[...errs, ...cel].map(describe)];
}
