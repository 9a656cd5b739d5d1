/**
 * Bridge from the client's validated datastore configuration ({@link EtcdDatastoreConfig}, read
 * from `ETCD_*` variables or a CalicoAPIConfig file) to {@link createEtcdBackend}.
 *
 * @module
 */
import type { EtcdDatastoreConfig } from '../../config.js';
import { ValidationError, isValidationError } from '../../errors.js';
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
 * Creates the etcd backend from the client's datastore configuration. Configuration errors name
 * the datastore's settings (`etcdKeyFile`, `etcdEndpoints[0]`).
 *
 * @param config The validated datastore configuration.
 * @return The connected backend.
 */
export async function createEtcdBackendFromConfig(config: EtcdDatastoreConfig): Promise<Backend> {
  try {
    return await createEtcdBackend(etcdBackendConfigFrom(config));
  } catch (e) {
    // The backend names its own settings (keyFile); the caller gave the datastore's (etcdKeyFile).
    if (!isValidationError(e) || e.identifier?.kind !== 'Datastore') throw e;
    const errors = e.errors.map((f) => ({ ...f, path: f.path.replace(/^[a-zA-Z]+/, (field) => DATASTORE_SETTING[field] ?? field) }));
    throw new ValidationError(errors, { identifier: { kind: 'CalicoAPIConfig', name: 'datastore configuration' }, cause: e });
  }
}

/** The {@link EtcdDatastoreConfig} setting behind each {@link EtcdBackendConfig} setting. */
const DATASTORE_SETTING: Readonly<Record<string, string>> = {
  endpoints: 'etcdEndpoints',
  username: 'etcdUsername',
  password: 'etcdPassword',
  caCertFile: 'etcdCACertFile',
  certFile: 'etcdCertFile',
  keyFile: 'etcdKeyFile',
  caCert: 'etcdCACert',
  cert: 'etcdCert',
  key: 'etcdKey',
};
