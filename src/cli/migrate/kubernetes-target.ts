/**
 * Pre-write checks of a Kubernetes import target: the Calico CRDs the file needs are served, and
 * the namespaces its namespaced objects live in exist. The backend cannot tell these apart from
 * "nothing stored" on a read (an unserved type lists as empty), so they are asked of the API
 * server directly, through the same kubeconfig and transport the backend uses.
 *
 * Import never installs CRDs: a missing one is reported, and installing it is left to the user.
 *
 * @module
 */
import type { KubernetesDatastoreConfig } from '../../config.js';
import { discoverCrdFacts } from '../../backends/k8s/discovery.js';
import { buildKubeConfig } from '../../backends/k8s/kubeconfig.js';
import { createTransport } from '../../backends/k8s/transport.js';
import { kindFacts } from '../../model/kind-registry.js';

/**
 * The custom-resource plural of a Calico kind.
 *
 * @param kind A v3 kind.
 * @return Its plural, or undefined for kinds that are not custom resources (Node is a view of
 *   Kubernetes Nodes) or that Calico does not store at all.
 */
export function crdPluralOf(kind: string): string | undefined {
  return kindFacts(kind)?.crdPlural;
}

/** What the target needs before an import may write. */
export interface KubernetesNeeds {
  /** Kinds with objects to import (ClusterInformation is always needed too). */
  readonly kinds: Iterable<string>;
  /** Namespaces of the namespaced objects. */
  readonly namespaces: Iterable<string>;
}

/**
 * Lists what the Kubernetes target lacks for an import.
 *
 * @param config The target's configuration.
 * @param env Environment for kubeconfig lookup (`KUBECONFIG`, `HOME`).
 * @param needs The kinds and namespaces the file uses.
 * @return One sentence per problem (for example `the CRD bgppeers.crd.projectcalico.org is not
 *   installed`); empty when the import can go ahead.
 * @throws UnavailableError when the API server cannot be reached.
 */
export async function kubernetesTargetProblems(config: KubernetesDatastoreConfig, env: Readonly<Record<string, string | undefined>>, needs: KubernetesNeeds): Promise<string[]> {
  const k8s = await import('@kubernetes/client-node');
  const transport = createTransport(k8s, buildKubeConfig(k8s, config, env));
  const facts = await discoverCrdFacts(transport, config.calicoAPIGroup, () => undefined);
  const problems: string[] = [];

  const group = facts.basePath.split('/')[2] ?? '';
  const served = await transport.request<{ resources?: { name?: string }[] }>({ method: 'GET', path: facts.basePath }, { operation: 'Discover Calico resources' });
  const names = new Set(served.ok ? (served.body?.resources ?? []).map((r) => r.name ?? '') : []);
  const plurals = new Set<string>(['clusterinformations']);
  for (const kind of needs.kinds) {
    const plural = crdPluralOf(kind);
    if (plural) plurals.add(plural);
  }
  for (const plural of [...plurals].sort()) {
    if (!names.has(plural)) problems.push(`the CRD ${plural}.${group} is not installed`);
  }

  for (const namespace of [...new Set(needs.namespaces)].sort()) {
    const res = await transport.request({ method: 'GET', path: `/api/v1/namespaces/${encodeURIComponent(namespace)}` }, { operation: `Get namespace ${namespace}` });
    if (!res.ok && res.code === 404) problems.push(`the namespace ${namespace} does not exist`);
  }
  return problems;
}
