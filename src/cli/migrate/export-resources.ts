/**
 * Reading section 1 of an export (cli.md §9.2): every migration kind, all namespaces, with
 * cluster-specific metadata removed, Kubernetes-generated policies left out, and etcd node names
 * turned into Kubernetes node names.
 *
 * @module
 */
import type { Backend, ResourceObject } from '../../backends/backend.js';
import { MIGRATION_KINDS } from './migration-kinds.js';
import type { KindList } from './export-file.js';
import { listAll } from '../list-all.js';

/** Metadata that belongs to the source cluster. */
const STRIPPED_METADATA = ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const;

/** FelixConfiguration fields whose values calicoctl title-cases on export (`ACCEPT` → `Accept`). */
const FELIX_ACTION_FIELDS = ['defaultEndpointToHostAction', 'iptablesFilterAllowAction', 'iptablesMangleAllowAction', 'iptablesFilterDenyAction'] as const;

/** An export that cannot be made; its message is printed as it is. */
export class ExportError extends Error {
  /**
   * Creates the error.
   *
   * @param message The one-line message.
   */
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

function stripped(obj: ResourceObject): ResourceObject {
  const metadata: Record<string, unknown> = { ...obj.metadata };
  for (const f of STRIPPED_METADATA) delete metadata[f];
  return { ...obj, metadata: metadata as ResourceObject['metadata'] };
}

function titleCase(v: unknown): unknown {
  return typeof v === 'string' && v !== '' ? v[0]!.toUpperCase() + v.slice(1).toLowerCase() : v;
}

/**
 * The etcd → Kubernetes node name map, from each Node's `k8s` orchestrator reference.
 *
 * @param nodes The stored Nodes.
 * @return Old name → new name.
 * @throws ExportError for a Node without a `k8s` reference.
 */
export function nodeNameMap(nodes: readonly ResourceObject[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const n of nodes) {
    const name = n.metadata.name ?? '';
    const refs = ((n.spec ?? {}) as { orchRefs?: Array<{ orchestrator?: string; nodeName?: string }> }).orchRefs ?? [];
    const k8s = refs.find((r) => r.orchestrator === 'k8s' && r.nodeName);
    if (!k8s) {
      throw new ExportError(`unable to process metadata for export for Node resource: node ${name} missing a 'k8s' orchestrator reference. Unable to export data unless every node has a 'k8s' orchestrator reference`);
    }
    map.set(name, k8s.nodeName!);
  }
  return map;
}

/** Node annotations that only the Kubernetes Node view uses (its record of the Kubernetes labels). */
const KUBERNETES_NODE_BOOKKEEPING = ['projectcalico.org/kube-labels'] as const;

/** A Node read from Kubernetes without the view's bookkeeping annotations. */
function withoutKubernetesBookkeeping(node: ResourceObject): ResourceObject {
  const annotations: Record<string, string> = { ...(node.metadata.annotations ?? {}) };
  for (const a of KUBERNETES_NODE_BOOKKEEPING) delete annotations[a];
  const { annotations: _dropped, ...metadata } = node.metadata;
  return { ...node, metadata: Object.keys(annotations).length > 0 ? { ...metadata, annotations } : metadata };
}

/** A per-node configuration (`node.<name>`) renamed, FelixConfiguration actions title-cased. */
function adjustedConfiguration(c: ResourceObject, rename: (name: string) => string): ResourceObject {
  const name = c.metadata.name ?? '';
  const metadata = { ...c.metadata, name: name.startsWith('node.') ? `node.${rename(name.slice('node.'.length))}` : name };
  if (c.kind !== 'FelixConfiguration' || !c.spec) return { ...c, metadata };
  const spec: Record<string, unknown> = { ...(c.spec as Record<string, unknown>) };
  for (const f of FELIX_ACTION_FIELDS) if (f in spec) spec[f] = titleCase(spec[f]);
  return { ...c, metadata, spec };
}

/** Section 1 and what it was made with. */
export interface ExportedResources {
  /** One list per migration kind, in export order (empty lists included). */
  readonly lists: KindList[];
  /** etcd node name → Kubernetes node name (empty for a Kubernetes source). */
  readonly nodeNames: ReadonlyMap<string, string>;
}

/**
 * Reads section 1.
 *
 * From etcd, Nodes are renamed by their `k8s` orchestrator reference, and `node.<name>`
 * FelixConfigurations and BGPConfigurations with them. From Kubernetes, names already are
 * Kubernetes names; the Node view's bookkeeping annotation (`projectcalico.org/kube-labels`) is
 * left out, since it describes the source cluster's Node objects.
 *
 * @param backend The source datastore.
 * @param source Which datastore it is.
 * @param onProgress Called after each page read with the running object count.
 * @return The lists and the node name map.
 * @throws ExportError for an etcd Node without a `k8s` orchestrator reference.
 */
export async function exportResources(backend: Backend, source: 'etcdv3' | 'kubernetes', onProgress: (count: number) => void): Promise<ExportedResources> {
  const raw = new Map<string, ResourceObject[]>();
  let read = 0;
  for (const { kind } of MIGRATION_KINDS) {
    const items = await listAll(backend, kind, (n) => {
      read += n;
      onProgress(read);
    });
    raw.set(kind, items);
  }
  const nodeNames = source === 'etcdv3' ? nodeNameMap(raw.get('Node') ?? []) : new Map<string, string>();
  const rename = (name: string): string => nodeNames.get(name) ?? name;
  const lists = MIGRATION_KINDS.map(({ kind }): KindList => {
    const items = (raw.get(kind) ?? []).map(stripped);
    switch (kind) {
      case 'NetworkPolicy':
        return { kind, items: items.filter((p) => !(p.metadata.name ?? '').startsWith('knp.default.')) };
      case 'Node':
        return {
          kind,
          items: items.map((n) => (source === 'etcdv3' ? { ...n, metadata: { ...n.metadata, name: rename(n.metadata.name ?? '') } } : withoutKubernetesBookkeeping(n))),
        };
      case 'FelixConfiguration':
      case 'BGPConfiguration':
        return { kind, items: items.map((c) => adjustedConfiguration(c, rename)) };
      default:
        return { kind, items };
    }
  });
  return { lists, nodeNames };
}
