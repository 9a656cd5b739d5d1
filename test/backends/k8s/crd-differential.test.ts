/**
 * Our generated `crds.yaml` against Calico's real manifests (`/work/shared/calico-crds`): for every
 * kind in `crds.yaml`, the same names, scope, versions, subresources and printer columns, the same
 * schema once descriptions and two equivalent spellings are set aside, and the same verdict from the fake API server's validator (pruning, defaults, OpenAPI schema, CEL rules)
 * on several hundred documents per kind — seeds, every one-defect variant of each seed and every
 * variant with another enum or boolean value, random
 * one-field variations of them, whole generated documents and random one-defect mutations of all
 * of those — created, and a share of them also as updates of a seed (for the transition rules). Verdicts are equal when the pruned fields, the
 * stored (defaulted) object and the errors' field paths and types are equal, and their messages
 * too except for the list of supported values of an enum.
 *
 * The run also checks that it means something: each kind gets both accepted and rejected
 * documents, and every CEL rule message of Calico's CRD is produced at least once. And it checks
 * that `validate()` is at least as strict as Calico's CRD: whatever the client accepts (defaults,
 * then `validate()`), stored as the backend stores it, Calico's CRD accepts too.
 *
 * The seed is fixed; set `CRD_DIFF_SEED` to explore others.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { ResourceObject } from '../../../src/backends/backend.js';
import { toCustomResource } from '../../../src/backends/k8s/crd-conversion.js';
import { applyDefaults } from '../../../src/model/defaults.js';
import { validate } from '../../../src/model/validate.js';
import { calicoCrdFile, resourcesFromCrd } from '../../fake-apiserver/crd.js';
import type { FieldErr } from '../../fake-apiserver/field-errors.js';
import type { JsonObject, JsonValue, KubeObject, ResourceDefinition, SchemaNode } from '../../fake-apiserver/types.js';
import { pruneAndDefault } from '../../fake-apiserver/schema-prune.js';
import { validateForWrite } from '../../fake-apiserver/writes.js';
import { everyAlternative, everyDefect, generatedDocument, mutatedDocument, poolsFor, variedDocument, type ResourceShape } from './crd-documents.js';

const DATE = '2025-03-01T09:00:00Z';
const condition = (type: string, status: string, reason: string) => ({ type, status, reason, message: '', lastTransitionTime: DATE, observedGeneration: 1 });
const SEED = Number(process.env.CRD_DIFF_SEED ?? 20260812);
const GROUP_VERSION = 'crd.projectcalico.org/v1';

/** Valid seeds per kind (the only per-kind input). */
const SEEDS: Record<string, JsonObject[]> = {
  IPPool: [
    { spec: { cidr: '10.0.0.0/16', ipipMode: 'Never', vxlanMode: 'Always', natOutgoing: true, blockSize: 26, nodeSelector: 'all()' }, status: { conditions: [condition('Allocatable', 'True', 'OK')] } },
    { spec: { cidr: 'fd00::/48', vxlanMode: 'CrossSubnet', allowedUses: ['Workload'], namespaceSelector: "app == 'x'", assignmentMode: 'Manual' } },
    { spec: { cidr: '10.2.0.0/24', allowedUses: ['LoadBalancer'], disabled: true } },
  ],
  NetworkPolicy: [
    {
      spec: {
        tier: 'default',
        order: 100,
        selector: "app == 'web'",
        types: ['Ingress', 'Egress'],
        ingress: [
          { action: 'Allow', protocol: 'TCP', source: { selector: "role == 'fe'", namespaceSelector: 'global()', nets: ['10.0.0.0/8'] }, destination: { ports: [80, '8080:8090'] }, http: { methods: ['GET'], paths: [{ prefix: '/api' }] } },
          { action: 'Deny', protocol: 'ICMP', ipVersion: 4, icmp: { type: 8, code: 0 } },
        ],
        egress: [{ action: 'Allow', destination: { services: { name: 'db', namespace: 'data' } } }, { action: 'Pass', notProtocol: 'UDP', source: { serviceAccounts: { names: ['a'], selector: 'x == "y"' } } }],
      },
    },
    { spec: { selector: 'all()', serviceAccountSelector: "team == 'a'", ingress: [{ action: 'Log', metadata: { annotations: { a: 'b' } } }], performanceHints: ['AssumeNeededOnEveryNode'] } },
  ],
  GlobalNetworkPolicy: [
    {
      spec: {
        order: 10,
        selector: 'has(host)',
        namespaceSelector: "env == 'prod'",
        preDNAT: true,
        applyOnForward: true,
        types: ['Ingress'],
        ingress: [{ action: 'Allow', protocol: 58, ipVersion: 6, icmp: { type: 128 }, destination: { notNets: ['fd00::/64'], notPorts: [22] } }],
      },
    },
    { spec: { tier: 'security', doNotTrack: true, applyOnForward: true, egress: [{ action: 'Deny', protocol: 'UDP', destination: { nets: ['10.1.0.0/16'], ports: ['dns'] } }] } },
  ],
  Tier: [
    { metadata: { name: 'security' }, spec: { order: 100, defaultAction: 'Pass' }, status: { conditions: [condition('Ready', 'True', 'Ready'), condition('example.com/Other', 'Unknown', 'Pending')] } },
    { metadata: { name: 'default' }, spec: { order: 1000000, defaultAction: 'Deny' } },
    { metadata: { name: 'kube-admin' }, spec: { order: 1000, defaultAction: 'Pass' } },
  ],
  ClusterInformation: [{ metadata: { name: 'default' }, spec: { clusterGUID: 'a1b2', clusterType: 'k8s,bgp,kdd', calicoVersion: 'v3.32.0', datastoreReady: true } }],
};

