/**
 * Fault injection for tests: make the next matching requests fail with a chosen status, reset
 * their connection, delay or hold them; act on open watches (reset mid-stream, in-stream 410,
 * clean end, forced bookmark); expire continue tokens; compact history.
 *
 * ## Example
 * ```ts
 * server.faults.failNext(409, { match: { verb: 'update', resource: 'ippools' } });
 * server.faults.expireWatches({ resource: 'pods' });
 * ```
 *
 * @module
 */
import type { ServerState } from './context.js';
import {
  apiFailure,
  conflict,
  expired,
  failureStatus,
  internalError,
  invalidObject,
  notFound,
  serviceUnavailable,
  tooManyRequests,
  unauthorized,
  type ApiFailure,
  type StatusCause,
} from './status.js';
import type { RequestTarget, Verb } from './types.js';
import type { WatchMatch } from './watch-hub.js';

/** Selects requests. Every given field must match. */
export interface RequestMatch {
  /** Resource verb(s) (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, ...). */
  verb?: Verb | Verb[];
  /** Resource plural. */
  resource?: string;
  /** API group (`''` for core). */
  group?: string;
  namespace?: string;
  name?: string;
  /** Subresource (`status`); `null` matches only main-resource requests. */
  subresource?: string | null;
  /** HTTP method. */
  method?: string;
  /** Path prefix or pattern. */
  path?: string | RegExp;
}

/** Options of {@link Faults.failNext}. */
export interface FailOptions {
  match?: RequestMatch;
  /** How many matching requests fail. @default 1 */
  times?: number;
  /** Status reason (defaults by code: Conflict, Invalid, InternalError, TooManyRequests, ...). */
  reason?: string;
  /** Status message. */
  message?: string;
  /** Causes for 422. */
  causes?: StatusCause[];
  /** `Retry-After` for 429/503. @default 1 */
  retryAfterSeconds?: number;
}

/** A handle on requests held by {@link Faults.pause}. */
export interface PauseHandle {
  /** Lets the held requests (and later matching ones) proceed. */
  resume(): void;
  /** How many requests are being held. */
  waiting(): number;
}

/** Fault injection API. */
export interface Faults {
  /** The next matching request(s) fail with `code` and a real-looking Status. */
  failNext(code: number, options?: FailOptions): void;
  /** The next matching request(s) get their connection destroyed without a response. */
  resetNext(options?: { match?: RequestMatch; times?: number }): void;
  /** The next matching request(s) are answered only after `ms` milliseconds. */
  delayNext(ms: number, options?: { match?: RequestMatch; times?: number }): void;
  /** Holds every matching request until `resume()`. */
  pause(match?: RequestMatch): PauseHandle;
  /** Destroys the connections of open watches (mid-stream reset). Returns how many. */
  dropWatches(match?: WatchMatch): number;
  /** Sends an in-stream `ERROR` 410 Expired to open watches and closes them. Returns how many. */
  expireWatches(match?: WatchMatch, message?: string): number;
  /** Ends open watches cleanly (as the server's request timeout does). Returns how many. */
  endWatches(match?: WatchMatch): number;
  /** Sends a BOOKMARK on open watches that asked for bookmarks. Returns how many. */
  sendBookmarks(match?: WatchMatch): number;
  /** Every continue token issued so far answers 410 Expired from now on. */
  expireContinueTokens(): void;
  /** Compacts history at `rv` (default: now): older reads, watches and tokens get 410. Returns the compacted revision. */
  compact(rv?: number): number;
  /** Removes pending request faults and resumes paused requests. */
  clear(): void;
}

/** What the router knows about a request when it consults the faults. */
export interface RequestFacts {
  method: string;
  path: string;
  target?: RequestTarget;
  verb?: Verb;
}

/** The decision for one request. */
export type FaultAction = { kind: 'fail'; failure: ApiFailure } | { kind: 'reset' } | { kind: 'proceed' };

interface Rule {
  kind: 'fail' | 'reset' | 'delay';
  match: RequestMatch;
  remaining: number;
  code?: number;
  options?: FailOptions;
  ms?: number;
}

interface Pause {
  match: RequestMatch;
  waiters: (() => void)[];
  active: boolean;
}

function matches(m: RequestMatch, f: RequestFacts): boolean {
  const t = f.target;
  if (m.method !== undefined && m.method.toUpperCase() !== f.method) return false;
  if (m.path !== undefined && !(typeof m.path === 'string' ? f.path.startsWith(m.path) : m.path.test(f.path))) return false;
  if (m.verb !== undefined && !(Array.isArray(m.verb) ? m.verb : [m.verb]).includes(f.verb as Verb)) return false;
  if (m.resource !== undefined && t?.resource.plural !== m.resource) return false;
  if (m.group !== undefined && t?.resource.group !== m.group) return false;
  if (m.namespace !== undefined && t?.namespace !== m.namespace) return false;
  if (m.name !== undefined && t?.name !== m.name) return false;
  if (m.subresource !== undefined && (t?.subresource ?? null) !== m.subresource) return false;
  return true;
}

