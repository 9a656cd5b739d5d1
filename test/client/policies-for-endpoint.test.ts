import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../src/model/defaults.js';
import { policiesForEndpoint, policiesForEndpointByDirection } from '../../src/policies-for-endpoint.js';
import type { GlobalNetworkPolicy, NetworkPolicy } from '../../src/model/types.generated.js';
import { gnp, np, tier, wep } from './fixtures.js';

const endpoint = applyDefaults({ ...wep('shop', 'n1', 'cart-1', { app: 'cart' }), spec: { ...wep('shop', 'n1', 'cart-1').spec, serviceAccountName: 'cart-sa' } });
const names = (ps: (NetworkPolicy | GlobalNetworkPolicy)[]): string[] => ps.map((p) => (p.kind === 'NetworkPolicy' ? `${p.metadata.namespace}/${p.metadata.name}` : p.metadata.name ?? ''));

describe('policiesForEndpoint', () => {
  it('applies a NetworkPolicy only in its own namespace and only when its selector matches', () => {
    const policies = [np('shop', 'cart', { selector: 'app == "cart"' }), np('other', 'cart', { selector: 'app == "cart"' }), np('shop', 'web', { selector: 'app == "web"' })];
    expect(names(policiesForEndpoint(endpoint, policies))).toEqual(['shop/cart']);
  });

  it('treats an empty selector as every endpoint of the namespace', () => {
    expect(names(policiesForEndpoint(endpoint, [np('shop', 'all', { selector: '' })]))).toEqual(['shop/all']);
  });

  it('orders by tier order, then policy order (unordered last), then name', () => {
    const policies = [
      np('shop', 'b', { order: 5 }),
      np('shop', 'a', { order: 5 }),
      np('shop', 'unordered'),
      gnp('first', { order: 100 }),
      gnp('sec.x', { tier: 'sec', order: 900 }),
      gnp('admin', { tier: 'kube-admin', order: 1 }),
      gnp('base', { tier: 'kube-baseline' }),
    ];
    expect(names(policiesForEndpoint(endpoint, policies, { tiers: [tier('sec', 50)] }))).toEqual([
      'sec.x',
      'admin',
      'shop/a',
      'shop/b',
      'first',
      'shop/unordered',
      'base',
    ]);
  });

  it('matches a GlobalNetworkPolicy namespaceSelector against namespace labels; all() means any namespaced endpoint', () => {
    const policies = [gnp('team-a', { namespaceSelector: 'team == "a"' }), gnp('team-b', { namespaceSelector: 'team == "b"' }), gnp('any-ns', { namespaceSelector: 'all()' })];
    expect(names(policiesForEndpoint(endpoint, policies, { namespaceLabels: { team: 'a' } }))).toEqual(['any-ns', 'team-a']);
    expect(names(policiesForEndpoint(endpoint, [gnp('by-name', { namespaceSelector: 'projectcalico.org/name == "shop"' })]))).toEqual(['by-name']);
  });

  it('matches serviceAccountSelector against the service account labels', () => {
    const policies = [np('shop', 'db', { serviceAccountSelector: 'role == "db"' }), np('shop', 'sa', { serviceAccountSelector: 'all()' }), np('shop', 'named', { serviceAccountSelector: 'projectcalico.org/name == "cart-sa"' })];
    expect(names(policiesForEndpoint(endpoint, policies, { serviceAccountLabels: { role: 'web' } }))).toEqual(['shop/named', 'shop/sa']);
  });

  it('selects nothing with an invalid selector', () => {
    expect(policiesForEndpoint(endpoint, [np('shop', 'bad', { selector: 'app ==' })])).toEqual([]);
  });

  it('breaks equal-order ties as Felix PolKVLess does: name/namespace/kind, so the name decides before the namespace (felix/calc/policy_sorter.go)', () => {
    const policies = [np('shop', 'b', { order: 1 }), gnp('c', { order: 1 }), gnp('a', { order: 1 }), np('shop', 'a', { order: 1 })];
    // "a//GlobalNetworkPolicy" < "a/shop/NetworkPolicy" < "b/shop/NetworkPolicy" < "c//GlobalNetworkPolicy";
    // sorting by "namespace/name" would have put c before shop/b.
    expect(names(policiesForEndpoint(endpoint, policies))).toEqual(['a', 'shop/a', 'shop/b', 'c']);
  });

  it('filters by direction through spec.types (policy_sorter.go ExtractPolicyMetadata)', () => {
    const policies = [np('shop', 'in', { types: ['Ingress'] }), np('shop', 'out', { types: ['Egress'] }), np('shop', 'both', { types: ['Ingress', 'Egress'] })];
    expect(names(policiesForEndpoint(endpoint, policies, { direction: 'ingress' }))).toEqual(['shop/both', 'shop/in']);
    expect(names(policiesForEndpoint(endpoint, policies, { direction: 'egress' }))).toEqual(['shop/both', 'shop/out']);
    const split = policiesForEndpointByDirection(endpoint, policies);
    expect(names(split.ingress)).toEqual(['shop/both', 'shop/in']);
    expect(names(split.egress)).toEqual(['shop/both', 'shop/out']);
  });

  it('keeps staged policies apart from enforced ones; a staged Delete is not returned at all', () => {
    const staged = { apiVersion: 'projectcalico.org/v3', kind: 'StagedNetworkPolicy', metadata: { name: 'trial', namespace: 'shop' }, spec: { types: ['Ingress'] } };
    const deleted = { ...staged, metadata: { name: 'gone', namespace: 'shop' }, spec: { types: ['Ingress'], stagedAction: 'Delete' } };
    const policies = [np('shop', 'live', { types: ['Ingress'] }), staged, deleted] as NetworkPolicy[];
    expect(names(policiesForEndpoint(endpoint, policies))).toEqual(['shop/live']);
    const split = policiesForEndpointByDirection(endpoint, policies);
    expect(split.staged.ingress.map((p) => p.metadata.name)).toEqual(['trial']);
    expect(names(split.ingress)).toEqual(['shop/live']);
  });
});
