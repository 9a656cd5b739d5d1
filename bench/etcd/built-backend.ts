/**
 * The etcd backend from the built package (`dist/`), as users run it.
 *
 * Under tsx, code from `src/` carries esbuild's `keepNames` helper: every closure our code creates
 * on a call is renamed with `Object.defineProperty`, a cost the published build does not have (and
 * the raw etcd3 side, plain JavaScript, does not pay either). `npm run bench:etcd` builds first.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as Library from '../../src/index.js';

const built = new URL('../../dist/index.js', import.meta.url);
if (!existsSync(fileURLToPath(built))) throw new Error('bench/etcd needs the built package: run `npm run build` first (npm run bench:etcd does)');

/** `createEtcdBackend` of the built package. */
export const { createEtcdBackend } = (await import(built.href)) as typeof Library;
