import { describe, expect, it } from 'vitest';
import { CLI_KINDS, kindFromName } from '../../src/cli/kinds.js';
import { resolveNamespace, type NamespaceFlags } from '../../src/cli/namespace.js';

const np = kindFromName('np');
const wep = kindFromName('wep');
const pool = kindFromName('ippool');

const flags = (namespace: string, allNamespaces = false): NamespaceFlags => ({ namespace, allNamespaces });

// One case per row of cli.md §4.3, in the table's order; rows that hold for "any" value or "—"
// are tried with each value, and in both modes where the mode does not matter.
describe('resolveNamespace: cli.md §4.3', () => {
  it('namespaced, empty document, no -n, no -A → default', () => {
    for (const mode of ['list', 'single'] as const) {
      expect(resolveNamespace(np, undefined, flags(''), mode)).toEqual({ namespace: 'default' });
      expect(resolveNamespace(np, '', { allNamespaces: false }, mode)).toEqual({ namespace: 'default' });
    }
  });

  it('namespaced, empty document, -n X → X', () => {
    expect(resolveNamespace(np, undefined, flags('x'), 'single')).toEqual({ namespace: 'x' });
    expect(resolveNamespace(wep, '', flags('x'), 'list')).toEqual({ namespace: 'x' });
  });

  it('namespaced, document X, no -n → X', () => {
    expect(resolveNamespace(np, 'x', flags(''), 'single')).toEqual({ namespace: 'x' });
  });

  it('namespaced, document X, -n X → X', () => {
    expect(resolveNamespace(np, 'x', flags('x'), 'single')).toEqual({ namespace: 'x' });
  });

  it('namespaced, document X, -n Y → mismatch error', () => {
    expect(resolveNamespace(np, 'x', flags('y'), 'single')).toEqual({ error: 'resource namespace does not match client namespace. x != y' });
  });

  it('namespaced, any document, -n X with -A → both-flags error', () => {
    for (const doc of [undefined, 'x', 'other']) {
      for (const mode of ['list', 'single'] as const) {
        expect(resolveNamespace(np, doc, flags('x', true), mode)).toEqual({ error: 'cannot use both --namespace and --all-namespaces flags at the same time' });
      }
    }
  });

  it('namespaced, any document, -A alone → every namespace for a list, an error for a single resource', () => {
    for (const doc of [undefined, 'x']) {
      expect(resolveNamespace(np, doc, flags('', true), 'list')).toEqual({});
      expect(resolveNamespace(np, doc, flags('', true), 'single')).toEqual({ error: 'cannot use --all-namespace flag for getting a single resource' });
    }
  });

  it('cluster-scoped, document namespace → not-a-namespaced-resource error, whatever the flags', () => {
    for (const f of [flags(''), flags('x'), flags('', true)]) {
      expect(resolveNamespace(pool, 'x', f, 'single')).toEqual({
        error: 'namespace should not be specified for a non-namespaced resource. IPPool is not a namespaced resource',
      });
    }
  });

  it('cluster-scoped, empty document, -n or -A → <Kind> is not namespaced (as calicoctl: get ippools -A fails)', () => {
    for (const mode of ['list', 'single'] as const) {
      expect(resolveNamespace(pool, undefined, flags('x'), mode)).toEqual({ error: 'IPPool is not namespaced' });
      expect(resolveNamespace(pool, '', flags('', true), mode)).toEqual({ error: 'IPPool is not namespaced' });
    }
  });

  it('cluster-scoped, nothing given → no namespace, for every cluster-scoped kind', () => {
    const clusterKinds = CLI_KINDS.filter((k) => !k.namespaced);
    expect(clusterKinds.map((k) => k.kind)).toEqual(['Node', 'IPPool', 'GlobalNetworkPolicy', 'Profile', 'Tier']);
    for (const kind of clusterKinds) {
      expect(resolveNamespace(kind, undefined, flags(''), 'list')).toEqual({});
      expect(resolveNamespace(kind, undefined, flags('ns'), 'single')).toEqual({ error: `${kind.kind} is not namespaced` });
    }
  });
});
