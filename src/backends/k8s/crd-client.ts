/**
 * The shared client of every CRD-backed kind (backends spec §3.2–3.5): CRUD with
 * `resourceVersion` and uid preconditions, status handling with and without a status
 * subresource, policy storage names (legacy `default.` CRs read, found and updated in place),
 * lists and watches through the generic Kubernetes list and watch.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { BackendEvent, DeletePreconditions, KVPair, KVPairList, ListOptions, ListRequest, ResourceKey, ResourceObject, WatchRequest } from '../backend.js';
import { legacyStorageName, storageNameForCreate } from '../policy-storage-names.js';
import type { CrdFacts, K8sContext, QueryPlan, ResourceView } from './context.js';
import { fromCustomResource, isCalicoOwnedKey, toCustomResource, type CrdKind } from './crd-conversion.js';
import { errorFromStatus, isMissingResourceType, type ErrorContext } from './errors.js';
import { checkKey, pairOf, parseSelectorOption, requireRevision } from './keys.js';
import { identifierOf } from '../key-identifier.js';
import type { KubeObject } from './kube-types.js';
import { listView } from './list.js';
import { storedName } from '../value-key.js';
import { watchView } from './watch.js';

/** The operations of one kind, as the backend dispatches them. */
export interface ResourceClient {
  create(kv: { key: ResourceKey; value: ResourceObject }): Promise<KVPair>;
  update(kv: KVPair): Promise<KVPair>;
  updateStatus(kv: KVPair): Promise<KVPair>;
  delete(key: ResourceKey, preconditions?: DeletePreconditions): Promise<KVPair>;
  get(key: ResourceKey, options?: { revision?: string }): Promise<KVPair>;
  list(request: ListRequest): Promise<KVPairList>;
  watch(request: WatchRequest): Observable<BackendEvent>;
}

/** A CR as read, with the pair it converts to. */
interface Found {
  raw: KubeObject;
  pair: KVPair;
}

/**
 * Creates the client of one CRD-backed kind.
 *
 * @param ctx Backend context.
 * @param kind The kind's facts.
 * @return The client.
 */
