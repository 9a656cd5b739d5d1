/**
 * What every operation module of the etcd backend shares: the `etcd3` client, the resolved
 * configuration, retry timing, the cluster's policy naming mode and the set of open watches.
 *
 * @module
 */
import type { Etcd3 } from 'etcd3';
import { ValidationError, type ParseError } from '../../errors.js';
import type { RetryTiming } from './call.js';
import type { ResolvedEtcdConfig } from './config.js';
import type { NamingMode } from '../policy-storage-names.js';

/** One open watch, as `close()` sees it. */
export interface OpenWatch {
  /** Ends the stream (completes the subscriber) and cancels the etcd watcher. */
  stop(): Promise<void>;
}

/** Shared state of one backend instance. */
export interface EtcdContext {
  /** The etcd3 client. */
  readonly client: Etcd3;
  /** Resolved settings. */
  readonly config: ResolvedEtcdConfig;
  /** Retry window, connection description and closed flag for {@link retrying}. */
  readonly timing: RetryTiming;
  /** The naming mode for new default-tier policies (detected once, then cached). */
  namingMode(): Promise<NamingMode>;
  /** Reports an entry a list skipped because it does not decode. */
  reportParseError(error: ParseError): void;
  /** Open watches, stopped by `close()`. */
  readonly watches: Set<OpenWatch>;
}

/**
 * Checks a revision given by a caller and returns it in canonical decimal form (no leading
 * zeros); empty and `"0"` mean "latest".
 *
 * @param text The revision, or undefined.
 * @param path Field path named in the error.
 * @return The revision, or undefined for "latest".
 * @throws ValidationError naming `path` when the text is not a decimal revision.
 */
export function revisionText(text: string | undefined, path: string): string | undefined {
  if (text === undefined || text === '' || text === '0') return undefined;
  if (typeof text !== 'string' || !/^[0-9]{1,19}$/.test(text)) {
    throw new ValidationError([{ path, type: 'invalid', message: 'must be a decimal revision of this datastore' }]);
  }
  // Revisions come back as etcd wrote them; only a hand-made one has leading zeros.
  return text.charCodeAt(0) === 48 ? BigInt(text).toString() : text;
}

/**
 * Parses a revision given by a caller: empty and `"0"` mean "latest".
 *
 * @param text The revision, or undefined.
 * @param path Field path named in the error.
 * @return The revision, or undefined for "latest".
 * @throws ValidationError naming `path` when the text is not a decimal revision.
 */
export function parseRevision(text: string | undefined, path: string): bigint | undefined {
  const canonical = revisionText(text, path);
  return canonical === undefined ? undefined : BigInt(canonical);
}
