/**
 * The shape every CLI command shares: its flags, its help text, and the function that runs it.
 * Command bodies are loaded on demand so that `--help` and `version --client` start fast.
 *
 * @module
 */
import type { CliIO } from './io.js';

/** One flag of a command, in `node:util` `parseArgs` terms. */
export interface FlagSpec {
  /** `string` takes a value; `boolean` does not. */
  readonly type: 'string' | 'boolean';
  /** One-letter alias. */
  readonly short?: string;
  /** Shown in help after the flag. */
  readonly valueName?: string;
  /** One line of help. */
  readonly help: string;
}

/** Flag values after parsing (global flags included). */
export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

/** What a command body receives. */
export interface CommandInput {
  /** Streams and environment. */
  readonly io: CliIO;
  /** Parsed flags, by long name. */
  readonly flags: FlagValues;
  /** Positional arguments after the command name(s). */
  readonly args: readonly string[];
  /** True when `--debug` or `--log-level debug` was given (stack traces on errors). */
  readonly debug: boolean;
}

/** A command body: returns the process exit status. */
export type CommandBody = (input: CommandInput) => Promise<number>;

/** One command of the CLI. */
export interface CommandSpec {
  /** Words that select it, for example `['datastore', 'migrate', 'export']`. */
  readonly path: readonly string[];
  /** Usage line after the program name, for example `get [KIND [NAME...]] [-f FILE]`. */
  readonly usage: string;
  /** One-line summary. */
  readonly summary: string;
  /** Longer description (optional). */
  readonly description?: string;
  /** The command's own flags, by long name. */
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Loads the body. */
  readonly load: () => Promise<CommandBody>;
}

/** A usage mistake: printed with a pointer to `--help`, exit status 1. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
