import { execSync } from 'node:child_process';
import { defineConfig } from 'tsup';

function gitCommit(): string {
  try {
    return execSync('git rev-parse --short=12 HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}

const define = { __CALICO_DATASTORE_GIT_COMMIT__: JSON.stringify(gitCommit()) };

export default defineConfig([
  {
    entry: { index: 'src/index.ts', testing: 'src/testing.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node20',
    sourcemap: true,
    clean: false,
    splitting: true,
    // The CommonJS build gets an import.meta.url (config.ts loads yaml lazily with createRequire).
    shims: true,
    define,
  },
  {
    // The command-line tool: ESM only, no type declarations (it is not imported).
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    sourcemap: true,
    splitting: true,
    define,
  },
]);
