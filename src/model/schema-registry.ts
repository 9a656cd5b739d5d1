/**
 * The JSON schemas of `schemas/`, loaded once and keyed by kind, plus `$ref` resolution for code
 * that walks them (the serialiser). The bundler inlines the JSON, so no file paths are needed at
 * run time.
 *
 * @module
 */
import definitions from '../../schemas/definitions.json' with { type: 'json' };
import globalNetworkPolicy from '../../schemas/globalnetworkpolicy.json' with { type: 'json' };
import ipPool from '../../schemas/ippool.json' with { type: 'json' };
import networkPolicy from '../../schemas/networkpolicy.json' with { type: 'json' };
import node from '../../schemas/node.json' with { type: 'json' };
import tier from '../../schemas/tier.json' with { type: 'json' };
import workloadEndpoint from '../../schemas/workloadendpoint.json' with { type: 'json' };
import type { CalicoKind } from './kinds.js';

/** The subset of JSON Schema (draft-07) the project's schemas use. */
export interface JsonSchema {
  $id?: string;
  $ref?: string;
  title?: string;
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  definitions?: Record<string, JsonSchema>;
  /** Go drops this number when it is 0 (a non-pointer integer with `omitempty`). */
  'x-calico-omit-zero'?: boolean;
  /**
   * The Go field has no `omitempty`: Go writes it even at its zero value (`hostPort: 0`,
   * `hostIP: ""`, `creationTimestamp: null`, an empty `status`), so a zero value that is present
   * is kept when serialising, and a read-modify-write gives back what Calico wrote.
   */
  'x-calico-no-omitempty'?: boolean;
  /** Reason shown when this schema's pattern, format or alternatives fail. */
  'x-calico-message'?: string;
  /** Keywords of this node that Calico checks in its validator but not in its CRD (left out of crds.yaml). */
  'x-calico-validator-only'?: string[];
  [keyword: string]: unknown;
}

/** File name (`$id`) of the shared definitions. */
export const DEFINITIONS_ID = 'definitions.json';

/** Every schema document, keyed by `$id` (its file name). */
export const SCHEMA_DOCUMENTS: Readonly<Record<string, JsonSchema>> = Object.freeze({
  [DEFINITIONS_ID]: definitions as JsonSchema,
  'ippool.json': ipPool as JsonSchema,
  'node.json': node as JsonSchema,
  'workloadendpoint.json': workloadEndpoint as JsonSchema,
  'networkpolicy.json': networkPolicy as JsonSchema,
  'globalnetworkpolicy.json': globalNetworkPolicy as JsonSchema,
  'tier.json': tier as JsonSchema,
});

/** The top-level schema of each kind. */
export const KIND_SCHEMAS: Readonly<Record<CalicoKind, JsonSchema>> = Object.freeze({
  IPPool: ipPool as JsonSchema,
  Node: node as JsonSchema,
  WorkloadEndpoint: workloadEndpoint as JsonSchema,
  NetworkPolicy: networkPolicy as JsonSchema,
  GlobalNetworkPolicy: globalNetworkPolicy as JsonSchema,
  Tier: tier as JsonSchema,
});

/** A schema together with the document it belongs to (needed to resolve its own `$ref`s). */
export interface SchemaAt {
  /** `$id` of the containing document. */
  documentId: string;
  /** The schema. */
  schema: JsonSchema;
}

/**
 * Follows `$ref`s (`#/definitions/X` or `file.json#/definitions/X`) until a schema without one.
 * Unresolvable references give `undefined`.
 *
 * @param at The schema and the document it sits in.
 * @return The referenced schema and its document.
 */
export function derefSchema(at: SchemaAt): SchemaAt | undefined {
  let current: SchemaAt = at;
  for (let hops = 0; current.schema.$ref !== undefined; hops++) {
    if (hops > 16) return undefined;
    const [file = '', pointer = ''] = current.schema.$ref.split('#');
    const documentId = file === '' ? current.documentId : file;
    let node: unknown = SCHEMA_DOCUMENTS[documentId];
    for (const part of pointer.split('/').filter(Boolean)) {
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    }
    if (node === null || typeof node !== 'object') return undefined;
    current = { documentId, schema: node as JsonSchema };
  }
  return current;
}
