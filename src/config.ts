/**
 * Datastore configuration: an explicit object, a CalicoAPIConfig file, or the environment, read the
 * way calicoctl reads them (cli.md §2), and validated into one discriminated union.
 *
 * Precedence for the library: explicit object > config file given by path > the default config file
 * (`/etc/calico/calicoctl.cfg`, only if it exists) > environment. When a file is used it is the only
 * source: the environment is not consulted, as in calicoctl.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { ValidationError, type FieldError } from './errors.js';
import { endpointUrlProblem } from './backends/endpoint-url.js';
import { readTlsMaterial, type TlsSource, type TlsSources } from './backends/tls-material.js';

/** The YAML parser, loaded by the first configuration file read: importing the library does not load it. */
let yaml: typeof Yaml | undefined;

function parseYaml(text: string): unknown {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yaml.parse(text);
}

/** The in-memory datastore: a fresh empty store per client. */
export interface MemoryDatastoreConfig {
  datastoreType: 'memory';
}

/** etcd through its v3 API (`etcdv2` is accepted as a historical name for the same backend). */
export interface EtcdDatastoreConfig {
  datastoreType: 'etcdv3';
  /** The name the configuration used (`etcdv2` or `etcdv3`). */
  requestedType?: 'etcdv2' | 'etcdv3';
  /** Client URLs, for example `https://10.0.0.1:2379`. */
  etcdEndpoints: string[];
  /** Username for etcd authentication (with `etcdPassword`). */
  etcdUsername?: string;
  /** Password for etcd authentication. Never printed. */
  etcdPassword?: string;
  /** Client key file (PEM). */
  etcdKeyFile?: string;
  /** Client certificate file (PEM). */
  etcdCertFile?: string;
  /** CA bundle file (PEM). */
  etcdCACertFile?: string;
  /** Inline client key (PEM); exclusive with `etcdKeyFile`. */
  etcdKey?: string;
  /** Inline client certificate (PEM); exclusive with `etcdCertFile`. */
  etcdCert?: string;
  /** Inline CA bundle (PEM); exclusive with `etcdCACertFile`. */
  etcdCACert?: string;
}

/** Kubernetes (Calico's "KDD" mode). */
export interface KubernetesDatastoreConfig {
  datastoreType: 'kubernetes';
  /** Kubeconfig path(s), joined with `:` (first wins on merge). */
  kubeconfig?: string;
  /** Kubeconfig content; overrides `kubeconfig`. */
  kubeconfigInline?: string;
  /** API server URL; overrides the kubeconfig's cluster server. */
  k8sAPIEndpoint?: string;
  /** Client certificate file. */
  k8sCertFile?: string;
  /** Client key file. */
  k8sKeyFile?: string;
  /** CA bundle file. */
  k8sCAFile?: string;
  /** Bearer token. Never printed. */
  k8sAPIToken?: string;
  /** Skip TLS verification of the API server. */
  k8sInsecureSkipTLSVerify?: boolean;
  /** Kubeconfig context to use. */
  k8sCurrentContext?: string;
  /** Client-side request rate limit. */
  k8sClientQPS?: number;
  /** Client-side burst limit. */
  k8sClientBurst?: number;
  /** `projectcalico.org/v3` forces v3 CRDs. */
  calicoAPIGroup?: string;
  /** Host-local IPAM mode (node tunnel addresses come from the pod CIDR). */
  usePodCIDR?: boolean;
}

/** Every datastore configuration, discriminated by `datastoreType`. */
export type DatastoreConfig = MemoryDatastoreConfig | EtcdDatastoreConfig | KubernetesDatastoreConfig;

/** Where {@link loadDatastoreConfig} looks. */
export interface LoadConfigOptions {
  /** A CalicoAPIConfig file to read; an error if it does not exist. */
  configFile?: string;
  /**
   * Environment to read when no file is used.
   * @default process.env
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The file read when it exists and no `configFile` is given.
   * @default '/etc/calico/calicoctl.cfg'
   */
  defaultConfigFile?: string;
}

/** Default path of calicoctl's configuration file. */
export const DEFAULT_CONFIG_FILE = '/etc/calico/calicoctl.cfg';

