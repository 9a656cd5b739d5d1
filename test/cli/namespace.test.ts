import { describe, expect, it } from 'vitest';
import { kindFromName } from '../../src/cli/kinds.js';
import { resolveNamespace } from '../../src/cli/namespace.js';

const np = kindFromName('np');
const pool = kindFromName('ippool');

// Every row of cli.md §4.3.
describe('resolveNamespace', () => {
  it('defaults namespaced kinds to default, and takes -n or the document namespace', () => {
    expect(resolveNamespace(np, undefined, { namespace: '', allNamespaces: false }, 'single')).toEqual({ namespace: 'default' });
    expect(resolveNamespace(np, undefined, { namespace: 'x', allNamespaces: false }, 'single')).toEqual({ namespace: 'x' });
    expect(resolveNamespace(np, 'x', { namespace: '', allNamespaces: false }, 'single')).toEqual({ namespace: 'x' });
    expect(resolveNamespace(np, 'x', { namespace: 'x', allNamespaces: false }, 'single')).toEqual({ namespace: 'x' });
    expect(resolveNamespace(np, undefined, { namespace: '', allNamespaces: false }, 'list')).toEqual({ namespace: 'default' });
  });

  it('reports a mismatch and the -n/-A conflicts with calicoctl texts', () => {
    expect(resolveNamespace(np, 'x', { namespace: 'y', allNamespaces: false }, 'single')).toEqual({ error: 'resource namespace does not match client namespace. x != y' });
    expect(resolveNamespace(np, undefined, { namespace: 'x', allNamespaces: true }, 'list')).toEqual({ error: 'cannot use both --namespace and --all-namespaces flags at the same time' });
    expect(resolveNamespace(np, undefined, { namespace: '', allNamespaces: true }, 'list')).toEqual({});
    expect(resolveNamespace(np, undefined, { namespace: '', allNamespaces: true }, 'single')).toEqual({ error: 'cannot use --all-namespace flag for getting a single resource' });
  });

  it('refuses namespaces on cluster-scoped kinds', () => {
    expect(resolveNamespace(pool, undefined, { namespace: '', allNamespaces: false }, 'list')).toEqual({});
    expect(resolveNamespace(pool, 'x', { namespace: '', allNamespaces: false }, 'single')).toEqual({
      error: 'namespace should not be specified for a non-namespaced resource. IPPool is not a namespaced resource',
    });
    expect(resolveNamespace(pool, undefined, { namespace: 'x', allNamespaces: false }, 'single')).toEqual({ error: 'IPPool is not namespaced' });
    expect(resolveNamespace(pool, undefined, { namespace: '', allNamespaces: true }, 'list')).toEqual({ error: 'IPPool is not namespaced' });
  });
});
