/**
 * Our schemas against the CRDs Calico ships (reference data in /work/shared/calico-crds): the same
 * fields, and the same enums, length caps, list caps and numeric bounds wherever Calico's CRD
 * states one. Calico's CEL rules are enforced in code and are not compared here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { KIND_SCHEMAS, derefSchema, type JsonSchema, type SchemaAt } from '../../../src/model/schema-registry.js';
import type { CalicoKind } from '../../../src/model/kinds.js';
import { CALICO_CRD_DIR } from '../../support/calico-crds-dir.js';

const CRD_DIR = CALICO_CRD_DIR;

interface CrdSchema {
  type?: string;
  enum?: unknown[];
  allOf?: CrdSchema[];
  properties?: Record<string, CrdSchema>;
  items?: CrdSchema;
  maxLength?: number;
  maxItems?: number;
  minItems?: number;
  minimum?: number;
  maximum?: number;
}

function crdSpec(file: string): CrdSchema {
  const crd = parse(readFileSync(join(CRD_DIR, file), 'utf8')) as {
    spec: { versions: Array<{ schema: { openAPIV3Schema: { properties: { spec: CrdSchema } } } }> };
  };
  return crd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec;
}

/** The enum a CRD schema allows: its own, or the intersection of the enums in allOf. */
function crdEnum(s: CrdSchema): unknown[] | undefined {
  if (s.enum) return s.enum;
  const lists = (s.allOf ?? []).map((a) => a.enum).filter((e): e is unknown[] => Array.isArray(e));
  if (lists.length === 0) return undefined;
  return lists.reduce((acc, l) => acc.filter((v) => l.includes(v)));
}

function ours(at: SchemaAt): JsonSchema {
  return derefSchema(at)?.schema ?? at.schema;
}

/** Walks both schemas in parallel and lists every difference. */
function compare(crd: CrdSchema, mine: SchemaAt, path: string, out: string[]): void {
  const m = derefSchema(mine) ?? mine;
  const s = m.schema;
  const e1 = crdEnum(crd);
  if (e1 && JSON.stringify([...e1].sort()) !== JSON.stringify([...(s.enum ?? [])].sort())) out.push(`${path}: enum ${JSON.stringify(e1)} vs ${JSON.stringify(s.enum)}`);
  for (const k of ['maxLength', 'maxItems', 'minItems', 'minimum', 'maximum'] as const) {
    if (crd[k] !== undefined && crd[k] !== s[k]) out.push(`${path}: ${k} ${crd[k]} vs ${String(s[k])}`);
  }
  if (crd.properties) {
    const mineProps = s.properties ?? {};
    for (const name of Object.keys(crd.properties)) {
      if (!Object.hasOwn(mineProps, name)) out.push(`${path}.${name}: missing`);
      else compare(crd.properties[name]!, { documentId: m.documentId, schema: mineProps[name]! }, `${path}.${name}`, out);
    }
    for (const name of Object.keys(mineProps)) if (!Object.hasOwn(crd.properties, name)) out.push(`${path}.${name}: not in the CRD`);
  }
  if (crd.items && s.items) compare(crd.items, { documentId: m.documentId, schema: s.items }, `${path}[]`, out);
}

const PAIRS: Array<[CalicoKind, string]> = [
  ['IPPool', 'crd.projectcalico.org_ippools.yaml'],
  ['NetworkPolicy', 'crd.projectcalico.org_networkpolicies.yaml'],
  ['GlobalNetworkPolicy', 'crd.projectcalico.org_globalnetworkpolicies.yaml'],
  ['Tier', 'crd.projectcalico.org_tiers.yaml'],
];

describe.runIf(existsSync(CRD_DIR))('parity with the Calico CRDs', () => {
  for (const [kind, file] of PAIRS) {
    it(`${kind} spec has the CRD's fields and structural limits`, () => {
      const root = KIND_SCHEMAS[kind];
      const spec = ours({ documentId: root.$id!, schema: root.properties!.spec! });
      const diffs: string[] = [];
      compare(crdSpec(file), { documentId: root.$id!, schema: spec }, 'spec', diffs);
      expect(diffs).toEqual([]);
    });
  }
});