/** Settings as they appear in a CalicoAPIConfig `spec`, and their environment variable names. */
const SETTINGS: ReadonlyArray<readonly [field: string, env: readonly string[]]> = [
  ['datastoreType', ['DATASTORE_TYPE']],
  ['etcdEndpoints', ['ETCD_ENDPOINTS']],
  ['etcdDiscoverySrv', ['ETCD_DISCOVERY_SRV']],
  ['etcdUsername', ['ETCD_USERNAME']],
  ['etcdPassword', ['ETCD_PASSWORD']],
  ['etcdKeyFile', ['ETCD_KEY_FILE']],
  ['etcdCertFile', ['ETCD_CERT_FILE']],
  ['etcdCACertFile', ['ETCD_CA_CERT_FILE']],
  ['etcdKey', []],
  ['etcdCert', []],
  ['etcdCACert', []],
  ['kubeconfig', ['KUBECONFIG']],
  ['kubeconfigInline', []],
  ['k8sAPIEndpoint', ['K8S_API_ENDPOINT']],
  ['k8sCertFile', ['K8S_CERT_FILE']],
  ['k8sKeyFile', ['K8S_KEY_FILE']],
  ['k8sCAFile', ['K8S_CA_FILE']],
  ['k8sAPIToken', ['K8S_TOKEN', 'K8S_API_TOKEN']],
  ['k8sInsecureSkipTLSVerify', ['K8S_INSECURE_SKIP_TLS_VERIFY']],
  ['k8sCurrentContext', ['K8S_CURRENT_CONTEXT']],
  ['k8sClientQPS', ['K8S_CLIENT_QPS']],
  ['k8sClientBurst', ['K8S_CLIENT_BURST']],
  ['calicoAPIGroup', ['CALICO_API_GROUP']],
  ['usePodCIDR', ['USE_POD_CIDR']],
  // Calico 2.x file fields, accepted for old files only.
  ['etcdScheme', []],
  ['etcdAuthority', []],
];
const KNOWN_FIELDS = new Set(SETTINGS.map(([f]) => f));

type RawSettings = Record<string, unknown>;

/**
 * Reads the settings from environment variables (`CALICO_<NAME>` first, then `<NAME>`).
 *
 * @param env The environment.
 * @return Raw settings keyed by CalicoAPIConfig field name.
 */
function settingsFromEnv(env: Readonly<Record<string, string | undefined>>): { raw: RawSettings; name: SettingName } {
  const raw: RawSettings = {};
  const read = new Map<string, string>();
  for (const [field, names] of SETTINGS) {
    for (const name of names) {
      const variable = env[`CALICO_${name}`] !== undefined ? `CALICO_${name}` : name;
      const value = env[variable];
      if (value !== undefined && value !== '') {
        raw[field] = value;
        read.set(field, variable);
        break;
      }
    }
  }
  // Messages name the variable that was read (or the one to set).
  return { raw, name: (field) => read.get(field) ?? SETTINGS.find(([f]) => f === field)?.[1][0] ?? field };
}

function fail(errors: FieldError[]): never {
  throw new ValidationError(errors, { identifier: { kind: 'CalicoAPIConfig', name: 'datastore configuration' } });
}

/**
 * Parses the text of a CalicoAPIConfig file (YAML or JSON, strict: unknown fields are errors).
 * Accepts Calico 2.x files (`apiVersion: v1`, `kind: calicoApiConfig`).
 *
 * @param text File content.
 * @param source File name, used in error messages.
 * @return The validated configuration.
 */
export function parseCalicoAPIConfig(text: string, source = 'config file'): DatastoreConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    fail([{ path: '', type: 'invalid', message: `syntax error in ${source}: failed to parse config as YAML/JSON: ${(e as Error).message.split('\n')[0]}` }]);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    fail([{ path: '', type: 'invalid', message: `invalid config file ${source}: expected a CalicoAPIConfig object` }]);
  }
  const d = doc as Record<string, unknown>;
  const legacy = d.apiVersion === 'v1';
  const errors: FieldError[] = [];
  if (!legacy && d.apiVersion !== 'projectcalico.org/v3') {
    errors.push({ path: 'apiVersion', type: 'notSupported', message: `unknown APIVersion '${String(d.apiVersion)}'` });
  }
  const expectedKind = legacy ? 'calicoApiConfig' : 'CalicoAPIConfig';
  if (d.kind !== expectedKind) errors.push({ path: 'kind', type: 'invalid', message: `expected kind '${expectedKind}', got '${String(d.kind)}'` });
  for (const key of Object.keys(d)) {
    if (!['apiVersion', 'kind', 'metadata', 'spec'].includes(key)) errors.push({ path: key, type: 'notSupported', message: 'unknown field' });
  }
  const spec = d.spec ?? {};
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    errors.push({ path: 'spec', type: 'invalid', message: 'must be an object' });
    fail(errors);
  }
  for (const key of Object.keys(spec)) {
    if (!KNOWN_FIELDS.has(key)) errors.push({ path: `spec.${key}`, type: 'notSupported', message: 'unknown field' });
  }
  if (errors.length > 0) fail(errors);
  if (legacy) process.emitWarning(`${source} uses the Calico 2.x format (apiVersion v1); it is read as the etcd v3 datastore`, 'DeprecationWarning');
  return buildDatastoreConfig(spec as RawSettings, 'spec.');
}

