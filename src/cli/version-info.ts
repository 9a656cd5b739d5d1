/**
 * The CLI's own version: the package version, and the git commit the build was made from (set at
 * build time; `unknown` when running from source).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

declare const __CALICO_DATASTORE_GIT_COMMIT__: string | undefined;

/**
 * The package version, read from the nearest `package.json` named `calico-datastore` above this module.
 *
 * @return For example `0.1.0`; `unknown` when it cannot be found.
 */
export function clientVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'calico-datastore' && typeof pkg.version === 'string') return `v${pkg.version}`;
    } catch {
      // not here; look one level up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

/**
 * The git commit of the build.
 *
 * @return A short SHA, or `unknown`.
 */
export function gitCommit(): string {
  return typeof __CALICO_DATASTORE_GIT_COMMIT__ === 'string' ? __CALICO_DATASTORE_GIT_COMMIT__ : 'unknown';
}
