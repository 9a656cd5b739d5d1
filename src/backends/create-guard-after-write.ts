/**
 * {@link CreateGuard} for a datastore that has no multi-object transaction (Kubernetes): the
 * object is created, then the guard is checked, and a create that broke it is deleted again.
 *
 * The check watches the guard's kind from the guard's revision. A watch delivers changes in the
 * order the datastore made them, so every creation it delivers before the ADDED event of our own
 * object happened before our create: if one of them conflicts, our create is the later one and is
 * undone. Of two racing creates that conflict with each other, exactly the later one is undone —
 * unless the earlier one is itself later than a third conflicting create, which then stands.
 *
 * @module
 */
import { ConflictError, UnavailableError, ValidationError, isExpired, isNotFound, isParseError, shownIdentifier } from '../errors.js';
import type { Backend, BackendEvent, CreateGuard, KVPair, ResourceKey, ResourceObject } from './backend.js';
import { identifierOf } from './key-identifier.js';

/**
 * The first object the guard minds that was created after the guard's revision and before
 * `created`; undefined when there is none.
 */
function conflictBefore(backend: Backend, guard: CreateGuard, created: KVPair, timeoutMs: number): Promise<KVPair | undefined> {
  // Without a revision the watch would start with the current objects as if they were new.
  if (!guard.revision) return Promise.reject(new ValidationError([{ path: 'guard.revision', type: 'required', message: 'a guard needs the revision its check read at' }]));
  return new Promise((resolve, reject) => {
    let done = false;
    let stop = (): void => undefined;
    const finish = (settle: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stop();
      settle();
    };
    const timer = setTimeout(
      () => finish(() => reject(new UnavailableError(`Create ${shownIdentifier(identifierOf(created.key))}: the datastore did not confirm the create within ${timeoutMs} ms`))),
      timeoutMs,
    );
    const onEvent = (e: BackendEvent): void => {
      if (e.type === 'ERROR') {
        // An object that does not decode is not one the guard can judge; anything else ends the check.
        if (!isParseError(e.error)) finish(() => reject(e.error));
        return;
      }
      if (e.type !== 'ADDED') return;
      if (e.revision === created.revision && e.object.key.name === created.key.name && e.object.key.namespace === created.key.namespace) {
        finish(() => resolve(undefined));
      } else if (!guard.conflicts || guard.conflicts(e.object.value)) {
        finish(() => resolve(e.object));
      }
    };
    const subscription = backend.watch({ kind: guard.kind, revision: guard.revision }).subscribe({
      next: onEvent,
      error: (e: unknown) => finish(() => reject(e)),
      complete: () => finish(() => reject(new UnavailableError(`Create ${shownIdentifier(identifierOf(created.key))}: the watch ended before it confirmed the create`))),
    });
    stop = () => subscription.unsubscribe();
    if (done) stop();
  });
}

/** Deletes what `create` wrote (only that object: the uid precondition). */
async function undo(backend: Backend, created: KVPair): Promise<void> {
  try {
    await backend.delete(created.key, created.value.metadata.uid ? { uid: created.value.metadata.uid } : {});
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/**
 * Creates `kv`, then checks `guard` and undoes the create when it is broken.
 *
 * @param backend The backend (its own `create` without a guard writes the object).
 * @param kv The object to create.
 * @param guard The guard.
 * @param timeoutMs How long to wait for the watch to confirm the create.
 * @return The stored object.
 * @throws ConflictError (`ConcurrentCreate`, nothing left stored) when the guard was broken or its
 *   revision is no longer in the watch history; the create's own errors; the check's other errors
 *   (Unavailable) after the object was deleted.
 */
export async function createCheckedAfterWrite<T extends ResourceObject>(backend: Backend, kv: { key: ResourceKey; value: T }, guard: CreateGuard, timeoutMs: number): Promise<KVPair<T>> {
  const created = await backend.create<T>(kv);
  let conflict: KVPair | undefined;
  try {
    conflict = await conflictBefore(backend, guard, created, timeoutMs);
  } catch (e) {
    // Unchecked is not allowed to stand.
    await undo(backend, created);
    // The guard's revision is gone from the watch history: the caller can check again from a fresh list.
    if (isExpired(e)) throw new ConflictError(identifierOf(created.key), { reason: 'ConcurrentCreate', cause: e });
    throw e;
  }
  if (conflict === undefined) return created;
  await undo(backend, created);
  throw new ConflictError(identifierOf(created.key), { reason: 'ConcurrentCreate', current: conflict });
}
