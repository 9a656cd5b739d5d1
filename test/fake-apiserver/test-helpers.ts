/**
 * Helpers for the fake server's own tests: JSON requests with raw `fetch`, and a line reader
 * for watch streams with bounded waits.
 *
 * @module
 */
import type { KubeObject } from './types.js';

/** A decoded response. */
export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * Sends a request and decodes the JSON answer.
 *
 * @param base The server URL.
 * @param method HTTP method.
 * @param path Path and query.
 * @param body JSON body (or a string sent as is).
 * @param contentType Content-Type of the body.
 */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = contentType;
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** One watch frame. */
export interface WatchFrame {
  type: string;
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

/** An open watch stream read line by line. */
export interface WatchReader {
  /** HTTP status of the watch response. */
  status: number;
  /** The next frame, or `'closed'` when the server ended the stream; rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<WatchFrame | 'closed'>;
  /** Frames until `count` were read (rejects on timeout or early close). */
  take(count: number, timeoutMs?: number): Promise<WatchFrame[]>;
  /** Resolves when the stream ends, rejects when the connection breaks. */
  ended(timeoutMs?: number): Promise<'closed'>;
  /** Aborts the request. */
  close(): void;
}

/**
 * Opens a watch with `fetch` and reads it line by line.
 *
 * @param base The server URL.
 * @param path Collection path with `watch=true` and other query parameters.
 */
export async function openWatch(base: string, path: string): Promise<WatchReader> {
  const ctl = new AbortController();
  const res = await fetch(base + path, { signal: ctl.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: (WatchFrame | 'closed' | Error)[] = [];
  let wake: (() => void) | undefined;
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line.trim()) queue.push(JSON.parse(line) as WatchFrame);
        }
        wake?.();
      }
      queue.push('closed');
    } catch (e) {
      queue.push(e instanceof Error ? e : new Error(String(e)));
    }
    wake?.();
  })();
  const next = async (timeoutMs = 2000): Promise<WatchFrame | 'closed'> => {
    const deadline = Date.now() + timeoutMs;
    while (queue.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no watch frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    const item = queue.shift() as WatchFrame | 'closed' | Error;
    if (item instanceof Error) throw item;
    if (item === 'closed') queue.unshift('closed');
    return item;
  };
  return {
    status: res.status,
    next,
    async take(count, timeoutMs = 2000) {
      const out: WatchFrame[] = [];
      while (out.length < count) {
        const f = await next(timeoutMs);
        if (f === 'closed') throw new Error(`watch closed after ${out.length} of ${count} frames`);
        out.push(f);
      }
      return out;
    },
    async ended(timeoutMs = 2000) {
      for (;;) {
        const f = await next(timeoutMs);
        if (f === 'closed') return 'closed';
      }
    },
    close: () => ctl.abort(),
  };
}

/** An IPPool custom resource in the `crd.projectcalico.org/v1` form. */
export function ipPool(name: string, cidr: string, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'crd.projectcalico.org/v1', kind: 'IPPool', metadata: { name }, spec: { cidr, ...extra } };
}

/** Base path of IPPools. */
export const IPPOOLS = '/apis/crd.projectcalico.org/v1/ippools';
