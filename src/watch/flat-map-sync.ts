/**
 * `flatMapSync`: a synchronous one-to-many map, the cheap form of `mergeMap` returning an array.
 *
 * @module
 */
import type { OperatorFunction } from 'rxjs';
import { Observable } from '../rx.js';

/**
 * Maps each value to zero or more values and emits them at once, in order. Unlike `mergeMap`
 * with an array it subscribes to no inner Observable per value, which matters on the per-event
 * path of a watch (several times faster). An exception thrown by `project` errors the stream.
 *
 * ## Example
 * ```ts
 * events$.pipe(flatMapSync((e) => (e.type === 'BOOKMARK' ? [] : [e])));
 * ```
 *
 * @param project Returns the values to emit for one input value.
 * @return The operator.
 */
export function flatMapSync<A, B>(project: (value: A) => readonly B[]): OperatorFunction<A, B> {
  return (source) =>
    new Observable<B>((subscriber) =>
      source.subscribe({
        next(value) {
          let out: readonly B[];
          try {
            out = project(value);
          } catch (e) {
            subscriber.error(e);
            return;
          }
          for (const v of out) {
            if (subscriber.closed) return;
            subscriber.next(v);
          }
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      }),
    );
}
