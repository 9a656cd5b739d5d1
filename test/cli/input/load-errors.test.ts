import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, loadResources, type LoadOptions } from '../../../src/cli/input/load-resources.js';
import { fakeIO, options, poolObject, poolYaml, tempTree, removeTempTrees } from './fixtures.js';

afterAll(removeTempTrees);

/** The InputError message `loadResources` rejects with (fails the test when it resolves). */
async function failure(opts: LoadOptions): Promise<string> {
  const outcome = await loadResources(opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(InputError);
  return (outcome as InputError).message;
}

const stdin = (text: string, extra: Partial<LoadOptions> = {}): LoadOptions => options('-', { io: fakeIO(text), ...extra });

describe('loadResources: errors', () => {
  it('names a missing file', async () => {
    const root = tempTree({});
    expect(await failure(options(join(root, 'missing.yaml')))).toBe(`cannot read ${join(root, 'missing.yaml')}: no such file or directory`);
  });

  it('names the file, document, line:column and parser message of invalid YAML', async () => {
    // Lines 1-6 are the first pool, 7 the separator; the stray scalar is on line 9, column 16.
    const root = tempTree({ 'bad.yaml': `${poolYaml('a')}---\napiVersion: projectcalico.org/v3\nkind: "IPPool" x\n` });
    expect(await failure(options(join(root, 'bad.yaml')))).toBe(`${join(root, 'bad.yaml')} document 2: failed to parse as YAML/JSON at line 9:16: Unexpected scalar at node end`);
    const unclosed = await failure(stdin('kind: [unclosed\n'));
    expect(unclosed).toMatch(/^stdin document 1: failed to parse as YAML\/JSON at line \d+:\d+: Flow sequence/);
    expect(unclosed).not.toContain('\n');
  });

  it('refuses duplicate keys and invalid JSON', async () => {
    expect(await failure(stdin('a: 1\na: 2\n'))).toMatch(/^stdin document 1: failed to parse as YAML\/JSON .*Map keys must be unique/);
    expect(await failure(stdin('{"apiVersion": "projectcalico.org/v3",'))).toMatch(/^stdin document 1: failed to parse as YAML\/JSON/);
  });

  it('refuses a scalar document', async () => {
    expect(await failure(stdin('just text\n'))).toBe('stdin document 1: expected a resource, a typed list or an array of resources, found a string');
  });

  it('refuses unknown kinds and versions', async () => {
    expect(await failure(stdin('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n'))).toBe('stdin document 1: unknown resource type (Pod) and/or version (v1)');
    expect(await failure(stdin(poolYaml('a').replace('projectcalico.org/v3', 'projectcalico.org/v2')))).toBe(
      'stdin document 1: unknown resource type (IPPool) and/or version (projectcalico.org/v2)',
    );
    expect(await failure(stdin('metadata:\n  name: x\n'))).toBe('stdin document 1: unknown resource type () and/or version ()');
    // A Calico kind the CLI does not handle.
    expect(await failure(stdin('apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: p\n'))).toContain('unknown resource type (BGPPeer)');
    const list = JSON.stringify({ apiVersion: 'projectcalico.org/v3', kind: 'GadgetList', items: [] });
    expect(await failure(stdin(list))).toBe('stdin document 1: unknown resource type (GadgetList) and/or version (projectcalico.org/v3)');
  });

  it('names the path of an unknown field, nested ones included', async () => {
    expect(await failure(stdin(`${poolYaml('a')}  bogus: 1\n`))).toBe('stdin document 1: IPPool(a): field in document is not recognized or is in the wrong location: spec.bogus');
    const gnp = 'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: g\nspec:\n  ingress:\n  - action: Allow\n    bogus: true\n';
    expect(await failure(stdin(gnp))).toBe('stdin document 1: GlobalNetworkPolicy(g): field in document is not recognized or is in the wrong location: spec.ingress[0].bogus');
    const np = 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: n\n  namespace: shop\n  colour: red\nspec: {}\n';
    expect(await failure(stdin(np))).toBe('stdin document 1: NetworkPolicy(shop/n): field in document is not recognized or is in the wrong location: metadata.colour');
    expect(await failure(stdin(`${poolYaml('a')}extra: 1\n`))).toContain('wrong location: extra');
  });

  it('checks unknown fields in structure mode too, and in list envelopes and Profiles', async () => {
    const list = { apiVersion: 'projectcalico.org/v3', kind: 'IPPoolList', items: [], surprise: 1 };
    expect(await failure(stdin(JSON.stringify(list)))).toBe('stdin document 1: IPPoolList: field in document is not recognized or is in the wrong location: surprise');
    const profile = 'apiVersion: projectcalico.org/v3\nkind: Profile\nmetadata:\n  name: p\nstatus: {}\n';
    expect(await failure(stdin(profile))).toBe('stdin document 1: Profile(p): field in document is not recognized or is in the wrong location: status');
  });

  it('requires metadata.name (except for WorkloadEndpoint) and an object metadata', async () => {
    expect(await failure(stdin('apiVersion: projectcalico.org/v3\nkind: Tier\nspec: {}\n'))).toBe('stdin document 1: Tier: error with field metadata.name (is required)');
    expect(await failure(stdin('apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: x\n'))).toBe('stdin document 1: Tier: error with field metadata (must be an object)');
  });

  it('checks list items: objects of the list kind, named by item index', async () => {
    const tier = { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 't' }, spec: {} };
    const mixed = { apiVersion: 'projectcalico.org/v3', kind: 'IPPoolList', items: [poolObject('ok'), tier] };
    expect(await failure(stdin(JSON.stringify(mixed)))).toBe('stdin document 1 item 1: a IPPoolList cannot hold a Tier');
    const badItem = { apiVersion: 'projectcalico.org/v3', kind: 'IPPoolList', items: [poolObject('ok'), { ...poolObject('b'), extra: 1 }] };
    expect(await failure(stdin(JSON.stringify(badItem)))).toBe('stdin document 1 item 1: IPPool(b): field in document is not recognized or is in the wrong location: extra');
    expect(await failure(stdin('- 3\n'))).toBe('stdin document 1 item 0: a resource must be an object with apiVersion, kind, metadata and spec');
    const notAList = { apiVersion: 'projectcalico.org/v3', kind: 'IPPoolList', items: 'x' };
    expect(await failure(stdin(JSON.stringify(notAList)))).toBe('stdin document 1: IPPoolList: error with field items (must be a list)');
  });

  it('with full validation, names the document, the resource and the failing field in Calico shape', async () => {
    const root = tempTree({ 'pools.yaml': `${poolYaml('pool-a')}---\n${poolYaml('pool-b', '10.1.0.0/16')}---\n${poolYaml('pool-c', '10.2.0.1/33')}` });
    const file = join(root, 'pools.yaml');
    expect(await failure(options(file, { validate: 'full' }))).toMatch(new RegExp(`^${file} document 3: IPPool\\(pool-c\\): error with field spec\\.cidr = '10\\.2\\.0\\.1/33' \\(.+\\)$`));
    // Structure checks alone accept the value.
    expect(await loadResources(options(file))).toHaveLength(3);
  });

  it('lists several failing fields on one line', async () => {
    const np = 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: Bad_Name\n  namespace: x\nspec:\n  order: -1\n  ingress:\n  - action: Jump\n';
    const message = await failure(stdin(np, { validate: 'full' }));
    expect(message).toMatch(/^stdin document 1: NetworkPolicy\(x\/Bad_Name\): error with the following fields: - {2}\S+ = '\S+' \([^)]+\); - {2}/);
    expect(message).toContain("-  metadata.name = 'Bad_Name' (");
    expect(message).toContain("-  spec.ingress[0].action = 'Jump' (");
    expect(message).not.toContain('\n');
  });

  it('throws for a bad document even when good ones follow, and for a bad file after good files', async () => {
    const root = tempTree({ 'a.yaml': poolYaml('a'), 'b.yaml': `${poolYaml('b')}---\nkind: Gadget\napiVersion: projectcalico.org/v3\n---\n${poolYaml('c')}`, 'c.yaml': poolYaml('d') });
    expect(await failure(options(root))).toBe(`${join(root, 'b.yaml')} document 2: unknown resource type (Gadget) and/or version (projectcalico.org/v3)`);
    expect(await failure(options(join(root, 'b.yaml')))).toContain('document 2:');
  });

  it('refuses a document larger than 10 MiB, naming the source and document', async () => {
    const big = `${poolYaml('a')}---\n${poolYaml('b')}  description: "${'x'.repeat(10 * 1024 * 1024)}"\n`;
    expect(await failure(stdin(big))).toBe('stdin: document 2 is larger than 10 MiB');
  });
});