function str(raw: RawSettings, field: string, name: SettingName, errors: FieldError[]): string | undefined {
  const v = raw[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') {
    errors.push({ path: name(field), type: 'invalid', message: 'must be a string' });
    return undefined;
  }
  return v;
}

function bool(raw: RawSettings, field: string, name: SettingName, errors: FieldError[]): boolean | undefined {
  const v = raw[field];
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  errors.push({ path: name(field), type: 'invalid', message: 'must be true or false' });
  return undefined;
}

function num(raw: RawSettings, field: string, name: SettingName, errors: FieldError[]): number | undefined {
  const v = raw[field];
  if (v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0) {
    errors.push({ path: name(field), type: 'invalid', message: 'must be a non-negative number' });
    return undefined;
  }
  return n;
}

function endpoints(text: string, path: string, errors: FieldError[]): string[] {
  const list = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  list.forEach((e, i) => {
    const problem = endpointUrlProblem(e);
    if (problem !== undefined) errors.push({ path: `${path}[${i}]`, type: 'invalid', message: problem });
  });
  return list;
}

/**
 * Validates raw settings (from a file's `spec` or from the environment) into a {@link DatastoreConfig},
 * applying calicoctl's defaults: no datastore type means `etcdv3` when etcd endpoints are set, else
 * `kubernetes`.
 *
 * @param raw Settings keyed by CalicoAPIConfig field name.
 * @param prefix Path prefix for error messages (`spec.` for files, '' for field names as they are).
 * @return The validated configuration.
 */
export function buildDatastoreConfig(raw: RawSettings, prefix = ''): DatastoreConfig {
  return buildConfig(raw, (field) => `${prefix}${field}`);
}

/** How a configuration source names a setting in messages: `spec.etcdKeyFile` in a file, `ETCD_KEY_FILE` in the environment. */
type SettingName = (field: string) => string;

function buildConfig(raw: RawSettings, name: SettingName): DatastoreConfig {
  const errors: FieldError[] = [];
  let type = str(raw, 'datastoreType', name, errors);
  let endpointText = str(raw, 'etcdEndpoints', name, errors);
  const scheme = str(raw, 'etcdScheme', name, errors);
  const authority = str(raw, 'etcdAuthority', name, errors);
  if (!endpointText && authority) endpointText = `${scheme ?? 'http'}://${authority}`;
  if (!type) type = endpointText ? 'etcdv3' : 'kubernetes';
  if (type === 'memory') {
    if (errors.length > 0) fail(errors);
    return { datastoreType: 'memory' };
  }
  if (type === 'etcdv2' || type === 'etcdv3') {
    const cfg: EtcdDatastoreConfig = { datastoreType: 'etcdv3', requestedType: type, etcdEndpoints: [] };
    if (str(raw, 'etcdDiscoverySrv', name, errors)) {
      errors.push({ path: name('etcdDiscoverySrv'), type: 'notSupported', message: 'DNS SRV discovery is not supported; list the endpoints in etcdEndpoints' });
    }
    if (!endpointText) errors.push({ path: name('etcdEndpoints'), type: 'required', message: 'etcd endpoints are required for the etcd datastore' });
    else cfg.etcdEndpoints = endpoints(endpointText, name('etcdEndpoints'), errors);
    for (const f of ['etcdUsername', 'etcdPassword', 'etcdKeyFile', 'etcdCertFile', 'etcdCACertFile', 'etcdKey', 'etcdCert', 'etcdCACert'] as const) {
      const v = str(raw, f, name, errors);
      if (v !== undefined) cfg[f] = v;
    }
    if ((cfg.etcdUsername === undefined) !== (cfg.etcdPassword === undefined)) {
      errors.push({ path: name(cfg.etcdUsername === undefined ? 'etcdUsername' : 'etcdPassword'), type: 'required', message: 'etcd username and password must be given together' });
    }
    for (const [file, inline] of [['etcdKeyFile', 'etcdKey'], ['etcdCertFile', 'etcdCert'], ['etcdCACertFile', 'etcdCACert']] as const) {
      if (cfg[file] !== undefined && cfg[inline] !== undefined) errors.push({ path: name(inline), type: 'forbidden', message: `cannot be combined with ${name(file)}` });
    }
    if ((cfg.etcdKeyFile ?? cfg.etcdKey) !== undefined && (cfg.etcdCertFile ?? cfg.etcdCert) === undefined) {
      errors.push({ path: name('etcdCertFile'), type: 'required', message: 'a client key needs a client certificate' });
    }
    if (errors.length > 0) fail(errors);
    return cfg;
  }
  if (type === 'kubernetes') {
    const cfg: KubernetesDatastoreConfig = { datastoreType: 'kubernetes' };
    for (const f of ['kubeconfig', 'kubeconfigInline', 'k8sAPIEndpoint', 'k8sCertFile', 'k8sKeyFile', 'k8sCAFile', 'k8sAPIToken', 'k8sCurrentContext', 'calicoAPIGroup'] as const) {
      const v = str(raw, f, name, errors);
      if (v !== undefined) cfg[f] = v;
    }
    const usePodCIDR = bool(raw, 'usePodCIDR', name, errors);
    if (usePodCIDR !== undefined) cfg.usePodCIDR = usePodCIDR;
    const insecure = bool(raw, 'k8sInsecureSkipTLSVerify', name, errors);
    if (insecure !== undefined) cfg.k8sInsecureSkipTLSVerify = insecure;
    const qps = num(raw, 'k8sClientQPS', name, errors);
    if (qps !== undefined) cfg.k8sClientQPS = qps;
    const burst = num(raw, 'k8sClientBurst', name, errors);
    if (burst !== undefined) cfg.k8sClientBurst = burst;
    const endpointProblem = cfg.k8sAPIEndpoint === undefined ? undefined : endpointUrlProblem(cfg.k8sAPIEndpoint);
    if (endpointProblem !== undefined) errors.push({ path: name('k8sAPIEndpoint'), type: 'invalid', message: endpointProblem });
    if (cfg.calicoAPIGroup !== undefined && !['crd.projectcalico.org/v1', 'projectcalico.org/v3'].includes(cfg.calicoAPIGroup)) {
      errors.push({ path: name('calicoAPIGroup'), type: 'notSupported', message: 'must be crd.projectcalico.org/v1 or projectcalico.org/v3' });
    }
    if (errors.length > 0) fail(errors);
    return cfg;
  }
  errors.push({ path: name('datastoreType'), type: 'notSupported', message: `unknown datastore type: ${type} (expected kubernetes, etcdv3, etcdv2 or memory)` });
  fail(errors);
}

