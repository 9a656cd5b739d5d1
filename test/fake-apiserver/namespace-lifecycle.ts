/**
 * Namespace termination, as the API server and its namespace controller do it:
 *
 * 1. DELETE of an active Namespace sets `metadata.deletionTimestamp` and `status.phase:
 *    Terminating` (watchers see MODIFIED) and answers 200 with the Namespace.
 * 2. Creating anything in a terminating Namespace is 403 Forbidden (the NamespaceLifecycle
 *    admission plugin's wording and `NamespaceTerminating` cause).
 * 3. The controller deletes the content (Pods gracefully) and reports its progress in the five
 *    deletion conditions of `status.conditions` (`NamespaceContentRemaining` names what is left,
 *    `NamespaceFinalizersRemaining` what holds it; MODIFIED when they change). Once nothing is
 *    left it removes the `kubernetes` finalizer from `spec.finalizers` (MODIFIED) and deletes the
 *    Namespace (DELETED). Content held by finalizers keeps the Namespace terminating.
 *
 * @module
 */
import { nowTimestamp } from './object-meta.js';
import { failureStatus, apiFailure, qualifiedResource, type ApiFailure } from './status.js';
import type { ObjectStore } from './store.js';
import type { JsonObject, KubeObject, ResourceDefinition } from './types.js';

/** The finalizer the namespace controller owns. */
export const NAMESPACE_FINALIZER = 'kubernetes';

/** True when a stored Namespace is being terminated. */
export function isTerminating(ns: KubeObject | undefined): boolean {
  return ((ns?.status ?? {}) as JsonObject).phase === 'Terminating';
}

/**
 * The 403 for a create in a terminating Namespace.
 *
 * @param def The resource created.
 * @param name The object's name ('' with generateName).
 * @param namespace The terminating Namespace.
 */
export function terminatingNamespace(def: Pick<ResourceDefinition, 'plural' | 'group'>, name: string, namespace: string): ApiFailure {
  const head = name ? `${qualifiedResource(def)} "${name}" is forbidden` : `${qualifiedResource(def)} is forbidden`;
  return apiFailure(
    failureStatus(403, 'Forbidden', `${head}: unable to create new content in namespace ${namespace} because it is being terminated`, {
      ...(name ? { name } : {}),
      ...(def.group ? { group: def.group } : {}),
      kind: def.plural,
      causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
    }),
  );
}

/** The namespace controller. */
export interface NamespaceController {
  /** Starts removing a Namespace that was just marked Terminating (asynchronously, like the controller). */
  terminate(name: string): void;
  /** Stops every pending termination (server shutdown). */
  dispose(): void;
}

/** What the controller needs from the server. */
export interface NamespaceControllerDeps {
  store: ObjectStore;
  /** The namespaced resources installed now, one definition per storage identity. */
  namespacedResources(): ResourceDefinition[];
  /** Storage identity of a resource. */
  resourceId(def: ResourceDefinition): string;
  /** Deletes one object as a client DELETE without options would (Pods gracefully). */
  deleteObject(def: ResourceDefinition, namespace: string, name: string): void;
  /** The server's clock (condition timestamps). */
  now: () => number;
}

/**
 * The five conditions the namespace controller maintains while it deletes, given what is left
 * (instances per `plural.group`) and which finalizers hold it.
 */
