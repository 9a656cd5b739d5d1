/**
 * Shared helpers of the input-loading tests: a fake CliIO, temporary directories of files and
 * small resource documents.
 *
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LoadOptions } from '../../../src/cli/input/load-resources.js';
import type { CliIO } from '../../../src/cli/io.js';

/**
 * A CliIO whose standard input is `stdin` and whose working directory is `cwd`.
 *
 * @param stdin Text standard input yields.
 * @param cwd Working directory.
 * @return The fake.
 */
export function fakeIO(stdin = '', cwd = '/'): CliIO {
  return { stdout: () => undefined, stderr: () => undefined, readStdin: async () => stdin, env: {}, cwd };
}

const createdTrees: string[] = [];

/**
 * A fresh temporary directory holding `files` (paths relative to it; folders are created).
 *
 * @param files Path → content.
 * @return The directory's absolute path.
 */
export function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cdctl-input-'));
  createdTrees.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

/**
 * Removes every directory {@link tempTree} made (call from `afterAll`).
 */
export function removeTempTrees(): void {
  for (const root of createdTrees.splice(0)) rmSync(root, { recursive: true, force: true });
}

/**
 * Load options with the defaults of `get` (structure checks, no recursion, empty is an error).
 *
 * @param filename `-f` value.
 * @param extra Overrides.
 * @return The options.
 */
export function options(filename: string, extra: Partial<LoadOptions> = {}): LoadOptions {
  return { filename, recursive: false, skipEmpty: false, validate: 'structure', io: fakeIO(), ...extra };
}

/**
 * An IPPool document in YAML (ends with a newline).
 *
 * @param name metadata.name.
 * @param cidr spec.cidr.
 * @return The YAML.
 */
export function poolYaml(name: string, cidr = '10.0.0.0/16'): string {
  return `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: ${name}\nspec:\n  cidr: ${cidr}\n`;
}

/**
 * An IPPool object.
 *
 * @param name metadata.name.
 * @param cidr spec.cidr.
 * @return The object.
 */
export function poolObject(name: string, cidr = '10.0.0.0/16'): Record<string, unknown> {
  return { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name }, spec: { cidr } };
}
