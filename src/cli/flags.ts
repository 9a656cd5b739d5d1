/**
 * Flags shared by many commands, written once.
 *
 * @module
 */
import type { FlagSpec } from './command.js';

/** Flags every command accepts. */
export const GLOBAL_FLAGS: Readonly<Record<string, FlagSpec>> = {
  'log-level': { type: 'string', short: 'l', valueName: 'LEVEL', help: 'panic (default), fatal, error, warn, info or debug; logs go to stderr' },
  context: { type: 'string', valueName: 'NAME', help: 'kubeconfig context to use (sets K8S_CURRENT_CONTEXT)' },
  'allow-version-mismatch': { type: 'boolean', help: 'accepted for calicoctl compatibility; no version check is made' },
  debug: { type: 'boolean', help: 'print stack traces with errors' },
  help: { type: 'boolean', short: 'h', help: 'show help for the command' },
};

/** `-c/--config`. */
export const CONFIG_FLAG: FlagSpec = { type: 'string', short: 'c', valueName: 'FILE', help: 'CalicoAPIConfig file (default /etc/calico/calicoctl.cfg; the environment when it does not exist)' };
/** `-n/--namespace`. */
export const NAMESPACE_FLAG: FlagSpec = { type: 'string', short: 'n', valueName: 'NAMESPACE', help: 'namespace of namespaced resources (default "default")' };
/** `-f/--filename`. */
export const FILENAME_FLAG: FlagSpec = { type: 'string', short: 'f', valueName: 'FILE', help: 'file, directory, or - for standard input (YAML or JSON, several documents allowed)' };
/** `-R/--recursive`. */
export const RECURSIVE_FLAG: FlagSpec = { type: 'boolean', short: 'R', help: 'with -f DIR, also read subdirectories' };
/** `--skip-empty`. */
export const SKIP_EMPTY_FLAG: FlagSpec = { type: 'boolean', help: 'no resources in the input is not an error' };

/** The flags of commands that read `-f` input and write. */
export const WRITE_INPUT_FLAGS: Readonly<Record<string, FlagSpec>> = {
  filename: FILENAME_FLAG,
  recursive: RECURSIVE_FLAG,
  'skip-empty': SKIP_EMPTY_FLAG,
  config: CONFIG_FLAG,
  namespace: NAMESPACE_FLAG,
};

/** Accepted `--log-level` values. */
export const LOG_LEVELS = ['panic', 'fatal', 'error', 'warn', 'info', 'debug'] as const;
