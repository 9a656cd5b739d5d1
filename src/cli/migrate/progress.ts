/**
 * Progress lines on stderr for long migrations: silent for the first second, then at most one
 * line every two seconds.
 *
 * @module
 */
import type { CliIO } from '../io.js';

/**
 * A progress reporter.
 *
 * @param io Streams.
 * @param verb For example `exported`.
 * @return Call it with the running count.
 */
export function progressReporter(io: CliIO, verb: string): (count: number) => void {
  const started = Date.now();
  let last = started;
  return (count) => {
    const now = Date.now();
    if (now - started < 1000 || now - last < 2000) return;
    last = now;
    io.stderr(`${verb} ${count} resource(s)...\n`);
  };
}
