/**
 * A scripted {@link SyncSource} for synced-cache tests: list answers are queued by the test,
 * every watch is a Subject the test drives, and every call is recorded with its virtual time.
 */
import { Observable, Subject } from 'rxjs';
import type { BackendEvent, KVPair } from '../../src/backends/backend.js';
import type { SyncItem, SyncSource } from '../../src/watch/sync-types.js';
import type { Pool } from './helpers.js';

/** One watch opened by the cache. */
export interface OpenedWatch {
  /** The revision it was opened from. */
  readonly revision: string;
  /** Virtual time of the subscription. */
  readonly at: number;
  /** Push events / end / fail the stream. */
  readonly server: Subject<BackendEvent<Pool>>;
  /** True once the cache unsubscribed (or the stream ended). */
  closed: boolean;
}

/** A list answer: a result, or an error to reject with. */
export type ListAnswer = { items: KVPair<Pool>[]; revision: string } | { error: unknown };

/** The double and its records. */
export interface ScriptedSource extends SyncSource<Pool> {
  /** Queued list answers, used in order; when empty, list() never settles. */
  readonly answers: ListAnswer[];
  /** Virtual times of every list call. */
  readonly listCalls: number[];
  /** Every watch opened, in order. */
  readonly watches: OpenedWatch[];
  /** Errors to fail the next watch opens with, used in order. */
  readonly watchFailures: unknown[];
  /** The most recent watch. */
  lastWatch(): OpenedWatch;
}

/**
 * Creates a scripted source.
 *
 * @param now Clock for the call records.
 * @param kind Kind to report.
 * @return The double.
 */
export function scriptedSource(now: () => number, kind = 'IPPool'): ScriptedSource {
  const answers: ListAnswer[] = [];
  const listCalls: number[] = [];
  const watches: OpenedWatch[] = [];
  const watchFailures: unknown[] = [];
  return {
    kind,
    answers,
    listCalls,
    watches,
    watchFailures,
    lastWatch() {
      const w = watches.at(-1);
      if (!w) throw new Error('no watch has been opened');
      return w;
    },
    list() {
      listCalls.push(now());
      const answer = answers.shift();
      if (!answer) return new Promise(() => undefined);
      return 'error' in answer ? Promise.reject(answer.error) : Promise.resolve({ items: [...answer.items], revision: answer.revision });
    },
    watch(revision) {
      return new Observable<BackendEvent<Pool>>((subscriber) => {
        const failure = watchFailures.shift();
        if (failure !== undefined) {
          subscriber.error(failure);
          return undefined;
        }
        const opened: OpenedWatch = { revision, at: now(), server: new Subject(), closed: false };
        watches.push(opened);
        const sub = opened.server.subscribe(subscriber);
        return () => {
          opened.closed = true;
          sub.unsubscribe();
        };
      });
    },
  };
}

/**
 * Renders items compactly for sequence assertions: `status:in-sync`, `new:IPPool(a)@1`,
 * `error:Parse`. Each update of a batch is one entry; `|` closes a batch of several.
 *
 * @param items Items in order.
 * @return One string per status, error or update.
 */
export function render(items: readonly SyncItem<Pool>[]): string[] {
  const out: string[] = [];
  for (const item of items) {
    if (item.type === 'status') out.push(`status:${item.status}`);
    else if (item.type === 'error') out.push(`error:${item.error.code}`);
    else for (const u of item.updates) out.push(`${u.type}:IPPool(${u.key.name})@${u.revision}`);
  }
  return out;
}
