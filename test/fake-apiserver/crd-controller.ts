/**
 * The fake's stand-in for the apiextensions controllers: it watches CustomResourceDefinition
 * objects in the store and, like the real naming, establishing and finalizer controllers,
 *
 * - checks the names against the other CRDs of the group, sets `status.acceptedNames`, the
 *   `NamesAccepted` and `Established` conditions and `status.storedVersions`;
 * - serves the CRD's served versions (discovery, paths, OpenAPI) once established, and stops
 *   serving versions that were removed or unserved;
 * - on deletion (`deletionTimestamp` with the cleanup finalizer), deletes every object of the
 *   resource (watchers see DELETED), stops serving it and removes the finalizer, which completes
 *   the deletion.
 *
 * Like the real controllers it runs after the write that triggered it (on the next turn of the
 * event loop), so a create answers with a CRD that is not yet established; {@link
 * CrdController.install} runs it at once for CRDs installed by the server's options.
 *
 * @module
 */
import type { ServerState } from './context.js';
import { CLEANUP_FINALIZER, CRD_RESOURCE_ID, setCondition } from './crd-api.js';
import { resourcesFromCrd } from './crd.js';
import { canonical } from './object-meta.js';
import { resourceId } from './resources.js';
import type { JsonObject, JsonValue, KubeObject, ResourceDefinition } from './types.js';
import { createObject, updateObject, type WriteContext } from './writes.js';

/** Runs the CRD controllers over the server state. */
export interface CrdController {
  /** Creates (or replaces) a CRD through the write path and establishes it before returning. */
  install(manifest: JsonObject): ResourceDefinition[];
  /** Processes pending CRD changes now. */
  flush(): void;
  /** The CRD object that defines `group`/`plural`, if any. */
  crdFor(group: string, plural: string): KubeObject | undefined;
  /** Stops reacting to store events. */
  dispose(): void;
}

interface Served {
  group: string;
  plural: string;
  versions: string[];
}

const isObj = (v: JsonValue | undefined): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);
const controllerWrite = (): WriteContext => ({ fieldValidation: 'Ignore', warnings: [], manager: 'kube-apiserver' });

function specOf(crd: KubeObject): { group: string; names: JsonObject; versions: JsonObject[] } {
  const spec = isObj(crd.spec as JsonValue) ? (crd.spec as JsonObject) : {};
  return {
    group: typeof spec.group === 'string' ? spec.group : '',
    names: isObj(spec.names) ? spec.names : {},
    versions: Array.isArray(spec.versions) ? spec.versions.filter(isObj) : [],
  };
}

/**
 * Starts the controllers.
 *
 * @param state Server state (store, registry, watch hub).
 * @param crdDef The `customresourcedefinitions` resource definition.
 */
