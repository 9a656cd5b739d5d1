/**
 * One set of operations per CLI kind over a {@link CalicoClient}: the typed accessors for the
 * modelled kinds, the backend for read-only Profiles, and Kubernetes NetworkPolicies merged into
 * NetworkPolicy reads on the Kubernetes datastore.
 *
 * @module
 */
import type { ResourceObject } from '../backends/backend.js';
import type { CalicoClient } from '../client.js';
import type { ResourceClient } from '../client/resource-client.js';
import { NotFoundError, NotSupportedError, isNotFound } from '../errors.js';
import type { CliKind } from './kinds.js';
import { listPages } from './list-all.js';

/** Names one object. */
export interface CliObjectRef {
  /** `metadata.name`. */
  name: string;
  /** `metadata.namespace` (namespaced kinds). */
  namespace?: string;
}

/** What the commands can do with one kind. */
export interface KindOperations {
  /** Creates an object. */
  create(obj: ResourceObject): Promise<ResourceObject>;
  /** Replaces an object (its `metadata.resourceVersion` must be current). */
  update(obj: ResourceObject): Promise<ResourceObject>;
  /** Reads one object. */
  get(ref: CliObjectRef): Promise<ResourceObject>;
  /** Deletes one object, with an optional revision precondition. */
  delete(ref: CliObjectRef & { resourceVersion?: string }): Promise<ResourceObject>;
  /** Lists objects; `namespace` undefined means every namespace. */
  list(namespace: string | undefined): Promise<{ items: ResourceObject[]; resourceVersion: string }>;
  /**
   * One page of `list`: pass the page's `continue` back for the next one; every page is read at
   * the first page's `resourceVersion`. A kind whose list is assembled on the client (policies
   * merged with Kubernetes ones) gives everything in one page.
   */
  listPage(namespace: string | undefined, cont?: string): Promise<ListPage>;
}

/** A page of a list. */
export interface ListPage {
  items: ResourceObject[];
  resourceVersion: string;
  /** Present when more pages follow. */
  continue?: string;
}

/** Objects per page of {@link KindOperations.listPage}. */
const PAGE_SIZE = 500;

function accessorOps(accessor: ResourceClient<ResourceObject>): KindOperations {
  return {
    create: (obj) => accessor.create(obj),
    update: (obj) => accessor.update(obj),
    get: (ref) => accessor.get(ref),
    delete: (ref) => accessor.delete(ref),
    list: async (namespace) => {
      const { items, resourceVersion } = await accessor.list(namespace === undefined ? {} : { namespace });
      return { items, resourceVersion };
    },
    listPage: (namespace, cont) => accessor.list({ ...(namespace === undefined ? {} : { namespace }), limit: PAGE_SIZE, ...(cont ? { continue: cont } : {}) }),
  };
}

function profileOps(client: CalicoClient): KindOperations {
  const readOnly = (operation: string, obj: CliObjectRef): Promise<never> =>
    Promise.reject(new NotSupportedError(operation, { identifier: { kind: 'Profile', name: obj.name }, reason: 'Profiles are read-only here' }));
  return {
    create: (obj) => readOnly('Create', { name: obj.metadata.name ?? '' }),
    update: (obj) => readOnly('Update', { name: obj.metadata.name ?? '' }),
    delete: (ref) => readOnly('Delete', ref),
    get: async (ref) => (await (await client.backend()).get({ kind: 'Profile', name: ref.name })).value,
    list: async () => {
      const { items, revision } = await listPages(await client.backend(), 'Profile');
      return { items, resourceVersion: revision };
    },
    listPage: async (_namespace, cont) => {
      const page = await (await client.backend()).list({ kind: 'Profile', limit: PAGE_SIZE, ...(cont ? { continue: cont } : {}) });
      return { items: page.items.map((kv) => kv.value), resourceVersion: page.revision, ...(page.continue ? { continue: page.continue } : {}) };
    },
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Datastore order: namespace, then name (plain code-unit order, as keys sort). */
function byNamespaceThenName(a: ResourceObject, b: ResourceObject): number {
  return compareText(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || compareText(a.metadata.name ?? '', b.metadata.name ?? '');
}

/**
 * NetworkPolicy reads that also show Kubernetes NetworkPolicies (read-only) on the Kubernetes
 * datastore (cli.md §10, backends.md §3.6).
 */
function networkPolicyOps(client: CalicoClient): KindOperations {
  const base = accessorOps(client.networkPolicies as unknown as ResourceClient<ResourceObject>);
  const onKubernetes = async (): Promise<boolean> => (await client.backend()).capabilities.name === 'kubernetes';
  const list: KindOperations['list'] = async (namespace) => {
    const own = await base.list(namespace);
    if (!(await onKubernetes())) return own;
    const knp = await client.kubernetesNetworkPolicies.list(namespace === undefined ? {} : { namespace });
    const items = [...own.items, ...(knp.items as ResourceObject[])];
    items.sort(byNamespaceThenName);
    return { items, resourceVersion: own.resourceVersion };
  };
  return {
    ...base,
    get: async (ref) => {
      try {
        return await base.get(ref);
      } catch (e) {
        if (!isNotFound(e) || !(await onKubernetes())) throw e;
        try {
          return (await client.kubernetesNetworkPolicies.get(ref)) as ResourceObject;
        } catch (e2) {
          if (isNotFound(e2)) throw new NotFoundError({ kind: 'NetworkPolicy', name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) });
          throw e2;
        }
      }
    },
    list,
    listPage: async (namespace, cont) => ((await onKubernetes()) ? list(namespace) : base.listPage(namespace, cont)),
  };
}

/**
 * The operations of a CLI kind.
 *
 * @param client The client.
 * @param kind The kind.
 * @return Its operations.
 */
export function operationsFor(client: CalicoClient, kind: CliKind): KindOperations {
  const typed = (a: unknown): KindOperations => accessorOps(a as ResourceClient<ResourceObject>);
  switch (kind.kind) {
    case 'Node':
      return typed(client.nodes);
    case 'IPPool':
      return typed(client.ipPools);
    case 'WorkloadEndpoint':
      return typed(client.workloadEndpoints);
    case 'NetworkPolicy':
      return networkPolicyOps(client);
    case 'GlobalNetworkPolicy':
      return typed(client.globalNetworkPolicies);
    case 'Tier':
      return typed(client.tiers);
    case 'Profile':
      return profileOps(client);
    default:
      throw new NotSupportedError('Use', { identifier: { kind: kind.kind, name: '' }, reason: 'the CLI does not handle this kind' });
  }
}
