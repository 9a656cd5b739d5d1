/**
 * Invariants of the schema files themselves: every type is titled and every property described,
 * unknown fields are closed off, only keywords a structural CRD schema can carry are used, and
 * the generated types are in sync with the schemas.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const SCHEMA_DIR = join(ROOT, 'schemas');
const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json'));
const docs = Object.fromEntries(files.map((f) => [f, JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')) as Record<string, unknown>]));

type Visit = (schema: Record<string, unknown>, path: string) => void;

/** Calls `visit` for every subschema (properties, items, definitions, anyOf/oneOf/allOf/not, additionalProperties). */
function walk(schema: unknown, path: string, visit: Visit): void {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return;
  const s = schema as Record<string, unknown>;
  visit(s, path);
  for (const key of ['properties', 'definitions'] as const) {
    const map = s[key] as Record<string, unknown> | undefined;
    for (const [name, child] of Object.entries(map ?? {})) walk(child, `${path}/${key}/${name}`, visit);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    (s[key] as unknown[] | undefined)?.forEach((child, i) => walk(child, `${path}/${key}/${i}`, visit));
  }
  for (const key of ['items', 'not', 'additionalProperties'] as const) walk(s[key], `${path}/${key}`, visit);
}

/** Keywords a Kubernetes structural schema accepts (plus $ref, inlined by the CRD generator, and draft-07 metadata). */
const ALLOWED_KEYWORDS = new Set([
  '$schema', '$id', '$ref', 'definitions', 'title', 'description', 'type', 'format', 'enum', 'pattern',
  'minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems', 'uniqueItems', 'minProperties',
  'required', 'properties', 'additionalProperties', 'items', 'anyOf', 'oneOf', 'allOf', 'not', 'default',
]);

describe('schema files', () => {
  it('has one schema per kind plus the shared definitions', () => {
    expect(files.sort()).toEqual(
      ['definitions.json', 'globalnetworkpolicy.json', 'ippool.json', 'networkpolicy.json', 'node.json', 'tier.json', 'workloadendpoint.json'].sort(),
    );
    for (const [f, doc] of Object.entries(docs)) {
      expect(doc.$schema, f).toBe('http://json-schema.org/draft-07/schema#');
      expect(doc.$id, f).toBe(f);
    }
  });

  it('describes every property and titles every definition', () => {
    const missing: string[] = [];
    for (const [f, doc] of Object.entries(docs)) {
      walk(doc, f, (s, path) => {
        for (const [name, prop] of Object.entries((s.properties as Record<string, Record<string, unknown>> | undefined) ?? {})) {
          if (typeof prop.description !== 'string' || prop.description.length < 5) missing.push(`${path}/properties/${name}: description`);
        }
        for (const [name, def] of Object.entries((s.definitions as Record<string, Record<string, unknown>> | undefined) ?? {})) {
          if (typeof def.title !== 'string') missing.push(`${path}/definitions/${name}: title`);
          else expect(def.title).toBe(name);
        }
      });
    }
    expect(missing).toEqual([]);
  });

  it('closes every object with properties against unknown fields; maps stay open', () => {
    const open: string[] = [];
    let maps = 0;
    for (const [f, doc] of Object.entries(docs)) {
      walk(doc, f, (s, path) => {
        if (s.properties && s.additionalProperties !== false) open.push(path);
        if (s.type === 'object' && !s.properties && typeof s.additionalProperties === 'object') maps++;
      });
    }
    expect(open).toEqual([]);
    expect(maps).toBe(3); // labels, annotations, rule annotations
  });

  it('uses only keywords a structural CRD schema can express, and prefixed custom keywords', () => {
    const bad: string[] = [];
    for (const [f, doc] of Object.entries(docs)) {
      walk(doc, f, (s, path) => {
        for (const key of Object.keys(s)) {
          if (ALLOWED_KEYWORDS.has(key) || key.startsWith('x-calico-') || key.startsWith('x-kubernetes-')) continue;
          bad.push(`${path}: ${key}`);
        }
      });
    }
    expect(bad).toEqual([]);
  });

  it('gives every kind the exact apiVersion and kind as single-value enums', () => {
    const kinds: Record<string, string> = {
      'ippool.json': 'IPPool',
      'node.json': 'Node',
      'workloadendpoint.json': 'WorkloadEndpoint',
      'networkpolicy.json': 'NetworkPolicy',
      'globalnetworkpolicy.json': 'GlobalNetworkPolicy',
      'tier.json': 'Tier',
    };
    for (const [f, kind] of Object.entries(kinds)) {
      const props = docs[f]!.properties as Record<string, { enum: unknown[] }>;
      expect(props.apiVersion!.enum).toEqual(['projectcalico.org/v3']);
      expect(props.kind!.enum).toEqual([kind]);
      expect(docs[f]!.title).toBe(kind);
    }
  });
});

describe('generated types', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gen-types-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('src/model/types.generated.ts is up to date with schemas/', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts/gen-types.mjs'), '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('--check fails on a stale file and passes once regenerated', () => {
    const out = join(tmp, 'types.ts');
    execFileSync(process.execPath, [join(ROOT, 'scripts/gen-types.mjs'), '--out', out]);
    const fresh = readFileSync(out, 'utf8');
    expect(fresh).toBe(readFileSync(join(ROOT, 'src/model/types.generated.ts'), 'utf8'));
    writeFileSync(out, fresh.replace('cidr: string;', 'cidr?: string;'));
    const stale = spawnSync(process.execPath, [join(ROOT, 'scripts/gen-types.mjs'), '--check', '--out', out], { encoding: 'utf8' });
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('is stale');
  });

  it('names interfaces by title, with literal kind/apiVersion and a resource union', () => {
    const text = readFileSync(join(ROOT, 'src/model/types.generated.ts'), 'utf8');
    for (const name of ['IPPool', 'IPPoolSpec', 'Node', 'NodeSpec', 'NodeBGPSpec', 'WorkloadEndpointSpec', 'Rule', 'EntityRule', 'ICMPFields', 'HTTPMatch', 'HTTPPath', 'ServiceAccountMatch', 'ServiceMatch', 'ObjectMeta']) {
      expect(text).toContain(`export interface ${name} {`);
    }
    expect(text).toContain('export type Protocol = number | string;');
    expect(text).toContain('export type Port = number | string;');
    expect(text).toContain("kind: 'GlobalNetworkPolicy';");
    expect(text).toContain("apiVersion: 'projectcalico.org/v3';");
    expect(text).toMatch(/export type CalicoResource =\n {2}\| IPPool\n/);
  });
});
