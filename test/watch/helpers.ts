/**
 * Builders shared by the watch tests: small IPPool objects, KVPairs and backend events, and a
 * TestScheduler that compares with vitest.
 */
import { expect } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import type { BackendEvent, KVPair, ResourceObject } from '../../src/backends/backend.js';
import type { CalicoError } from '../../src/errors.js';

/** A minimal IPPool-shaped object. */
export interface Pool extends ResourceObject {
  kind: 'IPPool';
  spec: { cidr: string };
}

/** An IPPool named `name` stored at `revision`, with `cidr` as its content. */
export function pool(name: string, revision: string, cidr = '10.0.0.0/16'): KVPair<Pool> {
  return {
    key: { kind: 'IPPool', name },
    value: { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name, resourceVersion: revision }, spec: { cidr } },
    revision,
  };
}

/** ADDED event for `kv` at its revision (or `revision`). */
export function added(kv: KVPair<Pool>, revision = kv.revision): BackendEvent<Pool> {
  return { type: 'ADDED', object: kv, revision };
}

/** MODIFIED event. */
export function modified(kv: KVPair<Pool>, previous?: KVPair<Pool>): BackendEvent<Pool> {
  return previous ? { type: 'MODIFIED', object: kv, previous, revision: kv.revision } : { type: 'MODIFIED', object: kv, revision: kv.revision };
}

/** DELETED event of `previous` at `revision`. */
export function deleted(previous: KVPair<Pool>, revision: string): BackendEvent<Pool> {
  return { type: 'DELETED', previous, revision };
}

/** BOOKMARK event. */
export function bookmark(revision: string): BackendEvent<Pool> {
  return { type: 'BOOKMARK', revision };
}

/** ERROR event. */
export function errorEvent(error: CalicoError): BackendEvent<Pool> {
  return { type: 'ERROR', error };
}

/** A TestScheduler whose assertions are vitest `toEqual`. */
export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
}
