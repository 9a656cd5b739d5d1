/**
 * Builds the client-node `KubeConfig` for a {@link KubernetesDatastoreConfig} the way Calico's
 * `CreateKubernetesClientset` does: an inline kubeconfig as it is; otherwise the kubeconfig
 * file(s) (several joined with `:`, the first to set a value wins), or the in-cluster service
 * account when there is none, with the explicit settings (context, API endpoint, CA, client
 * certificate and key, token, insecure) laid over the current context.
 *
 * The client library is passed in, so this module does not load it.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';
import type * as ClientNodeModule from '@kubernetes/client-node';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import type { KubernetesDatastoreConfig } from '../../config.js';
import { ValidationError, type FieldError } from '../../errors.js';
import { endpointUrlProblem } from '../endpoint-url.js';
import { readTlsMaterial, type TlsSource } from '../tls-material.js';

/** The client-node module (loaded by the caller). */
export type ClientNode = typeof ClientNodeModule;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const PEM = /-----BEGIN /;

/** `*Data` fields must be base64 of the PEM; raw PEM is silently ignored by client-node, so encode it. */
function base64Pem<T extends object>(obj: T, fields: readonly (keyof T)[]): T {
  const out = { ...obj } as Mutable<T>;
  for (const f of fields) {
    const v = out[f];
    if (typeof v === 'string' && PEM.test(v)) (out as Record<keyof T, unknown>)[f] = Buffer.from(v, 'utf8').toString('base64');
  }
  return out;
}

function fail(errors: FieldError[]): never {
  throw new ValidationError(errors, { identifier: { kind: 'CalicoAPIConfig', name: 'datastore configuration' } });
}

interface Pieces {
  clusters: Mutable<Cluster>[];
  users: Mutable<User>[];
  contexts: Mutable<Context>[];
  currentContext: string;
}

/** Loads kubeconfig files, merging them so that the first file to define a name (or the current context) wins. */
function loadFiles(k8s: ClientNode, paths: readonly string[]): Pieces {
  const out: Pieces = { clusters: [], users: [], contexts: [], currentContext: '' };
  const present = paths.filter((p) => existsSync(p));
  if (present.length === 0) fail([{ path: 'kubeconfig', type: 'invalid', message: paths.length === 1 ? 'the kubeconfig file does not exist' : 'none of the kubeconfig files exists' }]);
  for (const path of present) {
    const kc = new k8s.KubeConfig();
    try {
      kc.loadFromFile(path);
    } catch (e) {
      fail([{ path: 'kubeconfig', type: 'invalid', message: `cannot load ${path}: ${(e as Error).message.split('\n')[0] ?? 'invalid kubeconfig'}` }]);
    }
    for (const c of kc.clusters) if (!out.clusters.some((x) => x.name === c.name)) out.clusters.push({ ...c });
    for (const u of kc.users) if (!out.users.some((x) => x.name === u.name)) out.users.push({ ...u });
    for (const c of kc.contexts) if (!out.contexts.some((x) => x.name === c.name)) out.contexts.push({ ...c });
    if (!out.currentContext && kc.currentContext) out.currentContext = kc.currentContext;
  }
  return out;
}

/** The file setting as a TLS source, or undefined when it is not set. */
function fileSource(file: string | undefined, setting: string): TlsSource | undefined {
  return file === undefined ? undefined : { setting, file };
}

/**
 * Builds and checks the `KubeConfig`. The CA, certificate and key files are read and checked here
 * (client-node would only fail at the first request); nothing is sent to the server.
 *
 * ## Example
 * ```ts
 * const k8s = await import('@kubernetes/client-node');
 * const kc = buildKubeConfig(k8s, { datastoreType: 'kubernetes', k8sAPIEndpoint: 'https://10.0.0.1:6443', k8sAPIToken: token, k8sCAFile: '/etc/ca.pem' });
 * ```
 * @param k8s The client-node module.
 * @param config The datastore configuration.
 * @param env Environment (for the in-cluster service: `KUBERNETES_SERVICE_HOST` / `_PORT`).
 * @return A `KubeConfig` with a current context, cluster and user.
 * @throws ValidationError naming the setting at fault (never its value).
 */