/** How many documents of each sort per kind. */
const COUNTS = { varied: 110, generated: 110, mutated: 170, updates: 60 };

const ourCrds = parseAllDocuments(readFileSync(join(process.cwd(), 'crds.yaml'), 'utf8'))
  .map((d) => d.toJS() as JsonObject)
  .filter((d) => d?.kind === 'CustomResourceDefinition');

function calicoCrd(plural: string): JsonObject {
  const doc = parseAllDocuments(readFileSync(calicoCrdFile(plural), 'utf8'))
    .map((d) => d.toJS() as JsonObject)
    .find((d) => d?.kind === 'CustomResourceDefinition');
  if (!doc) throw new Error(`no CRD in Calico's ${plural} manifest`);
  return doc;
}

/** Everything of a CRD but its schemas and descriptions: names, scope, versions, subresources, columns. */
function crdFrame(crd: JsonObject): JsonValue {
  const spec = crd.spec as JsonObject;
  const versions = (spec.versions as JsonObject[]).map(({ schema: _schema, ...v }) => v);
  return { name: (crd.metadata as JsonObject).name ?? null, group: spec.group ?? null, names: spec.names ?? null, scope: spec.scope ?? null, versions, conversion: spec.conversion ?? null, preserveUnknownFields: spec.preserveUnknownFields ?? null };
}

/**
 * A schema without its descriptions, and with two spellings Calico's generator uses folded into
 * the plain form: `pattern: ^.*` (matches every string) is dropped, and an `allOf` of enums becomes
 * the one enum it allows.
 */
function normalizedSchema(node: JsonValue): JsonValue {
  if (Array.isArray(node)) return node.map(normalizedSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'description' && !(k === 'pattern' && v === '^.*')) out[k] = normalizedSchema(v);
  const enums = Array.isArray(out.allOf) ? (out.allOf as JsonObject[]).map((a) => a.enum) : [];
  if (enums.length && enums.every(Array.isArray) && (out.allOf as JsonObject[]).every((a) => Object.keys(a).length === 1)) {
    const lists = enums as JsonValue[][];
    out.enum = (lists[0] as JsonValue[]).filter((v) => lists.every((l) => l.includes(v)));
    delete out.allOf;
  }
  return out;
}

/** The observable outcome of one write under one CRD. */
interface Verdict {
  accepted: boolean;
  pruned: string[];
  stored: JsonObject;
  errors: string[];
}