export function createCrdController(state: ServerState, crdDef: ResourceDefinition): CrdController {
  const served = new Map<string, Served>();
  /** uid of each CRD name the controllers have seen; installs are marked so their status is kept. */
  const uids = new Map<string, string>();
  const fromInstall = new Set<string>();
  const pending = new Set<string>();
  let timer: ReturnType<typeof setImmediate> | undefined;

  const withdraw = (name: string, keep: string[] = []): void => {
    const s = served.get(name);
    if (!s) return;
    for (const v of s.versions) if (!keep.includes(v)) state.registry.unregister(s.group, s.plural, v);
    if (keep.length) return;
    served.delete(name);
    for (const w of state.hub.select({ group: s.group, resource: s.plural })) w.end();
    state.store.dropResource(resourceId(s));
  };

  const conflictWith = (name: string, group: string, names: JsonObject): string | undefined => {
    for (const [other, s] of served) {
      if (other === name || s.group !== group) continue;
      if (s.plural === names.plural) return 'plural';
      const otherDef = state.registry.all().find((d) => d.group === s.group && d.plural === s.plural);
      if (otherDef && otherDef.kind === names.kind) return 'kind';
    }
    return undefined;
  };

  const writeStatus = (crd: KubeObject, status: JsonObject): void => {
    if (canonical(status) === canonical(crd.status ?? {})) return;
    const next = structuredClone(crd);
    next.status = status;
    updateObject(state, crdDef, undefined, crd.metadata?.name ?? '', next, { fromPatch: true, subresource: 'status' }, controllerWrite());
  };

  const terminate = (crd: KubeObject): void => {
    const name = crd.metadata?.name ?? '';
    const { group, names } = specOf(crd);
    const id = resourceId({ group, plural: String(names.plural ?? '') });
    for (const { key } of state.store.list(id)) state.store.commit(id, key, null);
    withdraw(name);
    const next = structuredClone(crd);
    const meta = next.metadata ?? (next.metadata = {});
    meta.finalizers = (meta.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
    updateObject(state, crdDef, undefined, name, next, { fromPatch: true }, controllerWrite());
  };

  /** The status the controllers would give this CRD, and its resources when its names are accepted. */
  const desired = (name: string, crd: KubeObject): { status: JsonObject; defs?: ResourceDefinition[] } => {
    const { group, names, versions } = specOf(crd);
    const status: JsonObject = structuredClone(isObj(crd.status as JsonValue) ? (crd.status as JsonObject) : {});
    const probe: KubeObject = { status };
    const conflict = conflictWith(name, group, names);
    let defs: ResourceDefinition[] | undefined;
    if (conflict) {
      const value = String(names[conflict] ?? '');
      setCondition(probe, 'NamesAccepted', 'False', conflict === 'plural' ? 'PluralConflict' : 'KindConflict', `"${value}" is already in use`);
      setCondition(probe, 'Established', 'False', 'NotAccepted', 'not all names are accepted');
      if (!isObj(status.acceptedNames)) status.acceptedNames = { kind: '', plural: '' };
    } else {
      const accepted: JsonObject = {};
      for (const k of ['categories', 'kind', 'listKind', 'plural', 'shortNames', 'singular']) if (names[k] !== undefined) accepted[k] = structuredClone(names[k] as JsonValue);
      status.acceptedNames = accepted;
      setCondition(probe, 'NamesAccepted', 'True', 'NoConflicts', 'no conflicts found');
      setCondition(probe, 'Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted');
      defs = resourcesFromCrd({ ...(crd as JsonObject), metadata: { name } });
    }
    const stored = Array.isArray(status.storedVersions) ? status.storedVersions.filter((v): v is string => typeof v === 'string') : [];
    const storage = versions.find((v) => v.storage === true)?.name;
    if (typeof storage === 'string' && !stored.includes(storage)) stored.push(storage);
    status.storedVersions = stored;
    return defs ? { status, defs } : { status };
  };

  const reconcile = (name: string): void => {
    const crd = state.store.get(CRD_RESOURCE_ID, name);
    if (!crd) {
      withdraw(name);
      uids.delete(name);
      return;
    }
    if (crd.metadata?.deletionTimestamp) {
      if ((crd.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) terminate(crd);
      return;
    }
    // A CRD seen for the first time starts from an empty status, whatever its creator sent.
    const uid = crd.metadata?.uid ?? '';
    const fresh = uids.get(name) !== uid;
    uids.set(name, uid);
    const { status, defs } = desired(name, fresh && !fromInstall.delete(uid) ? { ...crd, status: {} } : crd);
    if (defs) {
      withdraw(name, defs.map((d) => d.version));
      for (const d of defs) state.registry.register(d);
      const { group, names } = specOf(crd);
      served.set(name, { group, plural: String(names.plural ?? ''), versions: defs.map((d) => d.version) });
    }
    writeStatus(crd, status);
  };

  const flush = (): void => {
    if (timer) clearImmediate(timer);
    timer = undefined;
    for (let round = 0; pending.size && round < 10; round++) {
      const names = [...pending];
      pending.clear();
      for (const n of names) reconcile(n);
    }
  };

  const unsubscribe = state.store.subscribe((e) => {
    if (e.resourceId !== CRD_RESOURCE_ID) return;
    pending.add(e.key);
    timer ??= setImmediate(flush);
  });

  return {
    install(manifest) {
      const obj = structuredClone(manifest) as KubeObject;
      const name = obj.metadata?.name ?? '';
      const existing = state.store.get(CRD_RESOURCE_ID, name);
      // Installed as if the controllers had already run: one write instead of two.
      crdDef.defaulter?.(obj);
      obj.status = desired(name, { ...obj, status: existing?.status ?? {} }).status;
      if (existing) {
        (obj.metadata ??= {}).resourceVersion = existing.metadata?.resourceVersion ?? '';
        updateObject(state, crdDef, undefined, name, obj, { fromPatch: false }, controllerWrite());
      } else {
        fromInstall.add(createObject(state, crdDef, undefined, obj, controllerWrite()).metadata?.uid ?? '');
      }
      flush();
      const s = served.get(name);
      return s ? state.registry.all().filter((d) => d.group === s.group && d.plural === s.plural) : [];
    },
    flush,
    crdFor(group, plural) {
      for (const [name, s] of served) if (s.group === group && s.plural === plural) return state.store.get(CRD_RESOURCE_ID, name);
      return undefined;
    },
    dispose() {
      unsubscribe();
      if (timer) clearImmediate(timer);
      timer = undefined;
    },
  };
}
