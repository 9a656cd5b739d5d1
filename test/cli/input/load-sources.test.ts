import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadResources } from '../../../src/cli/input/load-resources.js';
import { fakeIO, options, poolObject, poolYaml, tempTree, removeTempTrees } from './fixtures.js';

afterAll(removeTempTrees);

const names = (found: Array<{ object: { metadata: { name?: string } } }>): Array<string | undefined> => found.map((r) => r.object.metadata.name);

describe('loadResources: sources', () => {
  it('reads a multi-document file: --- and --- # comment lines split, comment-only documents are skipped', async () => {
    const root = tempTree({ 'p.yaml': `${poolYaml('a')}--- # the second\n# only a comment\n\n---\n${poolYaml('b')}---\n` });
    const found = await loadResources(options(join(root, 'p.yaml')));
    expect(found.map((r) => [r.source, r.document, r.item, r.kind.kind, r.object.metadata.name])).toEqual([
      [join(root, 'p.yaml'), 1, undefined, 'IPPool', 'a'],
      [join(root, 'p.yaml'), 3, undefined, 'IPPool', 'b'],
    ]);
  });

  it('resolves a relative path against io.cwd and reports it as given', async () => {
    const root = tempTree({ 'sub/p.yml': poolYaml('rel') });
    const found = await loadResources(options('sub/p.yml', { io: fakeIO('', root) }));
    expect(found.map((r) => [r.source, r.object.metadata.name])).toEqual([['sub/p.yml', 'rel']]);
  });

  it('reads JSON files: a single object and a typed list', async () => {
    const list = { apiVersion: 'projectcalico.org/v3', kind: 'IPPoolList', metadata: {}, items: [poolObject('l1'), poolObject('l2', '10.1.0.0/16')] };
    const root = tempTree({ 'one.json': JSON.stringify(poolObject('j')), 'list.json': JSON.stringify(list, null, 2) });
    expect(names(await loadResources(options(join(root, 'one.json'))))).toEqual(['j']);
    const fromList = await loadResources(options(join(root, 'list.json')));
    expect(fromList.map((r) => [r.document, r.item, r.object.metadata.name])).toEqual([
      [1, 0, 'l1'],
      [1, 1, 'l2'],
    ]);
  });

  it('reads an array document of mixed kinds, with item indexes', async () => {
    const tier = { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 't' }, spec: { order: 10 } };
    const root = tempTree({ 'arr.yaml': `${poolYaml('first')}---\n- ${JSON.stringify(poolObject('x'))}\n- ${JSON.stringify(tier)}\n` });
    const found = await loadResources(options(join(root, 'arr.yaml')));
    expect(found.map((r) => [r.document, r.item, r.kind.kind])).toEqual([
      [1, undefined, 'IPPool'],
      [2, 0, 'IPPool'],
      [2, 1, 'Tier'],
    ]);
  });

  it('reads standard input for -f -, keeping - as the source', async () => {
    const found = await loadResources(options('-', { io: fakeIO(`${poolYaml('s1')}---\n${poolYaml('s2')}`) }));
    expect(found.map((r) => [r.source, r.document, r.object.metadata.name])).toEqual([
      ['-', 1, 's1'],
      ['-', 2, 's2'],
    ]);
  });

  it('reads a directory in lexical order, by extension case-insensitively, subdirectories only when recursive', async () => {
    const root = tempTree({
      'b.yml': poolYaml('b'),
      'a.YAML': poolYaml('a'),
      'c.Json': JSON.stringify(poolObject('c')),
      'notes.txt': 'not: read',
      'yaml': 'not: read either (no extension)',
      'm/d.yaml': poolYaml('d'),
      'm/deeper/e.yaml': poolYaml('e'),
      'z.yaml': poolYaml('z'),
    });
    const flat = await loadResources(options(root));
    expect(names(flat)).toEqual(['a', 'b', 'c', 'z']);
    expect(flat[0]!.source).toBe(join(root, 'a.YAML'));
    const deep = await loadResources(options(root, { recursive: true }));
    expect(names(deep)).toEqual(['a', 'b', 'c', 'd', 'e', 'z']);
    expect(deep[3]!.source).toBe(join(root, 'm', 'd.yaml'));
  });

  it('names a directory file by the directory as given', async () => {
    const root = tempTree({ 'in/p.yaml': poolYaml('p') });
    const found = await loadResources(options('in', { io: fakeIO('', root) }));
    expect(found[0]!.source).toBe(join('in', 'p.yaml'));
  });

  it('adds an empty metadata object to a document without one', async () => {
    const wep = 'apiVersion: projectcalico.org/v3\nkind: WorkloadEndpoint\nspec:\n  node: n1\n';
    const found = await loadResources(options('-', { io: fakeIO(wep) }));
    expect(found[0]!.object.metadata).toEqual({});
  });

  it('accepts Profile documents with structure checks only', async () => {
    const profile = 'apiVersion: projectcalico.org/v3\nkind: Profile\nmetadata:\n  name: kns.x\nspec:\n  labelsToApply: {a: b}\n';
    const found = await loadResources(options('-', { io: fakeIO(profile), validate: 'full' }));
    expect(found.map((r) => [r.kind.kind, r.object.metadata.name])).toEqual([['Profile', 'kns.x']]);
  });
});

describe('loadResources: empty input', () => {
  it('fails on an empty file, or a file of comments, unless skipEmpty', async () => {
    const root = tempTree({ 'empty.yaml': '', 'comments.yaml': '# nothing\n---\n   \n' });
    for (const file of ['empty.yaml', 'comments.yaml']) {
      await expect(loadResources(options(join(root, file)))).rejects.toThrow(`no resources specified in file ${join(root, file)}`);
      expect(await loadResources(options(join(root, file), { skipEmpty: true }))).toEqual([]);
    }
  });

  it('fails on empty standard input as stdin', async () => {
    await expect(loadResources(options('-', { io: fakeIO('\n') }))).rejects.toThrow('no resources specified in file stdin');
  });

  it('fails on a directory without input files, and on an empty file inside a directory, unless skipEmpty', async () => {
    const none = tempTree({ 'readme.md': 'x' });
    await expect(loadResources(options(none))).rejects.toThrow(`no resources specified in directory ${none}`);
    expect(await loadResources(options(none, { skipEmpty: true }))).toEqual([]);
    const withEmpty = tempTree({ 'a.yaml': poolYaml('a'), 'b.yaml': '# empty\n' });
    await expect(loadResources(options(withEmpty))).rejects.toThrow(`no resources specified in file ${join(withEmpty, 'b.yaml')}`);
    expect(names(await loadResources(options(withEmpty, { skipEmpty: true })))).toEqual(['a']);
  });
});
