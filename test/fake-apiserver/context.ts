/**
 * The server-wide state the handlers share, and the per-request context the router builds.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from './auth.js';
import type { NamespaceController } from './namespace-lifecycle.js';
import type { PodTerminations } from './pod-termination.js';
import type { ResourceRegistry } from './resources.js';
import type { ObjectStore } from './store.js';
import type { RequestTarget, Verb } from './types.js';
import type { WatchHub } from './watch-hub.js';

/** What `/version` answers. */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** Behaviour switches, resolved from the public options. */
export interface ServerSettings {
  /** Namespaced writes need an existing Namespace (the NamespaceLifecycle admission plugin). */
  enforceNamespaces: boolean;
  /** Period of BOOKMARK frames on watches that asked for them. */
  bookmarkIntervalMs: number;
  /** How long a read waits for a resourceVersion the server has not reached before a 504. */
  tooLargeResourceVersionWaitMs: number;
  /** Page lists with `resourceVersion=0` too (the watch-cache path ignores `limit` otherwise). */
  honourLimitForResourceVersion0: boolean;
  /** Maintain `metadata.managedFields`. */
  managedFields: boolean;
  /** Scheduled Pods are deleted gracefully (deletionTimestamp first) unless `gracePeriodSeconds=0`. */
  gracefulPodDeletion: boolean;
  /** The server's clock in milliseconds. */
  now: () => number;
  /** Create a `default` ServiceAccount in every new Namespace (the ServiceAccount controller). */
  defaultServiceAccounts: boolean;
  /** The `/version` document. */
  version: VersionInfo;
}

/** Server-wide state. */
export interface ServerState {
  store: ObjectStore;
  registry: ResourceRegistry;
  hub: WatchHub;
  settings: ServerSettings;
  /** Set on the view a `dryRun=All` write gets (see `dry-run.ts`): effects beyond the store must be skipped. */
  dryRun?: true;
  /** Continue tokens of revisions below this are expired (fault injection). */
  continueExpiredBelow: number;
  /** Next watch serial number. */
  nextWatchId: number;
  /** `host:port` of the listener, for discovery. */
  address(): string;
  /** Pods waiting for their (emulated) kubelet to finish terminating them. */
  terminations: PodTerminations;
  /** Removes terminating Namespaces once their content is gone. */
  namespaces: NamespaceController;
}

/** One request as the handlers see it. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  target?: RequestTarget;
  verb?: Verb;
  user?: UserInfo;
  /** Warnings to send as `Warning: 299 - "..."` headers. */
  warnings: string[];
  /** The request body, read by the router for writes. */
  body?: Buffer;
}

/** `Warning` header values for a response. */
export function warningHeaders(ctx: RequestContext): Record<string, string[]> {
  if (!ctx.warnings.length) return {};
  return { Warning: ctx.warnings.map((w) => `299 - ${JSON.stringify(w)}`) };
}
