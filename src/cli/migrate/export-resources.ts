/**
 * Reading section 1 of an export (cli.md §9.2): every migration kind, all namespaces, with
 * cluster-specific metadata removed, Kubernetes-generated policies left out, and etcd node names
 * turned into Kubernetes node names.
 *
 * @module
 */
import type { Backend, ResourceObject } from '../../backends/backend.js';
import { isNotSupported } from '../../errors.js';
import { MIGRATION_KINDS } from './migration-kinds.js';
import type { KindList } from './export-file.js';

/** Metadata that belongs to the source cluster. */
const STRIPPED_METADATA = ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const;

/** FelixConfiguration fields whose values calicoctl title-cases on export (`ACCEPT` → `Accept`). */
const FELIX_ACTION_FIELDS = ['defaultEndpointToHostAction', 'iptablesFilterAllowAction', 'iptablesMangleAllowAction', 'iptablesFilterDenyAction'] as const;

/** An export that cannot be made. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

/**
 * Lists every object of a kind, page by page.
 *
 * @param backend The datastore.
 * @param kind The kind.
 * @return The stored objects; an empty list when the datastore cannot store the kind.
 */
export async function listAll(backend: Backend, kind: string): Promise<ResourceObject[]> {
  const out: ResourceObject[] = [];
  let cont: string | undefined;
  try {
    for (let page = 0; page < 1_000_000; page++) {
      const result = await backend.list({ kind, limit: 500, ...(cont ? { continue: cont } : {}) });
      out.push(...result.items.map((kv) => kv.value));
      cont = result.continue;
      if (!cont) break;
    }
  } catch (e) {
    if (isNotSupported(e)) return [];
    throw e;
  }
  return out;
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
      throw new ExportError(`node ${name} missing a 'k8s' orchestrator reference. Unable to export data unless every node has a Kubernetes node name`);
    }
    map.set(name, k8s.nodeName!);
  }
  return map;
}

/**
 * Reads section 1.
 *
 * @param backend The source datastore.
 * @param renameNodes Rename Nodes by their `k8s` orchestrator reference (etcd sources).
 * @param onProgress Called after each kind with the running object count.
 * @return The lists, in export order, and the node name map used.
 */
export async function exportResources(backend: Backend, renameNodes: boolean, onProgress: (count: number) => void): Promise<{ lists: KindList[]; nodeNames: Map<string, string> }> {
  const raw = new Map<string, ResourceObject[]>();
  for (const { kind } of MIGRATION_KINDS) raw.set(kind, await listAll(backend, kind));
  const nodeNames = renameNodes ? nodeNameMap(raw.get('Node') ?? []) : new Map<string, string>();
  const rename = (name: string): string => nodeNames.get(name) ?? name;
  let count = 0;
  const lists = MIGRATION_KINDS.map(({ kind }) => {
    let items = (raw.get(kind) ?? []).map(stripped);
    if (kind === 'NetworkPolicy') items = items.filter((p) => !(p.metadata.name ?? '').startsWith('knp.default.'));
    if (kind === 'Node') items = items.map((n) => ({ ...n, metadata: { ...n.metadata, name: rename(n.metadata.name ?? '') } }));
    if (kind === 'FelixConfiguration' || kind === 'BGPConfiguration') {
      items = items.map((c) => {
        const name = c.metadata.name ?? '';
        const renamed = name.startsWith('node.') ? `node.${rename(name.slice('node.'.length))}` : name;
        let spec = c.spec as Record<string, unknown> | undefined;
        if (kind === 'FelixConfiguration' && spec) {
          spec = { ...spec };
          for (const f of FELIX_ACTION_FIELDS) if (f in spec) spec[f] = titleCase(spec[f]);
        }
        return { ...c, metadata: { ...c.metadata, name: renamed }, ...(spec ? { spec } : {}) };
      });
    }
    count += items.length;
    onProgress(count);
    return { kind, items };
  });
  return { lists, nodeNames };
}