function failureFor(code: number, o: FailOptions, f: RequestFacts): ApiFailure {
  const res = f.target?.resource ?? { plural: 'unknown', group: '' };
  const name = f.target?.name ?? '';
  const custom = (reason: string, message: string) => apiFailure(failureStatus(code, o.reason ?? reason, o.message ?? message));
  switch (code) {
    case 401:
      return o.message ? custom('Unauthorized', o.message) : unauthorized();
    case 404:
      return o.message ? custom('NotFound', o.message) : notFound(res, name);
    case 409:
      return o.message ? custom('Conflict', o.message) : conflict(res, name);
    case 410:
      return expired(o.message ?? 'The resourceVersion for the provided list is too old.');
    case 422: {
      if (o.message) return custom('Invalid', o.message);
      const kind = f.target?.resource.kind ?? 'Unknown';
      const causes = o.causes ?? [{ reason: 'FieldValueInvalid', message: 'Invalid value: "injected": injected fault', field: 'spec' }];
      return invalidObject(
        kind,
        f.target?.resource.group ?? '',
        name,
        causes.map((c) => ({ type: (c.reason ?? 'FieldValueInvalid') as 'FieldValueInvalid', field: c.field ?? '', body: c.message ?? '' })),
      );
    }
    case 429:
      return tooManyRequests(o.retryAfterSeconds ?? 1);
    case 500:
      return o.message ? custom('InternalError', o.message) : internalError('injected fault');
    case 503:
      return o.message ? custom('ServiceUnavailable', o.message) : serviceUnavailable('the server is currently unable to handle the request');
    default:
      return custom(o.reason ?? 'Unknown', o.message ?? `injected fault ${code}`);
  }
}

/**
 * Creates the fault controller.
 *
 * @param state The server state (for watches, store and continue tokens).
 */
export function createFaults(state: ServerState): Faults & {
  /** Consulted by the router for every request; waits for delays and pauses. */
  check(facts: RequestFacts): Promise<FaultAction>;
} {
  let rules: Rule[] = [];
  let pauses: Pause[] = [];

  const take = (kind: Rule['kind'], facts: RequestFacts): Rule | undefined => {
    const rule = rules.find((r) => r.kind === kind && r.remaining > 0 && matches(r.match, facts));
    if (rule) {
      rule.remaining -= 1;
      rules = rules.filter((r) => r.remaining > 0);
    }
    return rule;
  };

  return {
    failNext(code, options = {}) {
      rules.push({ kind: 'fail', match: options.match ?? {}, remaining: options.times ?? 1, code, options });
    },
    resetNext(options = {}) {
      rules.push({ kind: 'reset', match: options.match ?? {}, remaining: options.times ?? 1 });
    },
    delayNext(ms, options = {}) {
      rules.push({ kind: 'delay', match: options.match ?? {}, remaining: options.times ?? 1, ms });
    },
    pause(match = {}) {
      const p: Pause = { match, waiters: [], active: true };
      pauses.push(p);
      return {
        resume() {
          p.active = false;
          pauses = pauses.filter((x) => x !== p);
          for (const w of p.waiters.splice(0)) w();
        },
        waiting: () => p.waiters.length,
      };
    },
    dropWatches(match) {
      const ws = state.hub.select(match);
      ws.forEach((w) => w.reset());
      return ws.length;
    },
    expireWatches(match, message) {
      const ws = state.hub.select(match);
      ws.forEach((w) => w.expire(message));
      return ws.length;
    },
    endWatches(match) {
      const ws = state.hub.select(match);
      ws.forEach((w) => w.end());
      return ws.length;
    },
    sendBookmarks(match) {
      const ws = state.hub.select(match);
      ws.forEach((w) => w.bookmark(true));
      return ws.length;
    },
    expireContinueTokens() {
      // Move the revision on so that lists started from now on get tokens that stay valid.
      state.continueExpiredBelow = state.store.bump(1);
    },
    compact(rv) {
      return state.store.compact(rv);
    },
    clear() {
      rules = [];
      for (const p of pauses.splice(0)) {
        p.active = false;
        for (const w of p.waiters.splice(0)) w();
      }
    },
    async check(facts) {
      for (const p of pauses) {
        if (p.active && matches(p.match, facts)) await new Promise<void>((resolve) => p.waiters.push(resolve));
      }
      const delay = take('delay', facts);
      if (delay?.ms) await new Promise((r) => setTimeout(r, delay.ms));
      if (take('reset', facts)) return { kind: 'reset' };
      const fail = take('fail', facts);
      if (fail) return { kind: 'fail', failure: failureFor(fail.code ?? 500, fail.options ?? {}, facts) };
      return { kind: 'proceed' };
    },
  };
}
