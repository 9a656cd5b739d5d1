/**
 * What differs between kinds in the client: read-defaulting, checks that read the datastore, and
 * the extra steps some deletes take. The generic accessor (`resource-client.ts`) calls these hooks.
 *
 * @module
 */
import type { Backend, CreateGuard, KVPair, ResourceKey, ResourceObject, Revision } from '../backends/backend.js';
import type { FieldError } from '../errors.js';
import type { KindDescriptor } from '../model/kinds.js';

/** Where the hooks read and write: the backend, and helpers over it. */
export interface KindContext {
  /** The backend the client writes to. */
  readonly backend: Backend;
  /** Lists every object of a kind (all namespaces), following pages; optionally only names with a prefix. */
  listAll<T extends ResourceObject>(kind: string, namePrefix?: string): Promise<{ items: KVPair<T>[]; revision: Revision }>;
  /** Milliseconds to wait between disabling an IPPool and deleting it. */
  readonly ipPoolDeleteDelayMs: number;
}

/** Preconditions of a delete, as the caller gave them. */
export interface DeleteRequest {
  key: ResourceKey;
  revision?: string;
  uid?: string;
}

/** What a create's datastore check found. */
export interface CreateCheck {
  /** The failing fields; empty when the create may go ahead. */
  errors: FieldError[];
  /**
   * For a check that read other objects: the guard that keeps its answer true until the write
   * lands. A create refused by it is checked again (it then usually fails the check).
   */
  guard?: CreateGuard;
}

/** Per-kind hooks. Every hook is optional except the descriptor. */
export interface KindBehaviour<T extends ResourceObject = ResourceObject> {
  /** The kind's static facts. */
  readonly descriptor: KindDescriptor;
  /** True when an empty `metadata.name` is computed from the spec (WorkloadEndpoint). */
  readonly nameComputed?: boolean;
  /** Defaults applied to every object read (get, list, watch). Pure. */
  readDefaults?(obj: T): T;
  /** Refuses writes that are never allowed for this object (reserved names): throws NotSupportedError. */
  assertWritable?(obj: { metadata: { name?: string; namespace?: string } }, operation: 'Create' | 'Update' | 'Delete'): void;
  /** Checks on create that read the datastore (tier exists, pool overlap). May throw NotFoundError. */
  checkCreate?(obj: T, ctx: KindContext): Promise<CreateCheck>;
  /** Checks on update against the stored object (immutable fields). May read the datastore. */
  checkUpdate?(next: T, stored: T, ctx: KindContext): Promise<FieldError[]>;
  /** Replaces the plain backend delete (IPPool disables first; Node removes its endpoints; Tier refuses when in use). */
  delete?(request: DeleteRequest, ctx: KindContext): Promise<KVPair<T>>;
}
