/**
 * The watch layer: resumable watches and synced caches over any backend.
 *
 * @module
 */
export { toWatchEvent, toWatchEvents, SYNC_STATUSES } from './events.js';
export type { WatchEvent, WatchEventType, SyncStatus } from './events.js';
export { resumableWatch } from './resumable-watch.js';
export type { ResumableWatchOptions } from './resumable-watch.js';
export { backoffDelay, isTransientError, DEFAULT_BACKOFF } from './retry-policy.js';
export type { BackoffOptions } from './retry-policy.js';
export { syncedCache, combineStatuses, keyString } from './synced-cache.js';
export type { SyncedCache, SyncedCacheOptions, SyncItem, SyncSource, SyncUpdate, SyncUpdateType } from './synced-cache.js';
export { SYNC_DEFAULTS } from './sync-options.js';
export { sourceFromBackend } from './backend-source.js';
export type { BackendSourceOptions } from './backend-source.js';
export { livePolicyView } from './live-policy-view.js';
export type { LivePolicyView, LivePolicyViewOptions } from './live-policy-view.js';
