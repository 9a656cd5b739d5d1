#!/usr/bin/env node
/**
 * Entry point of the `calico-datastore` binary: runs {@link runCli} on the process.
 *
 * @module
 */
import { runCli } from './run.js';
import { processIO } from './io.js';
import { describeError } from './describe-error.js';

runCli(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${describeError(e, process.argv.includes('--debug'))}\n`);
    process.exitCode = 1;
  },
);
