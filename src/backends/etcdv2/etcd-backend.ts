/**
 * `createEtcdBackend`: the {@link Backend} over etcd's v3 API in Calico's v3 key layout.
 *
 * @module
 */
import type { Etcd3 } from 'etcd3';
import type { Backend, BackendCapabilities } from '../backend.js';
import { UnavailableError, isUnauthorized, type ParseError } from '../../errors.js';
import { retrying } from './call.js';
import { resolveEtcdConfig, type EtcdBackendConfig } from './config.js';
import type { EtcdContext, OpenWatch } from './context.js';
import { createCallDeadlines } from './call-deadlines.js';
import { detectNamingMode, ensureInitialized, warnIfNoV3Data } from './init.js';
import { listResources } from './list.js';
import type { NamingMode } from '../policy-storage-names.js';
import { getResource } from './reads.js';
import { watchResources } from './watch.js';
import { createResource, deleteResource, updateResource, updateStatusResource } from './writes.js';

/** What the etcd backend supports: everything, except bookmarks. */
export const ETCD_CAPABILITIES: BackendCapabilities = Object.freeze({
  name: 'etcdv3',
  previousOnModified: true,
  exactRevisionReads: true,
  nodeLifecycle: true,
  workloadEndpointWrites: true,
  bookmarks: false,
  atomicCreateGuards: true,
});

function defaultParseErrorReport(error: ParseError): void {
  process.emitWarning(`skipped an etcd entry that does not decode: ${error.message}`, { code: 'CALICO_PARSE_ERROR' });
}

/**
 * Connects to etcd and returns the backend.
 *
 * Loads `etcd3` (and gRPC) only now, reads TLS files, and waits up to `dialTimeoutMs` for a first
 * answer, so a wrong endpoint, TLS setting or password is reported here (naming the endpoints
 * and which settings were used, never secrets). The backend speaks etcd's v3 API; `etcdv2` and
 * `etcdv3` configurations both select it.
 *
 * ## Example
 * ```ts
 * const backend = await createEtcdBackend({ endpoints: ['http://127.0.0.1:2379'] });
 * const pool = await backend.create({
 *   key: { kind: 'IPPool', name: 'pool-a' },
 *   value: { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'pool-a' }, spec: { cidr: '10.10.0.0/16' } },
 * });
 * console.log(pool.revision); // the key's mod_revision, e.g. "8134"
 * await backend.close();
 * ```
 * @param config Endpoints, credentials, TLS material and tuning.
 * @return The connected backend.
 * @throws ValidationError for bad settings, UnauthorizedError for rejected credentials,
 *   UnavailableError when no member answers in time.
 */
export async function createEtcdBackend(config: EtcdBackendConfig): Promise<Backend> {
  const { resolved, options } = await resolveEtcdConfig(config);
  const { Etcd3: Client } = await import('etcd3');
  const client: Etcd3 = new Client(options);
  const deadlines = createCallDeadlines(resolved.callTimeoutMs);
  let closed = false;
  let naming: Promise<NamingMode> | undefined;
  const watches = new Set<OpenWatch>();
  const ctx: EtcdContext = {
    client,
    config: resolved,
    timing: { retryWindowMs: resolved.retryWindowMs, connection: resolved.describe, closed: () => closed, deadlines },
    namingMode() {
      naming ??= detectNamingMode(ctx);
      naming.catch(() => {
        naming = undefined;
      });
      return naming;
    },
    reportParseError: resolved.onParseError ?? defaultParseErrorReport,
    watches,
  };

  // First contact: retry transient failures for up to dialTimeoutMs.
  try {
    await retrying({ ...ctx.timing, retryWindowMs: resolved.dialTimeoutMs }, { operation: 'Connect' }, () =>
      client.kv.range({ key: Buffer.from('/calico/resources/v3/projectcalico.org/clusterinformations/default'), keys_only: true }),
    );
  } catch (e) {
    // A user without read access to that key is still a working connection.
    if (!(isUnauthorized(e) && /permission denied/i.test(String((e as Error).cause)))) {
      deadlines.close();
      client.close();
      throw e;
    }
  }
  if (resolved.datastoreType === 'etcdv2') await warnIfNoV3Data(ctx);

  const closedError = (): Promise<never> => Promise.reject(new UnavailableError('the etcd backend is closed'));
  // Plain functions (not async wrappers): one promise layer less on every call.
  return {
    capabilities: ETCD_CAPABILITIES,
    create: (kv, options) => (closed ? closedError() : createResource(ctx, kv, options)),
    update: (kv) => (closed ? closedError() : updateResource(ctx, kv)),
    updateStatus: (kv) => (closed ? closedError() : updateStatusResource(ctx, kv)),
    delete: (key, preconditions) => (closed ? closedError() : deleteResource(ctx, key, preconditions)),
    get: (key, opts) => (closed ? closedError() : getResource(ctx, key, opts)),
    list: (request) => (closed ? closedError() : listResources(ctx, request)),
    watch(request) {
      return watchResources(ctx, request);
    },
    ensureInitialized: () => (closed ? closedError() : ensureInitialized(ctx)),
    async close() {
      if (closed) return;
      closed = true;
      // Live etcd3 watchers keep the process alive after client.close(): end them first.
      await Promise.all([...watches].map((w) => w.stop()));
      deadlines.close();
      client.close();
    },
  };
}
