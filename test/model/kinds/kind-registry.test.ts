import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { englishPlural, KIND_REGISTRY, kindFacts, kindsInExportOrder } from '../../../src/model/kind-registry.js';
import { KINDS } from '../../../src/model/kinds.js';
import { CLI_KINDS } from '../../../src/cli/kinds.js';

interface Crd {
  spec: { names: { kind: string; plural: string }; scope: string; versions: { subresources?: { status?: unknown } }[] };
}

describe('kind registry', () => {
  it('has one row per kind', () => {
    const kinds = KIND_REGISTRY.map((k) => k.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
  });

  it('gives every kind the plural Calico stores it under (English plural of the kind)', () => {
    for (const k of KIND_REGISTRY) expect(k.plural, k.kind).toBe(englishPlural(k.kind));
  });

  it('types the kinds KINDS describes, with the same plural, scope and short names', () => {
    expect(KIND_REGISTRY.filter((k) => k.typed).map((k) => k.kind).sort()).toEqual(Object.keys(KINDS).sort());
    for (const d of Object.values(KINDS)) {
      const f = kindFacts(d.kind);
      expect(f?.plural).toBe(d.plural);
      expect(f?.namespaced).toBe(d.namespaced);
      expect(d.shortNames).toEqual(f?.shortNames);
    }
    expect(KINDS.IPPool.shortNames).toEqual(['ipp', 'ipps', 'pool', 'pools']);
  });

  it('short names are the CLI names without singular and plural, and the CLI accepts them', () => {
    for (const k of KIND_REGISTRY) {
      expect(k.cliNames.filter((n) => n !== k.singular && n !== k.plural)).toEqual(k.shortNames);
      if (k.cliNames.length > 0) expect(k.cliNames.slice(0, 2), k.kind).toEqual([k.singular, k.plural]);
    }
    for (const c of CLI_KINDS) expect(c.names).toEqual(kindFacts(c.kind)?.cliNames);
  });

  it('names the CRD plural, scope and status subresource as the CRDs the library ships', () => {
    const crds = parseAllDocuments(readFileSync(join(__dirname, '../../../crds.yaml'), 'utf8')).map((d) => d.toJS() as Crd);
    expect(crds.length).toBeGreaterThan(0);
    for (const crd of crds) {
      const facts = kindFacts(crd.spec.names.kind);
      expect(facts?.crdPlural, crd.spec.names.kind).toBe(crd.spec.names.plural);
      expect(facts?.namespaced).toBe(crd.spec.scope === 'Namespaced');
      expect(facts?.statusSubresource).toBe(crd.spec.versions.some((v) => v.subresources?.status !== undefined));
    }
  });

  it('lists the export order of calicoctl datastore migrate', () => {
    expect(kindsInExportOrder().map((k) => k.kind)).toEqual([
      'IPPool', 'BGPPeer', 'Tier', 'GlobalNetworkPolicy', 'StagedGlobalNetworkPolicy', 'GlobalNetworkSet', 'HostEndpoint', 'KubeControllersConfiguration',
      'NetworkPolicy', 'StagedNetworkPolicy', 'StagedKubernetesNetworkPolicy', 'NetworkSet', 'Node', 'BGPConfiguration', 'FelixConfiguration', 'IPReservation', 'BGPFilter',
    ]);
  });

  it('records singleton and reserved names', () => {
    expect(kindFacts('ClusterInformation')?.singletonName).toBe('default');
    expect(kindFacts('KubeControllersConfiguration')?.singletonName).toBe('default');
    expect(kindFacts('FelixConfiguration')?.perNodePrefix).toBe('node.');
    expect([...(kindFacts('Tier')?.reservedNames ?? [])].sort()).toEqual(['default', 'kube-admin', 'kube-baseline']);
    expect(kindFacts('Nope')).toBeUndefined();
  });
});
