import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALICO_CRD_DIR, loadCrdFile, startFakeApiServer, type FakeApiServer, type KubeObject } from './index.js';
import { compileRules } from './schema-cel.js';
import { call, IPPOOLS, ipPool } from './test-helpers.js';

type Cause = { reason: string; message: string; field: string };
type Obj = KubeObject & { code?: number; reason?: string; message?: string; details?: { kind?: string; group?: string; causes?: Cause[] } };

let server: FakeApiServer;
beforeAll(async () => {
  server = await startFakeApiServer();
});
afterAll(async () => {
  await server.close();
});

const TIERS = '/apis/crd.projectcalico.org/v1/tiers';
const NETPOLS = '/apis/crd.projectcalico.org/v1/namespaces/default/networkpolicies';
const causes = (r: { body: Obj }): Cause[] => r.body.details?.causes ?? [];

describe('Calico CRD manifests', () => {
  it('every x-kubernetes-validations rule in every manifest compiles with the CEL subset', () => {
    const files = readdirSync(CALICO_CRD_DIR).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(5);
    let schemas = 0;
    for (const f of files) {
      for (const def of loadCrdFile(join(CALICO_CRD_DIR, f))) {
        expect(compileRules(def.schema ?? {}), `${f}`).toEqual([]);
        schemas++;
      }
    }
    expect(schemas).toBeGreaterThanOrEqual(files.length);
  });

  it('installs the Calico kinds with the scope and status subresource their manifests declare', () => {
    const byPlural = new Map(server.resources.list().filter((d) => d.group === 'crd.projectcalico.org').map((d) => [d.plural, d]));
    expect(byPlural.get('ippools')).toMatchObject({ namespaced: false, statusSubresource: true, kind: 'IPPool' });
    expect(byPlural.get('tiers')).toMatchObject({ namespaced: false, statusSubresource: true });
    expect(byPlural.get('networkpolicies')).toMatchObject({ namespaced: true, statusSubresource: false });
    expect(byPlural.get('globalnetworkpolicies')).toMatchObject({ namespaced: false, statusSubresource: false });
    expect(byPlural.get('clusterinformations')).toMatchObject({ namespaced: false });
  });
});

describe('pruning of unknown fields', () => {
  it('drops undeclared fields and warns about each (fieldValidation=Warn, the default)', async () => {
    const body = { ...ipPool('prune-a', '10.1.0.0/16', { bogus: 1 }), extra: true, metadata: { name: 'prune-a', madeUp: 'x' } };
    const r = await call<Obj>(server.url, 'POST', IPPOOLS, body);
    expect(r.status).toBe(201);
    expect((r.body.spec as Record<string, unknown>).bogus).toBeUndefined();
    expect(r.body.extra).toBeUndefined();
    expect(r.body.metadata?.madeUp).toBeUndefined();
    const warning = r.headers.get('warning') ?? '';
    expect(warning).toContain('299 - "unknown field \\"spec.bogus\\""');
    expect(warning).toContain('unknown field \\"extra\\"');
    expect(warning).toContain('unknown field \\"metadata.madeUp\\"');
  });

  it('rejects them with 400 and fieldValidation=Strict', async () => {
    const r = await call<Obj>(server.url, 'POST', `${IPPOOLS}?fieldValidation=Strict`, ipPool('prune-b', '10.2.0.0/16', { bogus: 1 }));
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('IPPool in version "v1" cannot be handled as a IPPool: strict decoding error: unknown field "spec.bogus"');
  });

  it('drops them silently with fieldValidation=Ignore', async () => {
    const r = await call<Obj>(server.url, 'POST', `${IPPOOLS}?fieldValidation=Ignore`, ipPool('prune-c', '10.3.0.0/16', { bogus: 1 }));
    expect(r.status).toBe(201);
    expect(r.headers.get('warning')).toBeNull();
  });

  it('prunes nested fields inside list items with indexed paths', async () => {
    const np = {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default.prune' },
      spec: { selector: 'all()', ingress: [{ action: 'Allow', nope: 1 }] },
    };
    const r = await call<Obj>(server.url, 'POST', NETPOLS, np);
    expect(r.status).toBe(201);
    expect(r.headers.get('warning')).toContain('unknown field \\"spec.ingress[0].nope\\"');
  });
});

