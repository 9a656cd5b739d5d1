/**
 * The etcd datastore (etcd v3 API, Calico v3 key layout). The folder keeps Calico's historical
 * name `etcdv2`; `DATASTORE_TYPE` `etcdv2` and `etcdv3` both select this backend.
 *
 * Importing this module does not load `etcd3` or gRPC: that happens inside
 * {@link createEtcdBackend}.
 *
 * @module
 */
export { createEtcdBackend, ETCD_CAPABILITIES } from './etcd-backend.js';
export type { EtcdBackendConfig, PolicyNaming } from './config.js';
export { RESOURCE_PREFIX, etcdKey } from './keys.js';
export { POLICY_METADATA_ANNOTATION } from './policy-names.js';
