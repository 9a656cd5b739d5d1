/**
 * Graceful deletion of Pods, and the part of the kubelet that ends it.
 *
 * On a real cluster a DELETE of a scheduled Pod only marks it: `metadata.deletionTimestamp`
 * (now + the grace period) and `deletionGracePeriodSeconds` are set, watchers see MODIFIED, and
 * the Pod stays until the kubelet on its node has stopped the containers and deletes it again
 * with a grace period of 0 (then DELETED). The grace period is the request's
 * `gracePeriodSeconds`, else `spec.terminationGracePeriodSeconds` (defaulted to 30); an
 * unscheduled or finished Pod, or a grace period of 0, is deleted at once. A later DELETE may
 * only shorten a pending grace period.
 *
 * No kubelet runs here, so this module stands in for it: every pending termination is finished
 * after `grace × scale` seconds of wall time (`podGracePeriodScale`, default 0.001: 30 s become
 * 30 ms), or when a test calls {@link PodTerminations.finish}. With a scale of `Infinity` Pods
 * stay terminating until a test finishes them or deletes them with `gracePeriodSeconds=0`.
 *
 * @module
 */
import type { JsonObject, KubeObject } from './types.js';

/** Phases after which a Pod holds nothing and is deleted at once. */
const FINISHED = new Set(['Failed', 'Succeeded']);

/**
 * The grace period a DELETE gives a Pod, as the Pod strategy computes it.
 *
 * @param pod The stored Pod.
 * @param requested `gracePeriodSeconds` of the request, if any.
 * @return Seconds; 0 deletes at once.
 */
export function podGracePeriod(pod: KubeObject, requested: number | undefined): number {
  const spec = (pod.spec ?? {}) as JsonObject;
  const status = (pod.status ?? {}) as JsonObject;
  let period = requested ?? (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 0);
  if (typeof spec.nodeName !== 'string' || spec.nodeName === '') period = 0;
  if (FINISHED.has(String(status.phase ?? ''))) period = 0;
  return period < 0 ? 1 : Math.floor(period);
}

/** One Pod waiting for its (emulated) kubelet. */
export interface PendingTermination {
  namespace: string;
  name: string;
  uid: string;
  /** The grace period in seconds. */
  graceSeconds: number;
}

/** The emulated kubelets' pending work. */
export interface PodTerminations {
  /** Schedules the final delete of a Pod (replacing an earlier schedule of the same Pod). */
  schedule(pending: PendingTermination): void;
  /** Forgets the pending termination of a Pod that is gone. */
  cancel(namespace: string, name: string): void;
  /** Pods still terminating, oldest first. */
  pending(): PendingTermination[];
  /**
   * Ends pending terminations now, as their kubelet would: all, those of one namespace, or one Pod.
   *
   * @return How many Pods were finished.
   */
  finish(namespace?: string, name?: string): number;
  /** Cancels every timer (server shutdown). */
  dispose(): void;
}

/** What {@link createPodTerminations} needs. */
export interface PodTerminationDeps {
  /** Milliseconds of wall time per second of grace period, divided by 1000. */
  scale: number;
  /** Deletes the Pod with `gracePeriodSeconds=0` and a uid precondition; errors are ignored. */
  finalDelete(p: PendingTermination): void;
}

/**
 * Creates the kubelet stand-in.
 *
 * @param deps Scale and the final delete.
 */
export function createPodTerminations(deps: PodTerminationDeps): PodTerminations {
  const entries = new Map<string, { p: PendingTermination; timer?: ReturnType<typeof setTimeout> }>();
  const keyOf = (p: { namespace: string; name: string }): string => `${p.namespace}/${p.name}`;
  const run = (key: string): void => {
    const e = entries.get(key);
    if (!e) return;
    clearTimeout(e.timer);
    entries.delete(key);
    try {
      deps.finalDelete(e.p);
    } catch {
      // Gone, replaced (new uid) or changed meanwhile: the kubelet has nothing left to do.
    }
  };
  return {
    schedule(p) {
      const key = keyOf(p);
      clearTimeout(entries.get(key)?.timer);
      const entry: { p: PendingTermination; timer?: ReturnType<typeof setTimeout> } = { p };
      entries.set(key, entry);
      const ms = p.graceSeconds * 1000 * deps.scale;
      if (Number.isFinite(ms)) entry.timer = setTimeout(() => run(key), Math.max(0, ms)).unref();
    },
    cancel(namespace, name) {
      const key = keyOf({ namespace, name });
      clearTimeout(entries.get(key)?.timer);
      entries.delete(key);
    },
    pending: () => [...entries.values()].map((e) => ({ ...e.p })),
    finish(namespace, name) {
      const keys = [...entries.entries()].filter(([, e]) => (namespace === undefined || e.p.namespace === namespace) && (name === undefined || e.p.name === name)).map(([k]) => k);
      keys.forEach(run);
      return keys.length;
    },
    dispose() {
      for (const e of entries.values()) clearTimeout(e.timer);
      entries.clear();
    },
  };
}
