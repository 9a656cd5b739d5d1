// Runs the built CLI given as the first argument with the remaining arguments, and on exit writes
// {"maxRSS": <KiB>} to file descriptor 3, so the bench can read the peak memory of one CLI run.
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const cli = process.argv[2];
process.argv.splice(1, 1); // the CLI sees [node, cli, ...args], as when it runs on its own
process.on('exit', () => {
  writeSync(3, JSON.stringify({ maxRSS: process.resourceUsage().maxRSS }));
});
await import(pathToFileURL(cli).href);
