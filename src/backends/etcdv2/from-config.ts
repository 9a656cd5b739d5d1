/**
 * Bridge from the client's validated datastore configuration ({@link EtcdDatastoreConfig}, read
 * from `ETCD_*` variables or a CalicoAPIConfig file) to {@link createEtcdBackend}.
 *
 * @module
 */
import type { EtcdDatastoreConfig } from '../../config.js';
import type { Backend } from '../backend.js';
import type { EtcdBackendConfig } from './config.js';
import { createEtcdBackend } from './etcd-backend.js';

/**
 * Maps the client's etcd settings onto {@link EtcdBackendConfig}. Username and password are used
 * only when both are non-empty, as in Calico.
 *
 * @param config The validated datastore configuration.
 * @return The backend settings.
 */
export function etcdBackendConfigFrom(config: EtcdDatastoreConfig): EtcdBackendConfig {
  const out: EtcdBackendConfig = { endpoints: [...config.etcdEndpoints], datastoreType: config.requestedType ?? 'etcdv3' };
  if (config.etcdUsername && config.etcdPassword) {
    out.username = config.etcdUsername;
    out.password = config.etcdPassword;
  }
  if (config.etcdCACertFile !== undefined) out.caCertFile = config.etcdCACertFile;
  if (config.etcdCertFile !== undefined) out.certFile = config.etcdCertFile;
  if (config.etcdKeyFile !== undefined) out.keyFile = config.etcdKeyFile;
  if (config.etcdCACert !== undefined) out.caCert = config.etcdCACert;
  if (config.etcdCert !== undefined) out.cert = config.etcdCert;
  if (config.etcdKey !== undefined) out.key = config.etcdKey;
  return out;
}

/**
 * Creates the etcd backend from the client's datastore configuration.
 *
 * @param config The validated datastore configuration.
 * @return The connected backend.
 */
export function createEtcdBackendFromConfig(config: EtcdDatastoreConfig): Promise<Backend> {
  return createEtcdBackend(etcdBackendConfigFrom(config));
}
