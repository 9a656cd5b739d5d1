/**
 * Every kind of malformed `-f` file ends the same way for create, apply, replace and delete:
 * calicoctl's `failed to execute command: <source> …` on stderr, exit status 1, nothing written
 * and no stack trace. The CLI runs in this process (runCliInProcess) to keep the suite lean.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES } from '../../../src/cli/input/split-documents.js';
import { runCliInProcess, runCliProcess } from '../support/run-cli.js';
import { poolYaml, removeTempTrees, tempTree } from './fixtures.js';

afterAll(removeTempTrees);

const memory = { DATASTORE_TYPE: 'memory' };
const root = tempTree({});

function file(name: string, content: string | Buffer): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

function billionLaughs(): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
  return `${lines.join('\n')}\n`;
}

/** Each class of malformed file, and what its message says after the source name. */
const CASES: [string, () => string, RegExp][] = [
  ['a billion-laughs alias bomb', () => file('bomb.yaml', billionLaughs()), /document 1: failed to parse as YAML\/JSON: Excessive alias count/],
  ['a document over 10 MiB', () => file('big.yaml', poolYaml('a').replace('spec:', `  annotations:\n    a: "${'x'.repeat(MAX_DOCUMENT_BYTES)}"\nspec:`)), /: document 1 is larger than 10 MiB$/],
  ['duplicate keys', () => file('dup.yaml', `${poolYaml('a')}kind: IPPool\n`), /document 1: failed to parse as YAML\/JSON at line 7:1: Map keys must be unique/],
  ['binary data', () => file('bin.yaml', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe])), /: the file is not valid UTF-8 text$/],
  ['control characters in UTF-8', () => file('nul.yaml', `${poolYaml('a')}\u0000\u0001\n`), /: control characters are not allowed \(line 7\): is it a binary file\?$/],
  ['invalid UTF-8', () => file('latin1.yaml', Buffer.concat([Buffer.from(poolYaml('a').replace('name: a', 'name: ')), Buffer.from([0xe9, 0x0a])])), /: the file is not valid UTF-8 text$/],
  ['flow nesting beyond the parser', () => file('deep-flow.yaml', `a: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`), /document 1: failed to parse as YAML\/JSON: the document nests more than 1000 levels deep$/],
  ['block nesting beyond the parser', () => file('deep-block.yaml', `a: ${'- '.repeat(100_000)}x\n`), /document 1: failed to parse as YAML\/JSON: the document nests more than 1000 levels deep$/],
  ['nesting beyond the data limit', () => file('deep-data.yaml', poolYaml('a').replace('spec:', `  labels: ${'{a: '.repeat(150)}1${'}'.repeat(150)}\nspec:`)), /document 1: metadata\.labels\.a\.a.*is nested deeper than 100 levels$/],
  ['YAML values JSON has not', () => file('tags.yaml', poolYaml('a').replace('name: a', 'name: !!binary aGVsbG8=')), /document 1: metadata\.name: must be JSON data, not a (Buffer|Uint8Array)$/],
  ['an empty file', () => file('empty.yaml', ''), /^failed to execute command: no resources specified in file .*empty\.yaml$/],
  ['only separators and comments', () => file('comments.yaml', '---\n# nothing\n---\n'), /^failed to execute command: no resources specified in file .*comments\.yaml$/],
];

describe('malformed -f files', () => {
  for (const [what, make, message] of CASES) {
    it(`${what}: calicoctl's error shape, exit 1, for create, apply, replace and delete`, async () => {
      const path = make();
      for (const command of ['create', 'apply', 'replace', 'delete']) {
        const r = await runCliInProcess([command, '-f', path], memory);
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        const line = r.stderr.trimEnd();
        expect(line.split('\n')).toHaveLength(1);
        expect(line).toMatch(/^failed to execute command: /);
        expect(line).toMatch(message);
        expect(line).not.toMatch(/\n\s+at |TypeError|RangeError|Maximum call stack/);
      }
    });
  }

  it('standard input is held to the same rules (one real process: its stdin is decoded there)', async () => {
    const r = await runCliProcess(['apply', '-f', '-'], { env: memory, stdin: `${poolYaml('a')}\u0001\n` });
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'failed to execute command: stdin: control characters are not allowed (line 7): is it a binary file?\n' });
  });

  it('a valid file next to the malformed ones still applies', async () => {
    const r = await runCliInProcess(['apply', '-f', file('good.yaml', poolYaml('good'))], memory);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe("Successfully applied 1 'IPPool' resource(s)\n");
  });
});