describe('defaulting', () => {
  it('applies schema defaults (IPPool assignmentMode, nodeSelector; Tier defaultAction)', async () => {
    const r = await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('dflt', '10.4.0.0/16'));
    expect(r.body.spec).toMatchObject({ assignmentMode: 'Automatic', nodeSelector: 'all()' });
    const t = await call<Obj>(server.url, 'POST', TIERS, { apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier', metadata: { name: 'security' }, spec: { order: 100 } });
    expect(t.status).toBe(201);
    expect(t.body.spec).toEqual({ order: 100, defaultAction: 'Deny' });
  });
});

describe('schema validation (422 Invalid with causes)', () => {
  it('reports type, enum, format and required errors with field paths and the aggregated message', async () => {
    const body = { apiVersion: 'crd.projectcalico.org/v1', kind: 'IPPool', metadata: { name: 'bad' }, spec: { blockSize: 'big', vxlanMode: 'Sometimes' } };
    const r = await call<Obj>(server.url, 'POST', IPPOOLS, body);
    expect(r.status).toBe(422);
    expect(r.body.reason).toBe('Invalid');
    expect(r.body.details).toMatchObject({ name: 'bad', group: 'crd.projectcalico.org', kind: 'IPPool' });
    const byField = Object.fromEntries(causes(r).map((c) => [c.field, c]));
    expect(byField['spec.blockSize']).toEqual({
      reason: 'FieldValueTypeInvalid',
      message: 'Invalid value: "big": spec.blockSize in body must be of type integer: "string"',
      field: 'spec.blockSize',
    });
    expect(byField['spec.vxlanMode']).toEqual({
      reason: 'FieldValueNotSupported',
      message: 'Unsupported value: "Sometimes": supported values: "Never", "Always", "CrossSubnet"',
      field: 'spec.vxlanMode',
    });
    expect(byField['spec.cidr']).toEqual({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.cidr' });
    // Type errors block CEL evaluation, as on a real server.
    expect(byField['<nil>']?.message).toContain('some validation rules were not checked because the object was invalid');
    expect(r.body.message).toMatch(/^IPPool\.crd\.projectcalico\.org "bad" is invalid: \[/);
  });

  it('checks format: cidr', async () => {
    const r = await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('fmt', '10.0.0.0/33'));
    expect(r.status).toBe(422);
    expect(causes(r)[0]).toEqual({ reason: 'FieldValueTypeInvalid', message: 'Invalid value: "10.0.0.0/33": spec.cidr in body must be of type cidr: "10.0.0.0/33"', field: 'spec.cidr' });
  });

  it('checks bounds (blockSize maximum)', async () => {
    const r = await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('max', '10.0.0.0/16', { blockSize: 200 }));
    expect(r.status).toBe(422);
    expect(causes(r).map((c) => c.message)).toContain('Invalid value: 200: spec.blockSize in body should be less than or equal to 128');
  });

  it('checks metadata.name against the DNS subdomain rule', async () => {
    const r = await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('Bad_Name', '10.0.0.0/16'));
    expect(r.status).toBe(422);
    expect(causes(r)[0]?.field).toBe('metadata.name');
    expect(causes(r)[0]?.message).toContain('a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters');
  });

  it('checks label keys and values', async () => {
    const r = await call<Obj>(server.url, 'POST', IPPOOLS, { ...ipPool('lbl', '10.0.0.0/16'), metadata: { name: 'lbl', labels: { 'bad key': 'v', ok: 'bad value!' } } });
    expect(r.status).toBe(422);
    expect(causes(r).map((c) => c.field)).toEqual(['metadata.labels', 'metadata.labels']);
  });
});

describe('CEL rules (x-kubernetes-validations)', () => {
  it('IPPool: ipipMode and vxlanMode cannot both be enabled (Forbidden on spec)', async () => {
    const r = await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('both', '10.5.0.0/16', { ipipMode: 'Always', vxlanMode: 'Always' }));
    expect(r.status).toBe(422);
    expect(causes(r)).toEqual([{ reason: 'FieldValueForbidden', message: 'Forbidden: ipipMode and vxlanMode cannot both be enabled', field: 'spec' }]);
  });

  it('IPPool: CIDR must be strictly masked and not link-local; IPv6 block sizes', async () => {
    const unmasked = await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('unmasked', '10.6.0.1/16'));
    expect(causes(unmasked).map((c) => c.message)).toContain('Invalid value: "object": IPPool CIDR must be strictly masked');
    const ll = await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('ll', '169.254.0.0/16'));
    expect(causes(ll).map((c) => c.message)).toContain('Invalid value: "object": IPPool CIDR overlaps with IPv4 link local range 169.254.0.0/16');
    const v6 = await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('v6', 'fd00::/48', { blockSize: 26 }));
    expect(causes(v6).map((c) => c.message)).toContain(
      'Invalid value: "object": blockSize must be between 20 and 32 for IPv4 pools, and between 116 and 128 for IPv6 pools',
    );
    const ok = await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('v6ok', 'fd00::/48', { blockSize: 122 }));
    expect(ok.status).toBe(201);
  });

  it('IPPool: transition rules forbid changing the CIDR (error on spec.cidr)', async () => {
    const created = (await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('fixed', '10.7.0.0/16'))).body;
    const r = await call<Obj>(server.url, 'PUT', `${IPPOOLS}/fixed`, { ...created, spec: { ...(created.spec as object), cidr: '10.8.0.0/16' } });
    expect(r.status).toBe(422);
    expect(causes(r)).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: "string": CIDR cannot be changed; follow IP pool migration guide to avoid corruption.', field: 'spec.cidr' },
    ]);
  });

  it('Tier: a root-level rule reports on <nil>', async () => {
    const r = await call<Obj>(server.url, 'POST', TIERS, { apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier', metadata: { name: 'default' }, spec: { order: 1000000, defaultAction: 'Pass' } });
    expect(r.status).toBe(422);
    expect(causes(r)).toEqual([{ reason: 'FieldValueInvalid', message: `Invalid value: "object": The 'default' tier must have default action 'Deny'`, field: '<nil>' }]);
    expect(r.body.message).toBe(`Tier.crd.projectcalico.org "default" is invalid: <nil>: Invalid value: "object": The 'default' tier must have default action 'Deny'`);
  });

  it('NetworkPolicy: rule-level rules report on the list item (int-or-string protocol compared across types)', async () => {
    const np = (rule: Record<string, unknown>) => ({
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `p-${Math.random().toString(36).slice(2, 8)}` },
      spec: { selector: 'all()', ingress: [{ action: 'Allow' }, rule] },
    });
    const bad = await call<Obj>(server.url, 'POST', NETPOLS, np({ action: 'Allow', protocol: 'TCP', icmp: { type: 8 } }));
    expect(bad.status).toBe(422);
    expect(causes(bad)).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: "object": ICMP fields require protocol to be ICMP or ICMPv6', field: 'spec.ingress[1]' }]);
    const numeric = await call<Obj>(server.url, 'POST', NETPOLS, np({ action: 'Allow', protocol: 1, icmp: { type: 8 } }));
    expect(numeric.status).toBe(201);
    const named = await call<Obj>(server.url, 'POST', NETPOLS, np({ action: 'Allow', protocol: 'ICMP', icmp: { type: 8 } }));
    expect(named.status).toBe(201);
  });
});
