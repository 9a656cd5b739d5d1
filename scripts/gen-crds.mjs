#!/usr/bin/env node
/**
 * Generates `crds.yaml`: the `crd.projectcalico.org/v1` CustomResourceDefinitions of the kinds the
 * Kubernetes backend stores as custom resources (IPPool, NetworkPolicy, GlobalNetworkPolicy,
 * Tier, ClusterInformation), with schemas made from this project's `schemas/*.json`, so the CRDs
 * and the client-side validation come from one source.
 *
 * The CRDs accept and reject what Calico's own CRDs do (test/backends/k8s/crd-differential.test.ts
 * checks this against Calico's manifests). The facts Calico puts only in its CRDs live in the
 * schemas as data: `x-kubernetes-validations` (CEL rules with message, reason and fieldPath),
 * `x-kubernetes-list-type`/`-list-map-keys` and `default`. Keywords a schema node lists in
 * `x-calico-validator-only` are checks Calico makes in its validator (and `validate()` makes) but
 * not in its CRD; they are left out here.
 *
 * The JSON schemas are turned into Kubernetes structural schemas: `$ref`s are inlined (keywords
 * beside a `$ref`, such as `default` or rules, apply to that use of the type); `type`
 * lists with `null` become `nullable`; `additionalProperties: false` is dropped (the API server
 * prunes unknown fields instead); `uniqueItems` on scalar lists becomes
 * `x-kubernetes-list-type: set` unless a list type is given; number-or-string values keep `x-kubernetes-int-or-string` with
 * the plain `anyOf` of integer and string Kubernetes requires (their bounds and patterns move up,
 * where they apply to the matching type only); formats the API server does not know, titles and
 * `x-calico-*` keywords are left out. `metadata` is only `type: object`, as Kubernetes requires.
 *
 * ClusterInformation has no schema in `schemas/` (the library does not model it); its small
 * schema is written here.
 *
 * Usage:
 *   node scripts/gen-crds.mjs            write crds.yaml
 *   node scripts/gen-crds.mjs --check    exit 1 when crds.yaml is missing or stale
 *   node scripts/gen-crds.mjs --out F    write (or with --check, compare) F instead
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA_DIR = join(ROOT, 'schemas');
const DEFAULT_OUT = join(ROOT, 'crds.yaml');
const GROUP = 'crd.projectcalico.org';

/**
 * The CRDs, in file order. `schema` names a file in schemas/, or is given inline; `required` is
 * what the custom resource's root requires (Calico's CRDs differ per kind); `status` adds the
 * status subresource. No short names: Calico's CRDs have none.
 */
const CRDS = [
  { kind: 'IPPool', plural: 'ippools', singular: 'ippool', scope: 'Cluster', schema: 'ippool.json', status: true },
  { kind: 'NetworkPolicy', plural: 'networkpolicies', singular: 'networkpolicy', scope: 'Namespaced', schema: 'networkpolicy.json' },
  { kind: 'GlobalNetworkPolicy', plural: 'globalnetworkpolicies', singular: 'globalnetworkpolicy', scope: 'Cluster', schema: 'globalnetworkpolicy.json' },
  { kind: 'Tier', plural: 'tiers', singular: 'tier', scope: 'Cluster', schema: 'tier.json', status: true, required: ['metadata', 'spec'] },
  {
    kind: 'ClusterInformation',
    plural: 'clusterinformations',
    singular: 'clusterinformation',
    scope: 'Cluster',
    schema: {
      description: 'Cluster-wide facts Calico records: its identity, type, version and whether the datastore is ready.',
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: {
          description: 'The cluster information.',
          type: 'object',
          properties: {
            clusterGUID: { description: 'Unique identifier of the cluster (32 hex characters).', type: 'string' },
            clusterType: { description: 'Comma-separated cluster type, for example k8s,bgp,kdd.', type: 'string' },
            calicoVersion: { description: 'Calico version of the cluster, for example v3.32.0.', type: 'string' },
            datastoreReady: { description: 'False stops Felix from programming the dataplane (datastore migration).', type: 'boolean' },
            variant: { description: 'Calico variant, for example Calico.', type: 'string' },
          },
        },
      },
    },
  },
];

