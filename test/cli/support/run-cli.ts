/**
 * Runs the built CLI (`dist/cli.js`, or the file named by `CLI_UNDER_TEST`) as a subprocess.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { CliIO } from '../../../src/cli/io.js';

/** Path of the CLI under test. */
export const CLI_PATH = process.env.CLI_UNDER_TEST ?? fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

/** What one run produced. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCliProcess}. */
export interface RunCliOptions {
  /** Environment of the child (nothing is inherited except PATH and HOME unless given). */
  env?: Record<string, string | undefined>;
  /** Text written to the child's standard input. */
  stdin?: string;
  /** Working directory. */
  cwd?: string;
  /** Kill the child after this long. @default 60000 */
  timeoutMs?: number;
}

/**
 * Runs `node <cli> ...args` and collects its output.
 *
 * @param args Arguments after the program name.
 * @param options See {@link RunCliOptions}.
 * @return Exit status, stdout and stderr.
 */
export function runCliProcess(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} does not exist: run "npm run build" first`);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', CALICO_DATASTORE_DEFAULT_CONFIG: resolve('/nonexistent/calicoctl.cfg') };
  for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) env[k] = v;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { env, cwd: options.cwd ?? process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/**
 * Runs the CLI in this process (the source, not the build) with an in-memory {@link CliIO}: for
 * tests that control what a process cannot (a clock, a terminal, stdout's backpressure).
 *
 * @param args Arguments after the program name.
 * @param env The environment (the default config file is pointed nowhere).
 * @param io Members of the CliIO to set, for example `now`, `stderrIsTTY` or `flush`.
 * @return Exit status, stdout and stderr.
 */
export async function runCliInProcess(args: readonly string[], env: Record<string, string>, io: Partial<CliIO> = {}): Promise<CliResult> {
  const { runCli } = await import('../../../src/cli/run.js');
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => '',
    env: { CALICO_DATASTORE_DEFAULT_CONFIG: '/nonexistent/calicoctl.cfg', ...env },
    cwd: process.cwd(),
    ...io,
  });
  return { code, stdout, stderr };
}