export function deletionConditions(left: Record<string, number>, held: Record<string, number>): JsonObject[] {
  const ok = (type: string, reason: string, message: string): JsonObject => ({ type, status: 'False', reason, message });
  const remainingText = Object.entries(left).map(([gr, n]) => `${gr} has ${n} resource instances`).sort().join(', ');
  const heldText = Object.entries(held).map(([f, n]) => `${f} in ${n} resource instances`).sort().join(', ');
  return [
    ok('NamespaceDeletionDiscoveryFailure', 'ResourcesDiscovered', 'All resources successfully discovered'),
    ok('NamespaceDeletionGroupVersionParsingFailure', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'),
    ok('NamespaceDeletionContentFailure', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'),
    remainingText
      ? { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remainingText}` }
      : ok('NamespaceContentRemaining', 'ContentRemoved', 'All content successfully removed'),
    heldText
      ? { type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${heldText}` }
      : ok('NamespaceFinalizersRemaining', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'),
  ];
}

/**
 * Creates the controller.
 *
 * @param deps Store and deletion.
 */
export function createNamespaceController(deps: NamespaceControllerDeps): NamespaceController {
  const { store } = deps;
  const watching = new Map<string, () => void>();
  const pending = new Set<ReturnType<typeof setImmediate>>();

  const remaining = (ns: string): boolean =>
    deps.namespacedResources().some((d) => store.list(deps.resourceId(d), undefined, `${ns}/`, true).length > 0);

  /** Reports the deletion's progress in `status.conditions` (MODIFIED when they change). */
  const report = (ns: string): void => {
    const current = store.get('/namespaces', ns);
    if (!current || !isTerminating(current)) return;
    const left: Record<string, number> = {};
    const held: Record<string, number> = {};
    for (const d of deps.namespacedResources()) {
      for (const { object } of store.list(deps.resourceId(d), undefined, `${ns}/`, true)) {
        const gr = `${d.plural}.${d.group}`;
        left[gr] = (left[gr] ?? 0) + 1;
        for (const f of object.metadata?.finalizers ?? []) held[f] = (held[f] ?? 0) + 1;
      }
    }
    const status = (current.status ?? {}) as JsonObject;
    const previous = Array.isArray(status.conditions) ? (status.conditions as JsonObject[]) : [];
    const conditions = deletionConditions(left, held).map((c) => {
      const before = previous.find((p) => p.type === c.type);
      const same = before && before.status === c.status && before.reason === c.reason && before.message === c.message;
      return same ? before : { ...c, lastTransitionTime: nowTimestamp(new Date(deps.now())) };
    });
    if (JSON.stringify(conditions) === JSON.stringify(previous)) return;
    store.commit('/namespaces', ns, { ...current, status: { ...status, conditions } });
  };

  const finalize = (ns: string): void => {
    watching.get(ns)?.();
    watching.delete(ns);
    report(ns);
    const current = store.get('/namespaces', ns);
    if (!current || !isTerminating(current)) return;
    const spec = (current.spec ?? {}) as JsonObject;
    const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers.filter((f) => f !== NAMESPACE_FINALIZER) : [];
    const next: KubeObject = { ...current, spec: { ...spec, finalizers } };
    const stored = store.commit('/namespaces', ns, next).object;
    if (finalizers.length > 0) return;
    // The controller's final DELETE: gone, or held by metadata.finalizers with a grace period of 0.
    if ((stored.metadata?.finalizers ?? []).length === 0) store.commit('/namespaces', ns, null);
    else store.commit('/namespaces', ns, { ...stored, metadata: { ...stored.metadata, deletionGracePeriodSeconds: 0 } });
  };

  const step = (ns: string): void => {
    for (const d of deps.namespacedResources()) {
      for (const { object } of store.list(deps.resourceId(d), undefined, `${ns}/`)) {
        if (object.metadata?.deletionTimestamp) continue;
        try {
          deps.deleteObject(d, ns, object.metadata?.name ?? '');
        } catch {
          // Deleted meanwhile: nothing to do.
        }
      }
    }
    if (!remaining(ns)) {
      finalize(ns);
      return;
    }
    report(ns);
    if (watching.has(ns)) return;
    const unsubscribe = store.subscribe((e) => {
      if (e.type === 'DELETED' && e.key.startsWith(`${ns}/`) && !remaining(ns)) finalize(ns);
    });
    watching.set(ns, unsubscribe);
  };

  return {
    terminate(name) {
      const handle = setImmediate(() => {
        pending.delete(handle);
        step(name);
      });
      pending.add(handle);
    },
    dispose() {
      for (const h of pending) clearImmediate(h);
      pending.clear();
      for (const u of watching.values()) u();
      watching.clear();
    },
  };
}