export function createCrdClient(ctx: K8sContext, kind: CrdKind): ResourceClient {
  let known: CrdFacts | undefined;
  const crdFacts = async (): Promise<CrdFacts> => (known = await ctx.crdFacts());
  const collection = async (namespace: string | undefined): Promise<string> => {
    const { basePath } = await crdFacts();
    return kind.namespaced && namespace ? `${basePath}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}` : `${basePath}/${kind.plural}`;
  };
  const itemPath = async (key: ResourceKey, sub = ''): Promise<string> => `${await collection(key.namespace)}/${encodeURIComponent(key.name)}${sub}`;

  /** Converts a served CR (the facts are known: every caller awaited them first). */
  const convert = (raw: KubeObject): KVPair => {
    const meta = raw.metadata ?? {};
    const facts = known ?? { mode: 'v1', basePath: '' };
    const key: ResourceKey = kind.namespaced ? { kind: kind.kind, namespace: meta.namespace ?? '', name: meta.name ?? '' } : { kind: kind.kind, name: meta.name ?? '' };
    const path = `${facts.basePath}${kind.namespaced ? `/namespaces/${key.namespace ?? ''}` : ''}/${kind.plural}/${key.name}`;
    return pairOf(key, fromCustomResource(raw, kind, facts.mode, path), meta.resourceVersion ?? '');
  };

  const view: ResourceView = {
    kind: kind.kind,
    namespaced: kind.namespaced,
    collectionPath: collection,
    convert,
    async plan(request: ListOptions): Promise<QueryPlan> {
      const facts = await crdFacts();
      const labels = parseSelectorOption(request.labelSelector);
      const name = request.name ?? '';
      const serverLabels = labels !== undefined && (facts.mode === 'v3' || labels.requirements.every((r) => isCalicoOwnedKey(r.key)));
      // A dot-less policy name may be stored under its legacy `default.` CR name: match it on the client.
      const legacyPossible = kind.policy && facts.mode === 'v1' && legacyStorageName(name) !== undefined;
      const exactOnServer = name !== '' && !request.namePrefix && !legacyPossible;
      const nameOf = (pair: KVPair): string => pair.value.metadata.name ?? pair.key.name;
      return {
        namespace: kind.namespaced && request.namespace ? request.namespace : undefined,
        ...(exactOnServer ? { fieldSelector: `metadata.name=${name}` } : {}),
        ...(serverLabels ? { labelSelector: request.labelSelector } : {}),
        matchesName: name === '' ? () => true : request.namePrefix ? (p) => nameOf(p).startsWith(name) : (p) => nameOf(p) === name,
        clientLabels: serverLabels ? undefined : labels,
        serverExact: (name === '' || (exactOnServer && !kind.policy)) && (labels === undefined || serverLabels),
      };
    },
  };

  const errorCtx = (operation: string, key: ResourceKey): ErrorContext => ({ operation, identifier: identifierOf(key) });

  /** Reads one CR by its exact name; undefined when absent (or its type is not served). */
  const read = async (key: ResourceKey, revision?: string): Promise<Found | undefined> => {
    const path = await itemPath(key);
    const res = await ctx.transport.request<KubeObject>({ method: 'GET', path, query: { resourceVersion: revision || undefined } }, errorCtx('Get', key));
    if (res.ok) return { raw: res.body, pair: convert(res.body) };
    if (res.code === 404) return undefined;
    throw errorFromStatus(res.code, res.status, errorCtx('Get', key));
  };

  /** Finds the CR of a key: the name itself, or for a dot-less default-tier policy its legacy `default.` CR. */
  const locate = async (key: ResourceKey, revision?: string): Promise<Found | undefined> => {
    const found = await read(key, revision);
    if (found || !kind.policy || (await crdFacts()).mode !== 'v1') return found;
    const legacy = legacyStorageName(key.name);
    if (!legacy) return undefined;
    const old = await read({ ...key, name: legacy }, revision);
    return old && old.pair.value.metadata.name === key.name ? old : undefined;
  };

  const send = async (method: 'POST' | 'PUT', path: string, body: KubeObject, ctxErr: ErrorContext): Promise<KVPair> => {
    const res = await ctx.transport.request<KubeObject>({ method, path, body }, ctxErr);
    if (!res.ok) throw errorFromStatus(res.code, res.status, ctxErr);
    return convert(res.body);
  };

  /** PUTs the main resource with the stored status (or `status` when given), under the caller's revision. */
  const putKeepingStatus = async (key: ResourceKey, revision: string, build: (stored: Found) => KubeObject, operation: string): Promise<KVPair> => {
    const stored = await read(key);
    if (!stored) throw new NotFoundError(identifierOf(key));
    if (stored.pair.revision !== revision) throw new ConflictError(identifierOf(key));
    return send('PUT', await itemPath(key), build(stored), errorCtx(operation, key));
  };

  /** The value as written under `key`: the key's name (a policy keeps its v3 name, see storedName) and namespace. */
  const onKey = (key: ResourceKey, value: ResourceObject): ResourceObject => ({
    ...value,
    metadata: { ...value.metadata, name: storedName(key, value.metadata.name, kind.policy), ...(kind.namespaced ? { namespace: key.namespace } : {}) },
  });

  const annotateName = async (): Promise<boolean> => kind.policy && (await ctx.namingMode()) !== 'legacy-plain';

  return {
    async create({ key: given, value }) {
      const key = checkKey(given, kind.namespaced);
      const { mode } = await crdFacts();
      const v3 = onKey(key, value);
      let name = key.name;
      if (kind.policy && mode === 'v1') name = storageNameForCreate(v3.metadata.name as string, value.spec, await ctx.namingMode(), identifierOf(key));
      const body = toCustomResource(v3, kind, mode, { name, annotateName: await annotateName() });
      return send('POST', await collection(key.namespace), body, errorCtx('Create', key));
    },

    async update(kv) {
      const key = checkKey(kv.key, kind.namespaced);
      const revision = requireRevision(kv);
      const facts = await crdFacts();
      const target = { name: key.name, resourceVersion: revision, annotateName: await annotateName() };
      const body = toCustomResource(onKey(key, kv.value), kind, facts.mode, target);
      if (facts.statusSubresources?.has(kind.plural)) return send('PUT', await itemPath(key), body, errorCtx('Update', key));
      return putKeepingStatus(key, revision, (stored) => ({ ...body, ...(stored.raw.status !== undefined ? { status: stored.raw.status } : {}) }), 'Update');
    },

    async updateStatus(kv) {
      const key = checkKey(kv.key, kind.namespaced);
      const revision = requireRevision(kv);
      const facts = await crdFacts();
      const withStatus = (stored: Found): KubeObject => {
        const { status: _old, ...rest } = stored.raw;
        return { ...rest, metadata: { ...stored.raw.metadata, resourceVersion: revision }, ...(kv.value.status !== undefined ? { status: structuredClone(kv.value.status) } : {}) };
      };
      if (facts.statusSubresources?.has(kind.plural) !== false) {
        const body = toCustomResource(kv.value, kind, facts.mode, { name: key.name, resourceVersion: revision, annotateName: await annotateName() });
        const path = await itemPath(key, '/status');
        const res = await ctx.transport.request<KubeObject>({ method: 'PUT', path, body }, errorCtx('UpdateStatus', key));
        if (res.ok) return convert(res.body);
        if (!isMissingResourceType(res.code, res.status)) throw errorFromStatus(res.code, res.status, errorCtx('UpdateStatus', key));
      }
      // No status subresource: write the stored object with the new status through the main resource.
      return putKeepingStatus(key, revision, withStatus, 'UpdateStatus');
    },

    async delete(given, preconditions = {}) {
      const key = checkKey(given, kind.namespaced);
      const found = await locate(key);
      if (!found) throw new NotFoundError(identifierOf(key));
      const id = identifierOf(key);
      if (preconditions.revision && preconditions.revision !== found.pair.revision) throw new ConflictError(id);
      if (preconditions.uid && preconditions.uid !== found.pair.value.metadata.uid) throw new ConflictError(id, { reason: 'UIDMismatch' });
      const stored = found.pair.key;
      const body = { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: found.raw.metadata?.uid, resourceVersion: found.pair.revision } };
      const res = await ctx.transport.request({ method: 'DELETE', path: await itemPath(stored), body }, errorCtx('Delete', key));
      if (!res.ok) throw errorFromStatus(res.code, res.status, errorCtx('Delete', key));
      return found.pair;
    },

    async get(given, options = {}) {
      const key = checkKey(given, kind.namespaced);
      const found = await locate(key, options.revision);
      if (!found) throw new NotFoundError(identifierOf(key));
      return found.pair;
    },

    list: (request) => listView(ctx, view, request),
    watch: (request) => watchView(ctx, view, request),
  };
}
