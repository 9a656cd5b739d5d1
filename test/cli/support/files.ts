/**
 * Temporary input files for CLI tests.
 *
 * @module
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Writes `content` to a new temporary file.
 *
 * @param name File name (its extension matters for directory input).
 * @param content The text.
 * @return The absolute path.
 */
export function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cdctl-in-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** YAML of an IPPool. */
export function poolYaml(name: string, cidr: string, extra = ''): string {
  return `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: ${name}\nspec:\n  cidr: ${cidr}\n${extra}`;
}