/** Formats the API server validates; others are dropped. */
const KUBERNETES_FORMATS = new Set(['date-time', 'datetime', 'date', 'ipv4', 'ipv6', 'cidr', 'mac', 'uuid', 'hostname', 'uri', 'email', 'byte', 'duration', 'int32', 'int64']);
/** Keywords of a Kubernetes structural schema we copy. */
const COPIED = ['description', 'type', 'format', 'enum', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'required', 'default', 'nullable', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-validations'];

function load(file) {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8'));
}

/** Resolves `#/definitions/X` or `file.json#/definitions/X`. */
function resolveRef(ref, file, files) {
  const [target, pointer = ''] = ref.split('#');
  const targetFile = target === '' ? file : target;
  let node = files.get(targetFile) ?? load(targetFile);
  files.set(targetFile, node);
  for (const part of pointer.split('/').filter(Boolean)) node = node?.[part];
  if (node === undefined) throw new Error(`${file}: unresolved $ref ${ref}`);
  return { schema: node, file: targetFile };
}

const isScalar = (s) => s && (s.type === 'string' || s.type === 'integer' || s.type === 'number' || s.type === 'boolean' || s['x-kubernetes-int-or-string']);

/**
 * Converts one JSON-schema node into a structural-schema node.
 *
 * @param node The JSON schema.
 * @param file The file it is in (for relative `$ref`s).
 * @param files Loaded files.
 * @param seen `$ref`s being expanded (recursion guard).
 * @param inJunctor True inside allOf/anyOf/oneOf/not, where only validations are allowed.
 */
function convert(node, file, files, seen = [], inJunctor = false) {
  if (node.$ref) {
    if (seen.includes(node.$ref)) throw new Error(`recursive $ref ${node.$ref}: not expressible in a CRD`);
    const { schema, file: target } = resolveRef(node.$ref, file, files);
    const inner = convert(schema, target, files, [...seen, node.$ref], inJunctor);
    // Keywords next to a $ref (a description, a default, rules) belong to this use of the type.
    const siblings = { ...node };
    delete siblings.$ref;
    const own = convert(siblings, file, files, seen, inJunctor);
    const rules = [...(inner['x-kubernetes-validations'] ?? []), ...(own['x-kubernetes-validations'] ?? [])];
    return { ...inner, ...own, ...(rules.length ? { 'x-kubernetes-validations': rules } : {}) };
  }
  const out = {};
  for (const k of COPIED) if (node[k] !== undefined) out[k] = JSON.parse(JSON.stringify(node[k]));
  if (inJunctor) {
    delete out.description;
    delete out.type;
    delete out.default;
    delete out.nullable;
  }
  if (Array.isArray(out.type)) {
    const types = out.type.filter((t) => t !== 'null');
    if (types.length !== 1) throw new Error(`${file}: type ${JSON.stringify(out.type)} is not expressible in a CRD`);
    out.type = types[0];
    if (node.type.includes('null')) out.nullable = true;
  }
  if (out.format && !KUBERNETES_FORMATS.has(out.format)) delete out.format;
  if (typeof node.exclusiveMinimum === 'number') Object.assign(out, { minimum: node.exclusiveMinimum, exclusiveMinimum: true });
  if (typeof node.exclusiveMaximum === 'number') Object.assign(out, { maximum: node.exclusiveMaximum, exclusiveMaximum: true });
  if (node.const !== undefined) out.enum = [node.const];
  if (node.properties) {
    out.properties = {};
    for (const [k, v] of Object.entries(node.properties)) out.properties[k] = convert(v, file, files, seen, inJunctor);
  }
  if (node.additionalProperties && typeof node.additionalProperties === 'object') out.additionalProperties = convert(node.additionalProperties, file, files, seen, inJunctor);
  else if (node.additionalProperties === true) out['x-kubernetes-preserve-unknown-fields'] = true;
  if (node.items) {
    out.items = convert(node.items, file, files, seen, inJunctor);
    if (node.uniqueItems && isScalar(out.items) && !out['x-kubernetes-list-type']) out['x-kubernetes-list-type'] = 'set';
  }
  if (node['x-kubernetes-int-or-string']) {
    out['x-kubernetes-int-or-string'] = true;
    delete out.type;
    // Kubernetes allows exactly this anyOf here; bounds and patterns apply to their own type anyway.
    for (const branch of node.anyOf ?? []) {
      for (const k of ['minimum', 'maximum', 'pattern', 'minLength', 'maxLength']) if (branch[k] !== undefined) out[k] = branch[k];
    }
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
    return validatorOnlyRemoved(node, out);
  }
  for (const junctor of ['allOf', 'anyOf', 'oneOf']) {
    if (node[junctor]) out[junctor] = node[junctor].map((s) => convert(s, file, files, seen, true));
  }
  if (node.not) out.not = convert(node.not, file, files, seen, true);
  return validatorOnlyRemoved(node, out);
}

/** Drops the keywords `node` marks as checked by Calico's validator only (not by its CRD). */
function validatorOnlyRemoved(node, out) {
  for (const k of node['x-calico-validator-only'] ?? []) {
    if (out[k] === undefined) throw new Error(`x-calico-validator-only names ${k}, which the node does not have`);
    delete out[k];
  }
  return out;
}

/** The schema of a kind's custom resource: our spec/status schemas, `metadata` left to Kubernetes. */
function resourceSchema(crd, files) {
  const source = typeof crd.schema === 'string' ? load(crd.schema) : crd.schema;
  const file = typeof crd.schema === 'string' ? crd.schema : '<inline>';
  const props = {};
  for (const [k, v] of Object.entries(source.properties ?? {})) {
    if (k === 'apiVersion') props[k] = { description: `${GROUP}/v1 on the custom resource (projectcalico.org/v3 for the object it stores).`, type: 'string' };
    else if (k === 'kind') props[k] = { description: v.description, type: 'string' };
    else if (k === 'metadata') props[k] = { type: 'object' };
    else props[k] = convert(v, file, files);
  }
  const root = { description: source.description, type: 'object', properties: props };
  if (crd.required) root.required = crd.required;
  if (source['x-kubernetes-validations']) root['x-kubernetes-validations'] = source['x-kubernetes-validations'];
  return root;
}

function crdDocument(crd, files) {
  const version = { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: resourceSchema(crd, files) } };
  if (crd.status) version.subresources = { status: {} };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${crd.plural}.${GROUP}` },
    spec: {
      group: GROUP,
      names: { kind: crd.kind, listKind: `${crd.kind}List`, plural: crd.plural, singular: crd.singular },
      scope: crd.scope,
      versions: [version],
    },
  };
}

/** The whole file. */
function generate() {
  const files = new Map();
  const header = '# Generated by scripts/gen-crds.mjs from schemas/*.json. Do not edit: change the schemas and run\n# `node scripts/gen-crds.mjs` (a test fails while this file is stale).\n';
  return header + CRDS.map((c) => `---\n${stringify(crdDocument(c, files), { lineWidth: 0 })}`).join('');
}

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? resolve(args[outIndex + 1] ?? '') : DEFAULT_OUT;
const text = generate();
if (args.includes('--check')) {
  if (!existsSync(out) || readFileSync(out, 'utf8') !== text) {
    console.error(`${out} is stale: run node scripts/gen-crds.mjs`);
    process.exit(1);
  }
} else writeFileSync(out, text);
