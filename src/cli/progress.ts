/**
 * Progress lines on stderr for long runs (migrations, `apply -f` of many documents): silent for
 * the first second, then at most one line every two seconds.
 *
 * @module
 */
import type { CliIO } from './io.js';

/**
 * A progress reporter.
 *
 * @param io Streams and clock.
 * @param verb For example `exported`.
 * @param total How many resources there are, when known (`applied 1200 of 30000 resource(s)...`).
 * @return Call it with the running count.
 */
export function progressReporter(io: CliIO, verb: string, total?: number): (count: number) => void {
  const now = (): number => io.now?.() ?? Date.now();
  const started = now();
  let last = started;
  return (count) => {
    const at = now();
    if (at - started < 1000 || at - last < 2000) return;
    last = at;
    io.stderr(`${verb} ${count}${total === undefined ? '' : ` of ${total}`} resource(s)...\n`);
  };
}
