/**
 * The Kubernetes backend checks a create guard after the write: what happens when the check
 * cannot be made (the guard's revision left the watch history).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../src/backends/backend.js';
import { isConflict, isNotFound, type ConflictError } from '../../../src/errors.js';
import { ipPool, keyOf } from '../../../src/testing/conformance/fixtures.js';
import { startHarness, type Harness } from './helpers.js';

let harness: Harness;
let backend: Backend;
beforeAll(async () => {
  harness = await startHarness();
  backend = await harness.backend();
});
afterAll(async () => {
  await backend?.close();
  await harness?.close();
});

describe('Kubernetes create guards', () => {
  it('a guard whose revision was compacted away undoes the create and asks for a fresh check', async () => {
    const { revision } = await backend.list({ kind: 'IPPool' });
    const other = ipPool('guard-other', 60);
    await backend.create({ key: keyOf(other), value: other });
    harness.server.faults.compact();
    const pool = ipPool('guard-late', 61);
    const err = await backend.create({ key: keyOf(pool), value: pool }, { guard: { kind: 'IPPool', revision, conflicts: () => false } }).catch((e: unknown) => e);
    expect(isConflict(err)).toBe(true);
    expect((err as ConflictError).reason).toBe('ConcurrentCreate');
    expect(isNotFound(await backend.get(keyOf(pool)).catch((e: unknown) => e))).toBe(true);
    // With a fresh revision the same create goes through.
    const fresh = await backend.list({ kind: 'IPPool' });
    const stored = await backend.create({ key: keyOf(pool), value: pool }, { guard: { kind: 'IPPool', revision: fresh.revision, conflicts: () => true } });
    expect(stored.key).toEqual(keyOf(pool));
  });
});
