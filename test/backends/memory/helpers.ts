/** Builders shared by the memory backend tests. */
import { firstValueFrom, toArray, take, type Observable } from 'rxjs';
import type { BackendEvent, ResourceObject } from '../../../src/backends/backend.js';

export const V3 = 'projectcalico.org/v3' as const;

/** An IPPool with the given name and second octet. */
export function pool(name: string, octet = 1, labels?: Record<string, string>): ResourceObject {
  return { apiVersion: V3, kind: 'IPPool', metadata: { name, ...(labels ? { labels } : {}) }, spec: { cidr: `10.${octet}.0.0/16` } };
}

/** A NetworkPolicy. */
export function policy(namespace: string, name: string, labels?: Record<string, string>): ResourceObject {
  return { apiVersion: V3, kind: 'NetworkPolicy', metadata: { name, namespace, ...(labels ? { labels } : {}) }, spec: { selector: 'all()' } };
}

/** The first `n` events of a stream. */
export function firstEvents(stream: Observable<BackendEvent>, n: number): Promise<BackendEvent[]> {
  return firstValueFrom(stream.pipe(take(n), toArray()));
}

/** Every event of a stream that completes. */
export function allEvents(stream: Observable<BackendEvent>): Promise<BackendEvent[]> {
  return firstValueFrom(stream.pipe(toArray()));
}

/** Lets queued microtasks (watch delivery) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs `action` and returns its rejection; fails when it resolves. */
export { rejectionOf } from '../../../src/testing/conformance/context.js';
