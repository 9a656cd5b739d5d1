/**
 * `crds.yaml` (made by `scripts/gen-crds.mjs` from `schemas/`): up to date, structural as
 * Kubernetes requires, accepted by the fake API server, and good enough to run the whole backend
 * conformance suite on a cluster that has only these CRDs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CONFORMANCE_NAMESPACES, runBackendConformance } from '../../conformance/backend-suite.js';
import { resourcesFromCrd, type JsonObject, type SchemaNode } from '../../fake-apiserver/index.js';
import { compileRules } from '../../fake-apiserver/schema-cel.js';
import { startHarness, type Harness } from './helpers.js';

const ROOT = process.cwd();
const SCRIPT = join(ROOT, 'scripts/gen-crds.mjs');
const crdDocs = (text: string): JsonObject[] => parseAllDocuments(text).map((d) => d.toJS() as JsonObject).filter((d) => d && d.kind === 'CustomResourceDefinition');

/** Keywords a structural schema node may carry (apiextensions.k8s.io/v1 JSONSchemaProps, as we use them). */
const ALLOWED = new Set([
  'description', 'type', 'format', 'enum', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems',
  'minProperties', 'maxProperties', 'required', 'default', 'nullable', 'properties', 'additionalProperties', 'items', 'allOf', 'anyOf', 'oneOf', 'not',
  'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-validations',
]);

/** Problems that make a schema non-structural (or not valid in a v1 CRD). */
function structuralProblems(node: SchemaNode, path: string, inJunctor: boolean, out: string[]): string[] {
  for (const k of Object.keys(node)) if (!ALLOWED.has(k)) out.push(`${path}: keyword ${k} is not allowed`);
  if (Array.isArray(node.type)) out.push(`${path}: type must be one name`);
  if (node.additionalProperties === false) out.push(`${path}: additionalProperties: false is not allowed`);
  if (node.properties && node.additionalProperties) out.push(`${path}: properties and additionalProperties together`);
  if (node.uniqueItems) out.push(`${path}: uniqueItems is not allowed`);
  if (inJunctor) for (const k of ['type', 'description', 'default', 'nullable'] as const) if (node[k] !== undefined) out.push(`${path}: ${k} inside a junctor`);
  if (!inJunctor && !node['x-kubernetes-int-or-string'] && !node['x-kubernetes-preserve-unknown-fields'] && node.type === undefined) out.push(`${path}: no type`);
  if (node['x-kubernetes-int-or-string']) {
    if (node.type !== undefined) out.push(`${path}: int-or-string with a type`);
    const types = (node.anyOf ?? []).map((s) => s.type);
    if (JSON.stringify(types) !== '["integer","string"]' || (node.anyOf ?? []).some((s) => Object.keys(s).length !== 1)) out.push(`${path}: int-or-string needs exactly anyOf [integer, string]`);
  } else for (const j of ['allOf', 'anyOf', 'oneOf'] as const) (node[j] ?? []).forEach((s, i) => structuralProblems(s, `${path}.${j}[${i}]`, true, out));
  if (node.not) structuralProblems(node.not, `${path}.not`, true, out);
  for (const [k, v] of Object.entries(node.properties ?? {})) structuralProblems(v, `${path}.${k}`, inJunctor, out);
  if (typeof node.additionalProperties === 'object') structuralProblems(node.additionalProperties, `${path}.*`, inJunctor, out);
  if (node.items) structuralProblems(node.items, `${path}[]`, inJunctor, out);
  if (node['x-kubernetes-list-type'] === 'set' && node.items?.type !== 'string' && node.items?.type !== 'integer' && !node.items?.['x-kubernetes-int-or-string']) out.push(`${path}: list-type set needs scalar items`);
  return out;
}

describe('crds.yaml', () => {
  it('is up to date with schemas/ (node scripts/gen-crds.mjs --check)', () => {
    const run = spawnSync(process.execPath, [SCRIPT, '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const tmp = mkdtempSync(join(tmpdir(), 'gen-crds-'));
    try {
      const stale = join(tmp, 'crds.yaml');
      writeFileSync(stale, 'stale');
      expect(spawnSync(process.execPath, [SCRIPT, '--check', '--out', stale], { encoding: 'utf8' }).status).toBe(1);
      execFileSync(process.execPath, [SCRIPT, '--out', stale]);
      expect(readFileSync(stale, 'utf8')).toBe(readFileSync(join(ROOT, 'crds.yaml'), 'utf8'));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('holds the five CRD-backed kinds, structural, with status subresources for IPPool and Tier', () => {
    const docs = crdDocs(readFileSync(join(ROOT, 'crds.yaml'), 'utf8'));
    expect(docs.map((d) => (d.metadata as JsonObject).name)).toEqual([
      'ippools.crd.projectcalico.org',
      'networkpolicies.crd.projectcalico.org',
      'globalnetworkpolicies.crd.projectcalico.org',
      'tiers.crd.projectcalico.org',
      'clusterinformations.crd.projectcalico.org',
    ]);
    for (const doc of docs) {
      const [def] = resourcesFromCrd(doc);
      if (!def?.schema) throw new Error('no schema');
      expect({ crd: def.plural, problems: structuralProblems(def.schema, def.plural, false, []) }).toEqual({ crd: def.plural, problems: [] });
      expect(compileRules(def.schema)).toEqual([]);
      expect(def.statusSubresource).toBe(def.plural === 'ippools' || def.plural === 'tiers');
    }
  });

  it('the structural check does catch JSON-schema-isms', () => {
    expect(structuralProblems({ type: 'object', additionalProperties: false, properties: { a: { type: ['string', 'null'] as never }, b: { $ref: '#/x' } as never } }, 'x', false, [])).toEqual([
      'x: additionalProperties: false is not allowed',
      'x.a: type must be one name',
      'x.b: keyword $ref is not allowed',
      'x.b: no type',
    ]);
  });
});

describe('the backend on a cluster with only our generated CRDs', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(CONFORMANCE_NAMESPACES, { calicoCrds: false, crds: crdDocs(readFileSync(join(ROOT, 'crds.yaml'), 'utf8')) });
  });
  afterAll(async () => {
    await harness?.close();
  });

  runBackendConformance('kubernetes (generated crds.yaml)', async () => {
    const backend = await harness.backend({ pageSize: 3 });
    return {
      backend,
      compact: async () => {
        harness.server.faults.compact();
      },
      cleanup: () => backend.close(),
      openWatches: () => Promise.resolve(harness.server.openWatches()),
    };
  });
});
