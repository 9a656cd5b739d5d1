import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, loadResources, type LoadOptions } from '../../../src/cli/input/load-resources.js';
import type { CliIO } from '../../../src/cli/io.js';

function io(stdin = ''): CliIO {
  return { stdout: () => undefined, stderr: () => undefined, readStdin: async () => stdin, env: {}, cwd: '/' };
}
const pool = (name: string, cidr = '10.0.0.0/16'): string => `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: ${name}\nspec:\n  cidr: ${cidr}\n`;
function opts(filename: string, extra: Partial<LoadOptions> = {}): LoadOptions {
  return { filename, recursive: false, skipEmpty: false, validate: 'structure', io: io(), ...extra };
}
function dir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cdctl-load-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

describe('loadResources', () => {
  it('splits documents at --- lines (comments after the marker ignored) and skips comment-only documents', async () => {
    const root = dir({ 'p.yaml': `${pool('a')}--- # second\n# only a comment\n---\n${pool('b')}` });
    const found = await loadResources(opts(join(root, 'p.yaml')));
    expect(found.map((r) => [r.object.metadata.name, r.document])).toEqual([
      ['a', 1],
      ['b', 3],
    ]);
  });

  it('expands typed lists and arrays, and reads JSON and standard input', async () => {
    const list = JSON.stringify({ apiVersion: 'projectcalico.org/v3', kind: 'IPPoolList', items: [{ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'l1' }, spec: { cidr: '10.1.0.0/16' } }] });
    const root = dir({ 'l.json': list });
    expect((await loadResources(opts(join(root, 'l.json')))).map((r) => [r.object.metadata.name, r.item])).toEqual([['l1', 0]]);
    const arr = `- ${JSON.stringify({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 't' }, spec: {} })}\n`;
    const fromStdin = await loadResources({ ...opts('-'), io: io(arr) });
    expect(fromStdin.map((r) => [r.source, r.kind.kind])).toEqual([['-', 'Tier']]);
  });

  it('reads a directory in name order, subdirectories only with recursive', async () => {
    const root = dir({ 'b.yml': pool('b'), 'a.YAML': pool('a'), 'notes.txt': 'ignored', 'sub/c.json': JSON.stringify({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'c' }, spec: { cidr: '10.2.0.0/16' } }) });
    expect((await loadResources(opts(root))).map((r) => r.object.metadata.name)).toEqual(['a', 'b']);
    expect((await loadResources(opts(root, { recursive: true }))).map((r) => r.object.metadata.name)).toEqual(['a', 'b', 'c']);
  });

  it('fails on the first bad document, naming source, document and field, and returns nothing', async () => {
    const root = dir({
      'bad.yaml': `${pool('a')}---\n${pool('b')}  bogus: 1\n`,
      'yaml.yaml': `${pool('a')}---\nkind: [unclosed\n`,
      'kind.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n',
      'invalid.yaml': pool('c', '10.0.0.1/33'),
      'empty.yaml': '# nothing\n',
    });
    await expect(loadResources(opts(join(root, 'bad.yaml')))).rejects.toThrow(/bad\.yaml document 2: IPPool\(b\): field in document is not recognized or is in the wrong location: spec\.bogus$/);
    await expect(loadResources(opts(join(root, 'yaml.yaml')))).rejects.toThrow(/yaml\.yaml document 2: failed to parse as YAML\/JSON/);
    await expect(loadResources(opts(join(root, 'kind.yaml')))).rejects.toThrow('unknown resource type (Pod) and/or version (v1)');
    await expect(loadResources(opts(join(root, 'invalid.yaml'), { validate: 'full' }))).rejects.toThrow(/invalid\.yaml document 1: IPPool\(c\): error with field spec\.cidr/);
    expect(await loadResources(opts(join(root, 'invalid.yaml')))).toHaveLength(1);
    await expect(loadResources(opts(join(root, 'empty.yaml')))).rejects.toThrow(/^no resources specified in file /);
    expect(await loadResources(opts(join(root, 'empty.yaml'), { skipEmpty: true }))).toEqual([]);
    await expect(loadResources(opts(join(root, 'missing.yaml')))).rejects.toBeInstanceOf(InputError);
  });

  it('refuses a document larger than 10 MiB', async () => {
    const big = `${pool('a')}  description: "${'x'.repeat(10 * 1024 * 1024)}"\n`;
    const root = dir({ 'big.yaml': big });
    await expect(loadResources(opts(join(root, 'big.yaml')))).rejects.toThrow(/big\.yaml: document 1 is larger than 10 MiB/);
  });
});
