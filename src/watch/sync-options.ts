/**
 * Defaults and checks of {@link SyncedCacheOptions}.
 *
 * @module
 */
import type { SchedulerLike } from 'rxjs';
import { asyncScheduler } from '../rx.js';
import { ValidationError } from '../errors.js';
import { isTransientError, resolveBackoff, type ResolvedBackoff } from './retry-policy.js';
import type { SyncedCacheOptions } from './sync-types.js';

/** {@link SyncedCacheOptions} with every member filled in. */
export interface ResolvedSyncOptions {
  readonly minResyncInterval: number;
  readonly listRetryDelay: number;
  readonly pollInterval: number;
  readonly connectionLossThreshold: number;
  readonly watchFailuresBeforeResync: number;
  readonly backoff: ResolvedBackoff;
  readonly emitDeletesOnStop: boolean;
  readonly keepAlive: number;
  readonly isTransient: (error: unknown) => boolean;
  readonly scheduler: SchedulerLike;
}

/** Calico's timer defaults (libcalico-go watchersyncer). */
export const SYNC_DEFAULTS = Object.freeze({
  minResyncInterval: 500,
  listRetryDelay: 1000,
  pollInterval: 5000,
  connectionLossThreshold: 600_000,
  watchFailuresBeforeResync: 5,
});

function millis(value: number | undefined, fallback: number, path: string, min = 0): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) {
    throw new ValidationError([{ path, type: 'invalid', message: `must be a finite number, ${min} or more` }]);
  }
  return value;
}

/**
 * Fills in and checks the options of a synced cache.
 *
 * @param options The caller's options.
 * @return The complete options.
 * @throws ValidationError naming the first out-of-range member.
 */
export function resolveSyncOptions(options: SyncedCacheOptions = {}): ResolvedSyncOptions {
  return {
    minResyncInterval: millis(options.minResyncInterval, SYNC_DEFAULTS.minResyncInterval, 'minResyncInterval'),
    listRetryDelay: millis(options.listRetryDelay, SYNC_DEFAULTS.listRetryDelay, 'listRetryDelay'),
    pollInterval: millis(options.pollInterval, SYNC_DEFAULTS.pollInterval, 'pollInterval'),
    connectionLossThreshold: millis(options.connectionLossThreshold, SYNC_DEFAULTS.connectionLossThreshold, 'connectionLossThreshold'),
    watchFailuresBeforeResync: millis(options.watchFailuresBeforeResync, SYNC_DEFAULTS.watchFailuresBeforeResync, 'watchFailuresBeforeResync', 1),
    backoff: resolveBackoff(options.backoff),
    emitDeletesOnStop: options.emitDeletesOnStop ?? false,
    keepAlive: millis(options.keepAlive, 0, 'keepAlive'),
    isTransient: options.isTransient ?? isTransientError,
    scheduler: options.scheduler ?? asyncScheduler,
  };
}
