/**
 * Direct store access for tests: put objects in place (with server-assigned fields, defaults and
 * watch events, but without validation or admission), read and remove them, move the revision.
 *
 * @module
 */
import type { ServerState } from './context.js';
import { objectKey, wireObject } from './object-meta.js';
import { resourceId } from './resources.js';
import type { KubeObject, ResourceDefinition } from './types.js';
import { createObject, deleteObject, updateObject, type WriteContext } from './writes.js';

/** Store access for tests. */
export interface StoreAccess {
  /**
   * Creates or replaces objects directly (no validation, no preconditions, no admission). Missing
   * `uid`/`creationTimestamp` are assigned; defaults apply; watches see ADDED/MODIFIED.
   * `status` is stored as given (use this to fake kubelet/controller state).
   *
   * @return The stored objects as the server would serve them.
   */
  seed(...objects: KubeObject[]): KubeObject[];
  /** Reads one object (`namespace` for namespaced kinds). */
  get(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined;
  /** Lists objects of a kind (optionally one namespace), in key order. */
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[];
  /** Deletes one object immediately (finalizers ignored); returns it, or undefined if absent. */
  remove(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined;
  /** The current global resourceVersion. */
  resourceVersion(): string;
  /** Advances the resourceVersion without changing anything (other cluster activity). */
  advanceResourceVersion(count?: number): string;
}

const SEED_CONTEXT: WriteContext = { fieldValidation: 'Ignore', warnings: [], manager: 'seed', skipValidation: true };

function lookup(state: ServerState, apiVersion: string, kind: string): ResourceDefinition {
  const def = state.registry.findByKind(apiVersion, kind);
  if (!def) throw new Error(`fake API server: no resource installed for ${apiVersion} ${kind}`);
  return def;
}

/** Creates the store access API over the server state. */
export function createStoreAccess(state: ServerState): StoreAccess {
  return {
    seed(...objects) {
      return objects.map((input) => {
        const obj = structuredClone(input);
        const def = lookup(state, String(obj.apiVersion ?? ''), String(obj.kind ?? ''));
        const meta = obj.metadata ?? (obj.metadata = {});
        const name = meta.name ?? '';
        const existing = state.store.get(resourceId(def), objectKey(def, meta.namespace, name));
        if (!existing) return wireObject(def, createObject(state, def, meta.namespace, obj, { ...SEED_CONTEXT, warnings: [] }));
        meta.uid = meta.uid ?? existing.metadata?.uid;
        meta.resourceVersion = existing.metadata?.resourceVersion;
        const status = obj.status;
        const result = updateObject(state, def, meta.namespace, name, obj, { fromPatch: true }, { ...SEED_CONTEXT, warnings: [] });
        if (status === undefined || !def.updateKeepsStatus) return wireObject(def, result.object);
        const withStatus = { ...result.object, status };
        const again = updateObject(state, def, meta.namespace, name, withStatus, { fromPatch: true, subresource: 'status' }, { ...SEED_CONTEXT, warnings: [] });
        return wireObject(def, again.object);
      });
    },
    get(apiVersion, kind, name, namespace) {
      const def = lookup(state, apiVersion, kind);
      const obj = state.store.get(resourceId(def), objectKey(def, namespace, name));
      return obj ? wireObject(def, obj) : undefined;
    },
    list(apiVersion, kind, namespace) {
      const def = lookup(state, apiVersion, kind);
      const prefix = def.namespaced && namespace ? `${namespace}/` : undefined;
      return state.store.list(resourceId(def), undefined, prefix).map((e) => wireObject(def, e.object));
    },
    remove(apiVersion, kind, name, namespace) {
      const def = lookup(state, apiVersion, kind);
      const key = objectKey(def, namespace, name);
      const obj = state.store.get(resourceId(def), key);
      if (!obj) return undefined;
      if (obj.metadata?.finalizers?.length) return wireObject(def, state.store.commit(resourceId(def), key, null).object);
      return wireObject(def, deleteObject(state, def, namespace, name, { immediate: true }).object);
    },
    resourceVersion: () => String(state.store.currentRv()),
    advanceResourceVersion: (count = 1) => String(state.store.bump(count)),
  };
}
