/**
 * The etcd datastore (etcd v3 API, Calico v3 key layout). The folder keeps Calico's historical
 * name `etcdv2`; `DATASTORE_TYPE` `etcdv2` and `etcdv3` both select this backend.
 *
 * Importing this module does not load `etcd3` or gRPC: that happens inside
 * {@link createEtcdBackend}.
 *
 * @module
 */
/** The factory and the capabilities it declares. */
export { createEtcdBackend, ETCD_CAPABILITIES } from './etcd-backend.js';
/** Settings of the factory. */
export type { EtcdBackendConfig, PolicyNaming } from './config.js';
/** Calico's key layout: the v3 prefix and the key of one resource. */
export { RESOURCE_PREFIX, etcdKey } from './keys.js';
/** The annotation in which Calico records a policy's v3 name. */
export { POLICY_METADATA_ANNOTATION } from '../policy-storage-names.js';