function errorKey(e: FieldErr): string {
  // An enum's message lists the supported values; two equivalent enum encodings list them differently.
  return e.type === 'FieldValueNotSupported' ? `${e.field}: ${e.type}` : `${e.field}: ${e.type}: ${e.body}`;
}

function verdict(def: ResourceDefinition, doc: JsonObject, old?: JsonObject): Verdict {
  const schema = def.schema as SchemaNode;
  const obj = structuredClone(doc);
  const pruned = pruneAndDefault(obj, schema);
  let prior: KubeObject | undefined;
  if (old) {
    prior = structuredClone(old) as KubeObject;
    pruneAndDefault(prior as JsonObject, schema);
  }
  const errors = [...new Set(validateForWrite(def, obj as KubeObject, prior).map(errorKey))].sort();
  return { accepted: errors.length === 0, pruned, stored: obj, errors };
}

/** The kinds in crds.yaml, each with our definition and Calico's. */
const KINDS = ourCrds.map((crd) => {
  const [ours] = resourcesFromCrd(crd);
  if (!ours?.schema) throw new Error('a CRD in crds.yaml has no schema');
  const calicoManifest = calicoCrd(ours.plural);
  const [calico] = resourcesFromCrd(calicoManifest);
  if (!calico?.schema) throw new Error(`Calico's ${ours.plural} CRD has no schema`);
  return { crd, calicoManifest, ours, calico };
});

function documentsFor(calico: ResourceDefinition, seeds: JsonObject[]): { creates: JsonObject[]; updates: [JsonObject, JsonObject][] } {
  const schema = calico.schema as SchemaNode;
  const shape: ResourceShape = { apiVersion: GROUP_VERSION, kind: calico.kind, namespaced: calico.namespaced };
  const pools = poolsFor([schema]);
  const base = seeds.map((s) => ({ apiVersion: GROUP_VERSION, kind: calico.kind, ...s, metadata: { name: 'sample-a', ...(calico.namespaced ? { namespace: 'shop' } : {}), ...((s.metadata as JsonObject | undefined) ?? {}) } }));
  const sample = <T>(arb: fc.Arbitrary<T>, n: number, salt: number): T[] => fc.sample(arb, { seed: SEED + salt, numRuns: n });
  const varied = sample(fc.constantFrom(...base).chain((s) => variedDocument(s, schema, pools)), COUNTS.varied, 1);
  const generated = sample(generatedDocument(schema, shape, pools), COUNTS.generated, 2);
  const pool = [...base, ...varied, ...generated];
  const mutated = sample(fc.constantFrom(...pool).chain((d) => mutatedDocument(d, schema)), COUNTS.mutated, 3);
  const defective = base.flatMap((s) => [...everyAlternative(s, schema), ...everyDefect(s, schema)]);
  const seed = base[0] as JsonObject;
  const updates = sample(variedDocument(seed, schema, pools), COUNTS.updates, 4).map((d): [JsonObject, JsonObject] => [seed, { ...d, metadata: seed.metadata as JsonObject }]);
  return { creates: [...pool, ...defective, ...mutated], updates };
}

/** The messages of every CEL rule of a schema. */
function ruleMessages(schema: SchemaNode): Set<string> {
  const out = new Set<string>();
  const walk = (s: SchemaNode | undefined): void => {
    if (!s) return;
    for (const r of s['x-kubernetes-validations'] ?? []) out.add(r.message ?? `failed rule: ${r.rule}`);
    Object.values(s.properties ?? {}).forEach(walk);
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties);
    walk(s.items);
  };
  walk(schema);
  return out;
}

/** The projectcalico.org/v3 object with a custom resource's name and spec, defaulted as the client does. */
function asV3(doc: JsonObject): ResourceObject {
  const meta = doc.metadata as JsonObject;
  return applyDefaults({ apiVersion: 'projectcalico.org/v3', kind: doc.kind, metadata: { name: meta.name, ...(meta.namespace ? { namespace: meta.namespace } : {}) }, spec: doc.spec ?? {} }) as ResourceObject;
}

/** The kinds `validate()` knows. */
const MODELLED = new Set(['IPPool', 'NetworkPolicy', 'GlobalNetworkPolicy', 'Tier']);

