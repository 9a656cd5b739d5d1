/**
 * `list` of the memory backend: filtering, key order, reads at a past revision, and paging with
 * `continue` tokens pinned to the first page's revision.
 *
 * A token is the base64url of `{"r": <revision>, "k": "<last storage key>"}`; it is opaque to
 * callers. When its revision has left the history window the next page fails with Expired, as a
 * Kubernetes continue token does after compaction.
 *
 * @module
 */
import type { KVPairList, ListRequest, ResourceObject } from '../backend.js';
import { ExpiredError, ValidationError } from '../../errors.js';
import { compileFilter, parseRevision } from './filter.js';
import type { Entry, RevisionStore } from './store.js';
import { readStoredValue } from './stored-value.js';
import { decodeContinueToken, encodeContinueToken } from '../continue-token.js';

interface ContinueToken {
  revision: number;
  after: string;
}

function encodeToken(t: ContinueToken): string {
  return encodeContinueToken({ r: t.revision, k: t.after });
}

function decodeToken(text: string): ContinueToken {
  const { r, k } = decodeContinueToken(text) ?? {};
  if (typeof r !== 'number' || !Number.isSafeInteger(r) || r < 1 || typeof k !== 'string') {
    throw new ValidationError([{ path: 'continue', type: 'invalid', message: 'is not a continue token of this datastore' }]);
  }
  return { revision: r, after: k };
}

/**
 * Converts a stored entry into the KVPair a caller receives.
 *
 * @param e The entry.
 * @return A fresh KVPair.
 */
export function entryToKVPair<T extends ResourceObject>(e: Entry): { key: Entry['key']; value: T; revision: string } {
  const revision = String(e.modRevision);
  return { key: { ...e.key }, value: readStoredValue<T>(e.value, revision), revision };
}

/**
 * Checks that a revision can be read.
 *
 * @param store The store.
 * @param revision The requested revision.
 * @param what What was asked, for the message (`list`, `get`, `continue token`).
 * @throws ExpiredError when the revision is compacted or newer than the store.
 */
export function assertReadable(store: RevisionStore, revision: number, what: string): void {
  if (revision < store.floor()) {
    throw new ExpiredError(`the ${what} revision ${revision} has been compacted (oldest available: ${store.floor()})`);
  }
  if (revision > store.current()) {
    throw new ExpiredError(`the ${what} revision ${revision} is newer than the datastore (current: ${store.current()})`);
  }
}

/**
 * Runs a list request against the store.
 *
 * @param store The store.
 * @param request The caller's request.
 * @return The page.
 * @throws ValidationError naming `limit`, `continue`, `revision`, `kind` or `labelSelector`; ExpiredError.
 */
export function listEntries<T extends ResourceObject>(store: RevisionStore, request: ListRequest): KVPairList<T> {
  const filter = compileFilter(request);
  const { limit } = request;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new ValidationError([{ path: 'limit', type: 'invalid', message: 'must be a non-negative integer' }]);
  }
  let revision: number;
  let after: string | undefined;
  if (request.continue) {
    if (parseRevision(request.revision, 'revision') !== undefined) {
      throw new ValidationError([{ path: 'continue', type: 'forbidden', message: 'cannot be combined with revision' }]);
    }
    ({ revision, after } = decodeToken(request.continue));
    assertReadable(store, revision, 'continue token');
  } else {
    revision = parseRevision(request.revision, 'revision') ?? store.current();
    assertReadable(store, revision, 'list');
  }
  const matching = store.snapshot(revision, filter.prefix).filter((e) => (after === undefined || e.storageKey > after) && filter.matches(e));
  const page = limit ? matching.slice(0, limit) : matching;
  const last = page[page.length - 1];
  const more = last !== undefined && page.length < matching.length;
  return {
    items: page.map((e) => entryToKVPair<T>(e)),
    revision: String(revision),
    ...(more ? { continue: encodeToken({ revision, after: last.storageKey }) } : {}),
  };
}
