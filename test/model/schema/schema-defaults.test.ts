/**
 * The `default` keywords of the schemas (which become the CRDs' defaults in crds.yaml) agree with
 * the client's defaulting: for each field with a schema default, `applyDefaults` fills in exactly
 * that value when the field is absent.
 */
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../../src/model/defaults.js';
import type { CalicoKind } from '../../../src/model/kinds.js';
import { KIND_SCHEMAS, derefSchema, type SchemaAt } from '../../../src/model/schema-registry.js';

/** The smallest spec of each kind that defaulting works on. */
const MINIMAL_SPECS: Record<CalicoKind, Record<string, unknown>> = {
  IPPool: { cidr: '10.0.0.0/16' },
  Node: {},
  WorkloadEndpoint: {},
  NetworkPolicy: {},
  GlobalNetworkPolicy: {},
  Tier: {},
};

/** `[path, default]` for every object property below `at` that declares a default. */
function schemaDefaults(at: SchemaAt, path: string[]): [string[], unknown][] {
  const node = derefSchema(at) ?? at;
  const out: [string[], unknown][] = [];
  for (const [name, prop] of Object.entries(node.schema.properties ?? {})) {
    const here = [...path, name];
    if (prop.default !== undefined) out.push([here, prop.default]);
    out.push(...schemaDefaults({ documentId: node.documentId, schema: prop }, here));
  }
  return out;
}

function at(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
}

describe('schema defaults', () => {
  const all = Object.entries(KIND_SCHEMAS).map(([kind, root]) => ({
    kind: kind as CalicoKind,
    defaults: schemaDefaults({ documentId: root.$id as string, schema: root.properties?.spec ?? {} }, ['spec']),
  }));

  it('exist for the fields Calico’s CRDs default', () => {
    const listed = all.flatMap(({ kind, defaults }) => defaults.map(([path, value]) => `${kind} ${path.join('.')}=${JSON.stringify(value)}`));
    expect(listed).toEqual(['IPPool spec.nodeSelector="all()"', 'IPPool spec.assignmentMode="Automatic"', 'NetworkPolicy spec.tier="default"', 'GlobalNetworkPolicy spec.tier="default"', 'Tier spec.defaultAction="Deny"']);
  });

  for (const { kind, defaults } of all.filter((k) => k.defaults.length)) {
    it(`are what applyDefaults fills in for ${kind}`, () => {
      const name = kind === 'Tier' ? 'security' : 'sample';
      const doc = applyDefaults({ apiVersion: 'projectcalico.org/v3', kind, metadata: { name, ...(kind === 'NetworkPolicy' ? { namespace: 'ns' } : {}) }, spec: MINIMAL_SPECS[kind] });
      for (const [path, value] of defaults) expect({ path, value: at(doc, path) }).toEqual({ path, value });
    });
  }
});
