/**
 * Lists printed page by page must be byte-identical to the whole list printed at once, and the
 * YAML items written without the yaml library identical to what the library prints.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResourceObject } from '../../../src/backends/backend.js';
import { listDocumentWriter } from '../../../src/cli/output/list-document.js';
import { renderOutput } from '../../../src/cli/output/render.js';
import { simpleYamlListItem } from '../../../src/cli/output/yaml-items.js';
import { toCalicoYaml } from '../../../src/cli/output/yaml-text.js';

/** Words and texts that YAML treats specially, next to ordinary ones. */
const TRICKY = [
  'y', 'Y', 'yes', 'No', 'on', 'OFF', 'true', 'null', '~', '', ' ', 'a b', 'a: b', 'x:', ':x', '#x', 'a#b', '-', '-a', '- a', '?', '?x', '*a', '&a', '!a', '%a', '@a', '`a',
  '8134', '0x1F', '0o17', '017', '1_000', '1:20', '1.5', '.5', '.inf', '-.inf', '.NaN', '1e3', '+1', '2025-03-01', '2025-03-01T09:00:00Z', '2025-03-01 09:00:00',
  '...', '---', '... x', 'all()', 'has(a) && b == "c"', "it's", 'say "hi"', 'a\nb', 'tab\there', 'é', '名前', '😀', 'a,b', '[a]', '{a}', 'fd00::/64', '10.0.0.0/24',
  'projectcalico.org/tier', 'x'.repeat(90), `${'word '.repeat(20)}end`, '00000000-0000-4000-8000-000000000001', '=', 'a=b', '(x)', '/etc', '_x', 'a.b.c',
];

const key = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 8 }), fc.constantFrom('apiVersion', 'kind', 'metadata', 'spec', 'a9', 'a10', 'B', 'b'));
const leaf = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(-0),
  fc.constant(2 ** 60),
);
const value = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, leaf, tie('map'), tie('list')),
  map: fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
  list: fc.array(tie('tree'), { maxLength: 4 }),
})).tree;
const resource = fc.record({
  apiVersion: fc.constant('projectcalico.org/v3'),
  kind: fc.constant('IPPool'),
  metadata: fc.record({ name: fc.oneof(fc.constantFrom(...TRICKY), fc.stringMatching(/^[a-z0-9.-]{1,20}$/)), resourceVersion: fc.stringMatching(/^[0-9]{1,6}$/), labels: fc.dictionary(key, fc.constantFrom(...TRICKY)) }),
  spec: fc.dictionary(key, value, { maxKeys: 6 }),
}) as fc.Arbitrary<unknown> as fc.Arbitrary<ResourceObject>;

function paged(format: 'yaml' | 'json', items: ResourceObject[], cuts: number[], resourceVersion: string): string {
  const writer = listDocumentWriter(format, 'IPPool', resourceVersion);
  let text = '';
  let from = 0;
  for (const cut of [...cuts.map((c) => c % (items.length + 1)).sort((a, b) => a - b), items.length]) {
    text += writer.items(items.slice(from, Math.max(from, cut)));
    from = Math.max(from, cut);
  }
  return text + writer.end();
}

describe('lists printed page by page', () => {
  it('are byte-identical to the whole list, in YAML and JSON, however the pages are cut', () => {
    fc.assert(
      fc.property(fc.array(resource, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 4 }), fc.stringMatching(/^[0-9]{1,8}(\/[0-9]{1,3})?$/), (items, cuts, rv) => {
        for (const format of ['yaml', 'json'] as const) {
          const whole = renderOutput({ format: { type: format }, kind: 'IPPool', namespaced: false, showNamespace: false, units: [{ list: { items, resourceVersion: rv } }] });
          expect(paged(format, items, cuts, rv)).toBe(whole);
        }
      }),
      { numRuns: 300, seed: 19 },
    );
  });

  it('write YAML items without the library exactly as the library does, whenever they take that path', () => {
    // Mostly words the library prints plain or double-quoted, so that most items take the path.
    const wordKey = fc.oneof(fc.constantFrom('a', 'B', 'y', 'on', 'spec', 'a9', 'a10', '8134'), fc.stringMatching(/^[a-z][a-z0-9.-]{0,6}$/));
    const wordLeaf = fc.oneof(fc.constantFrom('Never', 'all()', '8134', '2025-03-01T09:00:00Z', 'yes', 'fd00::/64', '10.0.0.0/24', 'x:', '.inf', '1:20'), fc.integer(), fc.boolean(), fc.constant(null));
    const words = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, wordLeaf, tie('map'), tie('list')),
      map: fc.dictionary(wordKey, tie('tree'), { minKeys: 1, maxKeys: 5 }),
      list: fc.array(tie('tree'), { maxLength: 4 }),
    })).map;
    let simpleItems = 0;
    fc.assert(
      fc.property(fc.oneof(resource, value, words), (item) => {
        const simple = simpleYamlListItem(item);
        if (simple === undefined) return;
        simpleItems += 1;
        expect(simple).toBe(toCalicoYaml([item]));
      }),
      { numRuns: 3000, seed: 19 },
    );
    expect(simpleItems).toBeGreaterThan(300);
  });

  it('write stored resources of the usual shapes without the library', () => {
    const stored: ResourceObject = {
      kind: 'IPPool',
      apiVersion: 'projectcalico.org/v3',
      metadata: { name: 'pool-000001', uid: '00000000-0000-4000-8000-000000000001', resourceVersion: '8134', creationTimestamp: '2025-03-01T09:00:00Z', labels: { env: 'prod', 'projectcalico.org/tier': 'default' } },
      spec: { cidr: 'fd00:10::/64', blockSize: 122, ipipMode: 'Never', vxlanMode: 'CrossSubnet', natOutgoing: true, disabled: false, nodeSelector: 'all()', allowedUses: ['Workload', 'Tunnel'], assignmentMode: 'Automatic' },
      status: { conditions: [{ type: 'Allocatable', status: 'True', lastTransitionTime: '2025-03-01T09:00:00Z', reason: 'OK', message: '' }] },
    };
    // An empty message is quoted by the library; everything else here is a plain word.
    const { status: _status, ...withoutStatus } = stored;
    for (const item of [withoutStatus]) {
      const simple = simpleYamlListItem(item);
      expect(simple).toBe(toCalicoYaml([item]));
    }
  });
});
