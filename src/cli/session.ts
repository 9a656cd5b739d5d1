/**
 * The datastore connection of one CLI invocation: configuration read exactly as calicoctl reads it
 * (cli.md §2.1), and a client opened from it.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDatastoreConfig, type DatastoreConfig } from '../config.js';
import { createClient, type CalicoClient } from '../client.js';
import { isValidationError } from '../errors.js';
import type { CliIO } from './io.js';

/** calicoctl's default configuration file. */
export const DEFAULT_CLI_CONFIG_FILE = '/etc/calico/calicoctl.cfg';

/**
 * Environment variable that moves the default configuration file (for machines where `/etc` is
 * not writable, and for tests). An explicit `--config` still wins.
 */
export const DEFAULT_CONFIG_ENV = 'CALICO_DATASTORE_DEFAULT_CONFIG';

/** A configuration problem, printed as `Failed to create Calico API client: <message>`. */
export class ClientConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClientConfigError';
  }
}

/**
 * Reads the datastore configuration for the CLI.
 *
 * An explicit `configFile` must exist (`Error reading config file: <path>`) and is then the only
 * source; otherwise the default file is used when it exists, and the environment when it does not.
 *
 * @param configFile The `--config` value, when given.
 * @param io Environment and working directory.
 * @return The validated configuration.
 * @throws ClientConfigError with a message that never contains credentials.
 */
export function loadCliConfig(configFile: string | undefined, io: CliIO): DatastoreConfig {
  const defaultFile = io.env[DEFAULT_CONFIG_ENV] || DEFAULT_CLI_CONFIG_FILE;
  if (configFile !== undefined) {
    const path = resolve(io.cwd, configFile);
    if (!existsSync(path)) throw new ClientConfigError(`Error reading config file: ${configFile}`);
  }
  try {
    return loadDatastoreConfig({
      ...(configFile !== undefined ? { configFile: resolve(io.cwd, configFile) } : {}),
      defaultConfigFile: defaultFile,
      env: io.env,
    });
  } catch (e) {
    throw new ClientConfigError(configErrorText(e), { cause: e });
  }
}

function configErrorText(e: unknown): string {
  if (isValidationError(e)) return e.errors.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ');
  return e instanceof Error ? e.message : String(e);
}

/** An open datastore connection. */
export interface CliSession {
  /** The configuration in use. */
  readonly config: DatastoreConfig;
  /** The client; its backend is created on first use. */
  readonly client: CalicoClient;
  /** Initialises the datastore (built-in tiers, ClusterInformation), ignoring failures, as calicoctl does before writes. */
  initialize(): Promise<void>;
  /** Closes the client. */
  close(): Promise<void>;
}

/**
 * Opens a client from the CLI's configuration (no network traffic until first use).
 *
 * @param configFile The `--config` value, when given.
 * @param io Environment and working directory.
 * @return The session.
 */
export function openSession(configFile: string | undefined, io: CliIO): CliSession {
  const config = loadCliConfig(configFile, io);
  // Reads must not write: the datastore is initialised only before writes (cli.md §5 step 2).
  const client = createClient({ ...config, initialize: false });
  return {
    config,
    client,
    async initialize() {
      try {
        await (await client.backend()).ensureInitialized();
      } catch {
        // calicoctl ignores initialisation failures; the write itself reports real problems.
      }
    },
    close: () => client.close(),
  };
}
