/**
 * Argument handling and dispatch of the `calico-datastore` command (cli.md): finds the command,
 * parses its flags, prints help, runs the body and turns failures into one line on stderr.
 *
 * Start-up stays small: this module loads only the command table and `node:util`; each command's
 * body, and the datastore client, load when the command runs.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { COMMANDS } from './registry.js';
import { GLOBAL_FLAGS, LOG_LEVELS } from './flags.js';
import { UsageError, type CommandSpec, type FlagSpec } from './command.js';
import type { CliIO } from './io.js';
import { commandHelp, programHelp, groupHelp, PROGRAM } from './help.js';
import { describeError } from './describe-error.js';
import { shownLines, shownText } from '../errors.js';

/** Finds the command whose path matches the leading words of `words`. */
function findCommand(words: readonly string[]): { spec: CommandSpec; rest: string[] } | undefined {
  let best: CommandSpec | undefined;
  for (const spec of COMMANDS) {
    if (spec.path.every((w, i) => words[i] === w) && (!best || spec.path.length > best.path.length)) best = spec;
  }
  return best ? { spec: best, rest: words.slice(best.path.length) } : undefined;
}

/**
 * Every spelling of a flag that takes a value, in any command. No flag takes a value in one
 * command and none in another, so the words of a command line can be told from flag values
 * before the command is known.
 */
const VALUE_FLAGS = new Set(
  [GLOBAL_FLAGS, ...COMMANDS.map((c) => c.flags)].flatMap((flags) =>
    Object.entries(flags).flatMap(([name, f]) => (f.type === 'string' ? [`--${name}`, ...(f.short ? [`-${f.short}`] : [])] : [])),
  ),
);

/**
 * The words of a command line that are not flags or flag values. Flags may come anywhere, before
 * the command too (`-c FILE get ippools`, `--log-level debug apply -f x`), as calicoctl takes
 * them; which flags the command accepts is checked once it is known.
 */
function leadingWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (VALUE_FLAGS.has(a)) i++;
      continue;
    }
    words.push(a);
  }
  return words;
}

function parseOptions(flags: Readonly<Record<string, FlagSpec>>): Record<string, { type: 'string' | 'boolean'; short?: string }> {
  const out: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, f] of Object.entries(flags)) out[name] = f.short ? { type: f.type, short: f.short } : { type: f.type };
  return out;
}

function usageFailure(io: CliIO, message: string, spec?: CommandSpec): number {
  io.stderr(`${shownText(message, 1024)}\nRun '${PROGRAM} ${spec ? `${spec.path.join(' ')} ` : ''}--help' for usage.\n`);
  return 1;
}

/**
 * Runs the CLI once.
 *
 * @param argv Arguments after the program name.
 * @param processIO Streams and environment.
 * @return The exit status: 0 when everything succeeded, 1 otherwise.
 */
export async function runCli(argv: readonly string[], processIO: CliIO): Promise<number> {
  // Messages repeat arguments and file contents. Each message bounds what it repeats; as a
  // backstop every line on stderr is escaped, and bounded far above what a summary of many
  // per-resource errors needs.
  const io: CliIO = { ...processIO, stderr: (text) => processIO.stderr(shownLines(text, 65_536)) };
  const words = leadingWords(argv);
  const found = findCommand(words);
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  if (!found) {
    if (words.length === 0) {
      io.stdout(programHelp());
      return wantsHelp ? 0 : 1;
    }
    const group = COMMANDS.filter((c) => words.every((w, i) => c.path[i] === w));
    if (group.length > 0) {
      io.stdout(groupHelp(words, group));
      return wantsHelp ? 0 : 1;
    }
    return usageFailure(io, `unknown command "${words.join(' ')}"`);
  }
  const { spec } = found;
  if (wantsHelp) {
    io.stdout(commandHelp(spec));
    return 0;
  }
  // `-a` is calicoctl's other spelling of `-A`.
  const normalized = spec.path[0] === 'get' ? argv.map((a) => (a === '-a' ? '-A' : a)) : [...argv];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: normalized, options: parseOptions({ ...GLOBAL_FLAGS, ...spec.flags }), allowPositionals: true, strict: true });
  } catch (e) {
    return usageFailure(io, (e as Error).message.split('\n')[0] ?? 'invalid arguments', spec);
  }
  const flags = parsed.values as Record<string, string | boolean | undefined>;
  const args = parsed.positionals.slice(spec.path.length);
  const level = flags['log-level'];
  if (typeof level === 'string' && !(LOG_LEVELS as readonly string[]).includes(level)) {
    io.stderr(`unknown log level: ${shownText(level)}, expected one of: ${LOG_LEVELS.join(', ')}\n`);
    return 1;
  }
  const debug = flags.debug === true || level === 'debug';
  const env = typeof flags.context === 'string' ? { ...io.env, K8S_CURRENT_CONTEXT: flags.context } : io.env;
  const commandIO: CliIO = env === io.env ? io : { ...io, env };
  try {
    const body = await spec.load();
    return await body({ io: commandIO, flags, args, debug });
  } catch (e) {
    if (e instanceof UsageError) return usageFailure(io, e.message, spec);
    io.stderr(`${describeError(e, debug)}\n`);
    return 1;
  }
}
