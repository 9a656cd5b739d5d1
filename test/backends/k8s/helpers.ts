/**
 * Test helpers for the Kubernetes backend: a fake API server with the conformance namespaces,
 * a backend connected to it, and objects in Kubernetes' own shapes.
 */
import type { Backend } from '../../../src/backends/backend.js';
import { createKubernetesBackend, type KubernetesBackendOptions } from '../../../src/backends/k8s/index.js';
import type { ParseError } from '../../../src/errors.js';
import { startFakeApiServer, type FakeApiServer, type FakeApiServerOptions } from '../../fake-apiserver/index.js';
import type { KubeObject } from '../../fake-apiserver/types.js';

/** A fake API server and what the backend under test reported. */
export interface Harness {
  server: FakeApiServer;
  warnings: string[];
  parseErrors: ParseError[];
  /** A backend on this server (closed by `close()`). */
  backend(options?: KubernetesBackendOptions): Promise<Backend>;
  /** Closes every backend made here, then the server. */
  close(): Promise<void>;
}

/**
 * Starts a fake API server with the given namespaces.
 *
 * @param namespaces Namespaces to create.
 * @param options Fake server options.
 * @return The harness.
 */
export async function startHarness(namespaces: readonly string[] = [], options: FakeApiServerOptions = {}): Promise<Harness> {
  const server = await startFakeApiServer(options);
  for (const name of namespaces) server.store.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const warnings: string[] = [];
  const parseErrors: ParseError[] = [];
  const backends: Backend[] = [];
  return {
    server,
    warnings,
    parseErrors,
    async backend(extra = {}) {
      const b = await createKubernetesBackend(
        { datastoreType: 'kubernetes', k8sAPIEndpoint: server.url },
        { onWarning: (m) => warnings.push(m), onParseError: (e) => parseErrors.push(e), watchReconnectDelayMs: 20, ...extra },
      );
      backends.push(b);
      return b;
    },
    async close() {
      await Promise.all(backends.map((b) => b.close()));
      await server.close();
    },
  };
}

/** A scheduled Pod with one IP. */
export function kubePod(namespace: string, name: string, node: string, ip: string, extra: { labels?: Record<string, string>; annotations?: Record<string, string>; serviceAccountName?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, ...(extra.labels ? { labels: extra.labels } : {}), ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: { nodeName: node, serviceAccountName: extra.serviceAccountName ?? 'default', containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
  };
}

/** A Kubernetes Node. */
export function kubeNodeObject(name: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels, annotations },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
    status: { addresses: [{ type: 'InternalIP', address: '192.168.0.10' }] },
  };
}

/** A rule of {@link startProxy}: answer a request itself (code and JSON body), or undefined to forward it. */
export type ProxyRule = (method: string, url: URL) => { code: number; body: unknown } | undefined;

/** An HTTP proxy in front of the fake server that can answer some requests itself. */
export interface Proxy {
  url: string;
  /** Requests answered by the rule so far. */
  answered: string[];
  close(): Promise<void>;
}

/**
 * Starts an HTTP proxy on 127.0.0.1 that forwards to `target` unless `rule` answers a request,
 * to inject faults at the network (an expired continue token on the second page of a list, a
 * status on a watch request, ...).
 *
 * @param target Base URL of the fake server.
 * @param rule Decides which requests to answer.
 * @return The proxy.
 */
export async function startProxy(target: string, rule: ProxyRule): Promise<Proxy> {
  const { createServer, request } = await import('node:http');
  const answered: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', target);
    const own = rule(req.method ?? 'GET', url);
    if (own) {
      answered.push(`${req.method ?? ''} ${url.pathname}${url.search}`);
      req.resume();
      res.writeHead(own.code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(own.body));
      return;
    }
    const upstream = request(url, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    answered,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A `Status` body as the API server writes it. */
export function statusBody(code: number, reason: string, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}