/**
 * Reads the datastore configuration as calicoctl does: the given config file (an error if missing),
 * else the default file if it exists, else the environment.
 *
 * ## Example
 * ```ts
 * const cfg = loadDatastoreConfig({ env: { DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: 'http://127.0.0.1:2379' } });
 * ```
 * @param options Where to look.
 * @return The validated configuration.
 */
export function loadDatastoreConfig(options: LoadConfigOptions = {}): DatastoreConfig {
  const file = options.configFile ?? options.defaultConfigFile ?? DEFAULT_CONFIG_FILE;
  if (options.configFile !== undefined || existsSync(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      fail([{ path: '', type: 'invalid', message: `Error reading config file: ${file}` }]);
    }
    return withUsableTls(parseCalicoAPIConfig(text, file), (field) => `spec.${field}`);
  }
  const { raw, name } = settingsFromEnv(options.env ?? process.env);
  return withUsableTls(buildConfig(raw, name), name);
}

/**
 * Reads and checks an etcd configuration's TLS material now, as Calico's etcd client does when it
 * is created, so that a bad key or certificate is reported with the configuration, naming the
 * setting as its source does (`ETCD_KEY_FILE`, `spec.etcdCACert`). The backend reads the material
 * again when it connects. (Kubernetes' files are checked when the backend is created, naming
 * `k8sKeyFile` and so on.)
 */
function withUsableTls(config: DatastoreConfig, name: SettingName): DatastoreConfig {
  if (config.datastoreType !== 'etcdv3') return config;
  const source = (inline: 'etcdCACert' | 'etcdCert' | 'etcdKey', file: 'etcdCACertFile' | 'etcdCertFile' | 'etcdKeyFile'): TlsSource | undefined =>
    config[inline] !== undefined ? { setting: name(inline), pem: config[inline] } : config[file] !== undefined ? { setting: name(file), file: config[file] } : undefined;
  const sources: TlsSources = { ca: source('etcdCACert', 'etcdCACertFile'), cert: source('etcdCert', 'etcdCertFile'), key: source('etcdKey', 'etcdKeyFile') };
  const { errors } = readTlsMaterial(sources);
  if (errors.length > 0) fail(errors);
  return config;
}
