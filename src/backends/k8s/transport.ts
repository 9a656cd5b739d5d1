/**
 * HTTP to the Kubernetes API server through `@kubernetes/client-node`: its `KubeConfig` supplies
 * the server, TLS material and credentials (exec and token-file providers included), its HTTP
 * library sends unary requests, and its `Watch` opens watch streams. Answers are kept as plain
 * JSON: nothing is turned into client-node's model classes (whose timestamps are `Date`s and whose
 * deserialisation costs more than the conversion itself).
 *
 * @module
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClientNode } from './kubeconfig.js';
import { errorFromTransport, type ErrorContext } from './errors.js';
import type { KubeStatus } from './kube-types.js';
import { isRecord } from '../../model/plain-object.js';

/** A request to the API server. */
export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the server URL, for example `/api/v1/nodes/node-1`. */
  path: string;
  /** Query parameters; undefined values are left out. */
  query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** JSON body. */
  body?: unknown;
  /**
   * Content type of the body.
   * @default 'application/json'
   */
  contentType?: string;
}

/** The answer: the parsed JSON of a 2xx, or the code and `Status` of an error answer. */
export type KubeResponse<T> = { ok: true; code: number; body: T } | { ok: false; code: number; status: KubeStatus };

/** Callbacks of one watch stream (see client-node's `Watch`). */
export interface WatchHandlers {
  /** One frame: `type` and its object. Must not throw. */
  onEvent(type: string, object: unknown): void;
  /** The stream ended: `null` for a clean end, else the failure (HTTP errors carry `statusCode`). */
  onDone(error: unknown): void;
}

/** Sends requests and opens watches. */
export interface Transport {
  /** Base URL of the API server, for messages. */
  readonly server: string;
  /**
   * Sends one request.
   *
   * @return The answer; transport failures reject with an UnavailableError (via `ctx`).
   */
  request<T>(req: KubeRequest, ctx: ErrorContext): Promise<KubeResponse<T>>;
  /**
   * Opens a watch stream (`watch=true` is added).
   *
   * @return A function that aborts the stream; `onDone` is not called after it.
   */
  watch(path: string, query: Readonly<Record<string, string | number | boolean | undefined>>, handlers: WatchHandlers): Promise<() => void>;
}

/** Options of {@link createTransport}. */
export interface TransportOptions {
  /**
   * Per-request timeout in milliseconds (not applied to watches); 0 for none.
   * @default 60000
   */
  requestTimeoutMs?: number;
  /**
   * Client-side rate limit in requests per second (Calico's `k8sClientQPS`); 0 for none.
   * @default 0
   */
  qps?: number;
  /**
   * Burst of the rate limit (Calico's `k8sClientBurst`).
   * @default 100
   */
  burst?: number;
}

/**
 * A token bucket (client-go's rate limiter): `burst` requests may go at once, then `qps` per
 * second. The returned function resolves when the next request may go; callers are served in
 * order.
 *
 * @param qps Requests per second.
 * @param burst Bucket size.
 * @return The function to await before each request.
 */
export function createRateLimiter(qps: number, burst: number): () => Promise<void> {
  let tokens = burst;
  let last = Date.now();
  let queue: Promise<void> = Promise.resolve();
  const take = async (): Promise<void> => {
    const now = Date.now();
    tokens = Math.min(burst, tokens + ((now - last) / 1000) * qps);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return;
    }
    const waitMs = ((1 - tokens) / qps) * 1000;
    await new Promise((r) => setTimeout(r, waitMs));
    tokens = 0;
    last = Date.now();
  };
  return () => {
    queue = queue.then(take);
    return queue;
  };
}

function parseStatus(text: string): KubeStatus {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? (parsed as KubeStatus) : {};
  } catch {
    return {};
  }
}

/**
 * Creates the transport for a `KubeConfig`.
 *
 * @param k8s The client-node module.
 * @param kc The configuration (with a current cluster).
 * @param options See {@link TransportOptions}.
 * @return The transport.
 */
export function createTransport(k8s: ClientNode, kc: KubeConfig, options: TransportOptions = {}): Transport {
  const server = (kc.getCurrentCluster()?.server ?? '').replace(/\/+$/, '');
  const origin = (() => {
    try {
      return new URL(server).origin;
    } catch {
      return server;
    }
  })();
  const http = new k8s.IsomorphicFetchHttpLibrary();
  const timeoutMs = options.requestTimeoutMs ?? 60_000;
  const limit = options.qps && options.qps > 0 ? createRateLimiter(options.qps, Math.max(1, options.burst ?? 100)) : undefined;

  return {
    server: origin,
    async request<T>(req: KubeRequest, ctx: ErrorContext): Promise<KubeResponse<T>> {
      const errorCtx = { ...ctx, server: origin };
      let code: number;
      let text: string;
      try {
        const rc = new k8s.RequestContext(`${server}${req.path}`, req.method as never);
        for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) rc.setQueryParam(k, String(v));
        rc.setHeaderParam('Accept', 'application/json');
        if (req.body !== undefined) {
          rc.setHeaderParam('Content-Type', req.contentType ?? 'application/json');
          rc.setBody(JSON.stringify(req.body));
        }
        if (timeoutMs > 0) rc.setSignal(AbortSignal.timeout(timeoutMs));
        await kc.applySecurityAuthentication(rc);
        if (limit) await limit();
        const res = await http.send(rc).toPromise();
        code = res.httpStatusCode;
        text = await res.body.text();
      } catch (e) {
        throw errorFromTransport(e, errorCtx);
      }
      if (code >= 200 && code < 300) {
        if (text === '') return { ok: true, code, body: undefined as T };
        try {
          return { ok: true, code, body: JSON.parse(text) as T };
        } catch {
          throw errorFromTransport(new Error('the answer is not JSON'), { ...errorCtx, operation: `${ctx.operation} (reading the answer)` });
        }
      }
      return { ok: false, code, status: parseStatus(text) };
    },
    async watch(path, query, handlers) {
      let aborted = false;
      let controller: AbortController | undefined;
      const watcher = new k8s.Watch(kc);
      if (limit) await limit();
      controller = await watcher.watch(
        path,
        query,
        (type: string, object: unknown) => {
          if (!aborted) handlers.onEvent(type, object);
        },
        (err: unknown) => {
          if (!aborted) handlers.onDone(err ?? null);
        },
      );
      return () => {
        aborted = true;
        controller?.abort();
        controller = undefined;
      };
    },
  };
}
