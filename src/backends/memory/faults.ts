/**
 * Injected failures of the memory backend: a queue of errors per operation, each used once.
 *
 * @module
 */
import { ValidationError, type CalicoError } from '../../errors.js';

/** Operations whose next call can be made to fail. */
export type MemoryOperation = 'create' | 'update' | 'updateStatus' | 'delete' | 'get' | 'list' | 'watch';

/** Every {@link MemoryOperation}. */
export const MEMORY_OPERATIONS: readonly MemoryOperation[] = Object.freeze(['create', 'update', 'updateStatus', 'delete', 'get', 'list', 'watch']);

/** Options of `failNext`. */
export interface FailNextOptions {
  /**
   * For writes: `before` rejects without writing; `after` applies the write (revision, watch
   * events) and then rejects, like a timeout after the datastore committed. Ignored for reads
   * and watch.
   * @default 'before'
   */
  when?: 'before' | 'after';
  /**
   * How many consecutive calls fail with this error.
   * @default 1
   */
  times?: number;
}

/** One queued failure. */
export interface Fault {
  /** The error the call rejects with. */
  readonly error: CalicoError;
  /** Whether a write is applied before rejecting. */
  readonly when: 'before' | 'after';
}

/** Per-operation fault queues. */
export interface FaultQueue {
  /** Queues `times` failures of `operation`. */
  add(operation: MemoryOperation, error: CalicoError, options?: FailNextOptions): void;
  /** Removes and returns the next failure of `operation`, if any. */
  take(operation: MemoryOperation): Fault | undefined;
  /** How many failures are still queued for `operation`. */
  pending(operation: MemoryOperation): number;
}

/**
 * Creates empty fault queues.
 *
 * @return The queues.
 */
export function createFaultQueue(): FaultQueue {
  const queues = new Map<MemoryOperation, Fault[]>();
  return {
    add(operation, error, options = {}) {
      if (!MEMORY_OPERATIONS.includes(operation)) {
        throw new ValidationError([{ path: 'operation', type: 'notSupported', message: `must be one of ${MEMORY_OPERATIONS.join(', ')}` }]);
      }
      const times = options.times ?? 1;
      if (!Number.isInteger(times) || times < 1) throw new ValidationError([{ path: 'times', type: 'invalid', message: 'must be a positive integer' }]);
      const q = queues.get(operation) ?? [];
      for (let i = 0; i < times; i++) q.push({ error, when: options.when ?? 'before' });
      queues.set(operation, q);
    },
    take: (operation) => queues.get(operation)?.shift(),
    pending: (operation) => queues.get(operation)?.length ?? 0,
  };
}