/**
 * When the client accepts the v3 form of `doc`, the problems Calico's CRD finds with the custom
 * resource the backend would write for it; none otherwise.
 */
function clientAcceptsCrdRejects(def: ResourceDefinition, doc: JsonObject): string[] | undefined {
  const v3 = asV3(doc);
  if (!validate(v3).valid) return undefined;
  const cr = toCustomResource(v3, { kind: def.kind, plural: def.plural, namespaced: def.namespaced, policy: def.kind.endsWith('NetworkPolicy') }, 'v1', { name: v3.metadata.name as string });
  return verdict(def, cr as JsonObject).errors;
}

describe('crds.yaml and Calico’s CRDs give the same verdicts', () => {
  it('covers exactly the CRD-backed kinds the backend uses', () => {
    expect(KINDS.map((k) => k.ours.kind)).toEqual(Object.keys(SEEDS));
  });

  for (const { crd, calicoManifest, ours, calico } of KINDS) {
    describe(ours.kind, () => {
      it('has the same names, scope, versions, subresources and printer columns', () => {
        expect(crdFrame(crd)).toEqual(crdFrame(calicoManifest));
      });

      it('has the same schema, apart from descriptions and two equivalent spellings', () => {
        expect(normalizedSchema(ours.schema as JsonValue)).toEqual(normalizedSchema(calico.schema as JsonValue));
      });

      it('accepts and rejects the same documents, with the same errors and defaults', () => {
        const { creates, updates } = documentsFor(calico, SEEDS[ours.kind] ?? []);
        const messages = ruleMessages(calico.schema as SchemaNode);
        const seen = new Set<string>();
        const gaps: string[] = [];
        let accepted = 0;
        let clientAccepted = 0;
        const check = (doc: JsonObject, old?: JsonObject): void => {
          const theirs = verdict(calico, doc, old);
          expect({ doc, old, verdict: verdict(ours, doc, old) }).toEqual({ doc, old, verdict: theirs });
          if (theirs.accepted) accepted++;
          const fired = [...messages].filter((m) => theirs.errors.some((e) => e.endsWith(`: ${m}`)));
          fired.forEach((m) => seen.add(m));
          if (!old && MODELLED.has(ours.kind)) {
            const problems = clientAcceptsCrdRejects(calico, doc);
            if (problems) clientAccepted++;
            if (problems?.length) gaps.push(`${JSON.stringify(doc.spec)}: ${problems.join('; ')}`);
          }
        };
        for (const doc of creates) check(doc);
        for (const [old, doc] of updates) check(doc, old);
        const total = creates.length + updates.length;
        console.info(`${ours.kind}: ${total} documents (${creates.length} creates, ${updates.length} updates), ${accepted} accepted, ${total - accepted} rejected, ${seen.size}/${messages.size} rule messages produced, ${clientAccepted} creates valid for validate()`);
        expect(accepted).toBeGreaterThan(total / 10);
        expect(total - accepted).toBeGreaterThan(total / 10);
        expect([...messages].filter((m) => !seen.has(m))).toEqual([]);
        expect(gaps).toEqual([]);
        if (MODELLED.has(ours.kind)) expect(clientAccepted).toBeGreaterThan(creates.length / 20);
      });
    });
  }
});

describe('the IPPool of issue 12', () => {
  const pool = { apiVersion: GROUP_VERSION, kind: 'IPPool', metadata: { name: 'both' }, spec: { cidr: '10.0.0.0/16', ipipMode: 'Always', vxlanMode: 'Always' } };
  const expected = ['spec: FieldValueForbidden: Forbidden: ipipMode and vxlanMode cannot both be enabled'];

  it('with ipipMode and vxlanMode both Always is rejected by our CRD as by Calico’s', () => {
    const entry = KINDS.find((k) => k.ours.kind === 'IPPool');
    if (!entry) throw new Error('no IPPool CRD in crds.yaml');
    expect(verdict(entry.calico, pool).errors).toEqual(expected);
    expect(verdict(entry.ours, pool).errors).toEqual(expected);
    expect(validate(asV3(pool)).errors.map((e) => e.path)).toContain('spec.vxlanMode');
  });
});
