/**
 * What a CLI command talks to: its arguments' environment, the standard streams and the clock.
 * `main` builds one over the real process; tests may build their own.
 *
 * @module
 */
import { MAX_SOURCE_BYTES, sourceText, sourceTooLarge } from './input/input-text.js';

/** The outside world of one CLI invocation. */
export interface CliIO {
  /** Writes to standard output (text is written as given; add newlines yourself). */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** Reads all of standard input. */
  readStdin(): Promise<string>;
  /** The environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The working directory relative paths resolve against. */
  readonly cwd: string;
  /**
   * Resolves once what was written to stdout has been handed on, so output printed while it is
   * read (a long `get -o yaml`) waits for a slow reader instead of piling up in memory.
   * Absent: writes are taken at once.
   */
  flush?(): Promise<void>;
  /** True when stderr is a terminal: progress is shown only then. */
  readonly stderrIsTTY?: boolean;
  /** Milliseconds since the epoch (progress timing). @default Date.now */
  now?(): number;
}

/**
 * The {@link CliIO} of the running process.
 *
 * @return Process-backed streams and environment.
 */
export function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of process.stdin) {
        size += (chunk as Buffer).length;
        if (size > MAX_SOURCE_BYTES) throw sourceTooLarge('stdin');
        chunks.push(chunk as Buffer);
      }
      return sourceText(Buffer.concat(chunks), 'stdin');
    },
    env: process.env,
    cwd: process.cwd(),
    flush: () => (process.stdout.writableNeedDrain ? new Promise((resolve) => process.stdout.once('drain', () => resolve())) : Promise.resolve()),
    stderrIsTTY: process.stderr.isTTY === true,
  };
}
