/**
 * Shared pieces of the etcd backend tests: one throwaway etcd per test file, a plain etcd3
 * client for raw reads and writes, objects in Calico's stored shape, and event collection.
 */
import { afterAll, beforeAll } from 'vitest';
import { Etcd3 } from 'etcd3';
import type { Observable, Subscription } from 'rxjs';
import type { Backend, BackendEvent, ResourceObject } from '../../../src/backends/backend.js';
import { createEtcdBackend, type EtcdBackendConfig } from '../../../src/backends/etcdv2/index.js';
import { startEtcd, type EtcdHandle, type StartEtcdOptions } from '../../support/etcd-process.js';

/** The v3 resource prefix, spelled out (tests do not import it from the code under test). */
export const PREFIX = '/calico/resources/v3/projectcalico.org/';

/** A per-file etcd with a raw client and a way to make backends that are closed after the file. */
export interface EtcdFixture {
  etcd(): EtcdHandle;
  raw(): Etcd3;
  backend(config?: Partial<EtcdBackendConfig>): Promise<Backend>;
}

/**
 * Registers beforeAll/afterAll hooks that start one etcd member for the test file.
 *
 * @param options Extra etcd flags.
 * @return Accessors valid inside tests.
 */
export function useEtcd(options: StartEtcdOptions = {}): EtcdFixture {
  let handle: EtcdHandle | undefined;
  let raw: Etcd3 | undefined;
  const backends: Backend[] = [];
  beforeAll(async () => {
    handle = await startEtcd(options);
    raw = new Etcd3({ hosts: handle.endpoints });
  });
  afterAll(async () => {
    await Promise.all(backends.map((b) => b.close()));
    raw?.close();
    await handle?.stop();
  });
  return {
    etcd: () => handle as EtcdHandle,
    raw: () => raw as Etcd3,
    async backend(config = {}) {
      const b = await createEtcdBackend({ endpoints: (handle as EtcdHandle).endpoints, ...config });
      backends.push(b);
      return b;
    },
  };
}

let counter = 0;
/** A name unique within the process, DNS-1123 compatible. */
export function unique(base: string): string {
  counter++;
  return `${base}-${process.pid.toString(36)}-${counter}`;
}

/** An IPPool as Calico's client prepares it (uid and creationTimestamp set). */
export function ipPool(name: string, cidr = '10.10.0.0/16', labels?: Record<string, string>): ResourceObject {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'IPPool',
    metadata: { name, uid: `uid-${name}`, creationTimestamp: '2025-03-01T09:00:00Z', ...(labels ? { labels } : {}) },
    spec: { cidr, vxlanMode: 'Always', ipipMode: 'Never', natOutgoing: true, blockSize: 26, nodeSelector: 'all()' },
  };
}

/** A NetworkPolicy in the default tier. */
export function networkPolicy(namespace: string, name: string, extra: Record<string, unknown> = {}): ResourceObject {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, uid: `uid-${namespace}-${name}`, creationTimestamp: '2025-03-01T09:00:00Z' },
    spec: { tier: 'default', order: 100, selector: "app == 'web'", types: ['Ingress'], ingress: [{ action: 'Allow' }], ...extra },
  };
}

/** Subscribes and collects events until `stop()`. */
export interface Tap<T extends ResourceObject = ResourceObject> {
  readonly events: BackendEvent<T>[];
  readonly done: () => boolean;
  readonly error: () => unknown;
  /** Waits until `pred(events)` holds, polling at most `attempts` × 20 ms (a bound, not a speed check). */
  until(pred: (events: BackendEvent<T>[]) => boolean, attempts?: number): Promise<BackendEvent<T>[]>;
  stop(): void;
}

/**
 * Starts collecting a stream's events.
 *
 * @param source The stream.
 * @return The tap.
 */
export function tap<T extends ResourceObject>(source: Observable<BackendEvent<T>>): Tap<T> {
  const events: BackendEvent<T>[] = [];
  let done = false;
  let error: unknown;
  const sub: Subscription = source.subscribe({
    next: (e) => events.push(e),
    error: (e: unknown) => {
      error = e;
      done = true;
    },
    complete: () => {
      done = true;
    },
  });
  return {
    events,
    done: () => done,
    error: () => error,
    async until(pred, attempts = 500) {
      for (let i = 0; i < attempts && !pred(events) && !done; i++) await new Promise((r) => setTimeout(r, 20));
      return events;
    },
    stop: () => sub.unsubscribe(),
  };
}

/** Runs `action` and returns its rejection; fails when it resolves. */
export { rejectionOf } from '../../../src/testing/conformance/context.js';

/** Reads a raw key and parses its JSON. */
export async function rawJson(raw: Etcd3, key: string): Promise<Record<string, unknown> | null> {
  const text = await raw.get(key).string();
  return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
}