export function buildKubeConfig(k8s: ClientNode, config: KubernetesDatastoreConfig, env: Readonly<Record<string, string | undefined>> = process.env): KubeConfig {
  const kc = new k8s.KubeConfig();
  if (config.kubeconfigInline) {
    try {
      kc.loadFromString(config.kubeconfigInline);
    } catch (e) {
      fail([{ path: 'kubeconfigInline', type: 'invalid', message: `not a valid kubeconfig: ${(e as Error).message.split('\n')[0] ?? ''}` }]);
    }
    return finish(kc, 'kubeconfigInline');
  }
  // client-node reads these files only at the first request, and fails there with OpenSSL's words.
  const { errors } = readTlsMaterial({
    ca: fileSource(config.k8sCAFile, 'k8sCAFile'),
    cert: fileSource(config.k8sCertFile, 'k8sCertFile'),
    key: fileSource(config.k8sKeyFile, 'k8sKeyFile'),
  });
  if ((config.k8sCertFile === undefined) !== (config.k8sKeyFile === undefined)) {
    errors.push({ path: config.k8sCertFile === undefined ? 'k8sCertFile' : 'k8sKeyFile', type: 'required', message: 'a client certificate and its key must be given together' });
  }
  if (errors.length > 0) fail(errors);

  const paths = [...new Set((config.kubeconfig ?? '').split(delimiter).filter((p) => p !== ''))];
  let pieces: Pieces;
  if (paths.length > 0) pieces = loadFiles(k8s, paths);
  else if (!config.k8sAPIEndpoint && env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) {
    const inCluster = new k8s.KubeConfig();
    inCluster.loadFromCluster();
    pieces = { clusters: inCluster.clusters.map((c) => ({ ...c })), users: inCluster.users.map((u) => ({ ...u })), contexts: inCluster.contexts.map((c) => ({ ...c })), currentContext: inCluster.currentContext };
  } else pieces = { clusters: [], users: [], contexts: [], currentContext: '' };

  if (config.k8sCurrentContext) {
    if (!pieces.contexts.some((c) => c.name === config.k8sCurrentContext)) fail([{ path: 'k8sCurrentContext', type: 'invalid', message: 'no context of that name in the kubeconfig' }]);
    pieces.currentContext = config.k8sCurrentContext;
  }
  let context = pieces.contexts.find((c) => c.name === pieces.currentContext);
  if (!context) {
    context = { name: 'calico', cluster: 'calico', user: 'calico' };
    pieces.contexts.push(context);
    pieces.currentContext = 'calico';
  }
  let cluster = pieces.clusters.find((c) => c.name === context.cluster);
  if (!cluster) {
    cluster = { name: context.cluster || 'calico', server: '', skipTLSVerify: false };
    pieces.clusters.push(cluster);
  }
  if (!context.user) context.user = 'calico';
  let user = pieces.users.find((u) => u.name === context.user);
  if (!user) {
    user = { name: context.user };
    pieces.users.push(user);
  }
  if (config.k8sAPIEndpoint) cluster.server = config.k8sAPIEndpoint.replace(/\/+$/, '');
  if (config.k8sCAFile) {
    cluster.caFile = config.k8sCAFile;
    delete cluster.caData;
  }
  if (config.k8sInsecureSkipTLSVerify) cluster.skipTLSVerify = true;
  if (config.k8sCertFile && config.k8sKeyFile) {
    user.certFile = config.k8sCertFile;
    user.keyFile = config.k8sKeyFile;
    delete user.certData;
    delete user.keyData;
  }
  if (config.k8sAPIToken) user.token = config.k8sAPIToken.trim();
  kc.loadFromOptions(pieces);
  return finish(kc, config.k8sAPIEndpoint ? 'k8sAPIEndpoint' : 'kubeconfig');
}

/** Checks the current cluster and applies client-node's conventions (plain HTTP, base64 PEM, a user object). */
function finish(kc: KubeConfig, field: string): KubeConfig {
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) {
    fail([{ path: field, type: 'required', message: 'no Kubernetes API server is configured: set kubeconfig or k8sAPIEndpoint, or run inside a cluster' }]);
  }
  const problem = endpointUrlProblem(cluster.server);
  if (problem !== undefined) fail([{ path: field, type: 'invalid', message: `the API server address ${problem}` }]);
  const plainHttp = cluster.server.startsWith('http://');
  const clusters = kc.clusters.map((c) => base64Pem(c.name === cluster.name && plainHttp ? { ...c, skipTLSVerify: true } : c, ['caData']));
  const users = kc.users.map((u) => base64Pem(u, ['certData', 'keyData']));
  const contexts = kc.contexts.map((c) => ({ ...c, user: c.user || 'calico' }));
  // client-node applies the CA, client certificate and headers only when the context has a user.
  const currentUser = contexts.find((c) => c.name === kc.currentContext)?.user;
  if (currentUser && !users.some((u) => u.name === currentUser)) users.push({ name: currentUser });
  kc.loadFromOptions({ clusters, users, contexts, currentContext: kc.currentContext });
  return kc;
}
