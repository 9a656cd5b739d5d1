import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderOutput, type RenderRequest } from '../../../src/cli/output/render.js';
import { compareYamlKeys } from '../../../src/cli/output/yaml-key-order.js';
import { toCalicoYaml } from '../../../src/cli/output/yaml-text.js';
import { obj } from './fixtures.js';

function pool(name: string) {
  return {
    spec: { nodeSelector: 'all()', cidr: '10.0.0.0/24', ipipMode: 'Never' },
    metadata: { resourceVersion: '8134', name, creationTimestamp: '2025-03-01T09:00:00Z', uid: 'u-1' },
    apiVersion: 'projectcalico.org/v3',
    kind: 'IPPool',
  };
}

function request(format: 'yaml' | 'json', units: RenderRequest['units'], kind = 'IPPool'): RenderRequest {
  return { format: { type: format }, kind, namespaced: false, showNamespace: false, units };
}

describe('JSON output', () => {
  it('one object: Calico key order, two-space indent, trailing newline', () => {
    const text = renderOutput(request('json', [{ object: pool('p1') }]));
    expect(text).toBe(`{
  "kind": "IPPool",
  "apiVersion": "projectcalico.org/v3",
  "metadata": {
    "name": "p1",
    "uid": "u-1",
    "resourceVersion": "8134",
    "creationTimestamp": "2025-03-01T09:00:00Z"
  },
  "spec": {
    "nodeSelector": "all()",
    "cidr": "10.0.0.0/24",
    "ipipMode": "Never"
  }
}
`);
  });

  it('a list: the typed List object; empty list has items []', () => {
    expect(renderOutput(request('json', [{ list: { items: [], resourceVersion: '77' } }]))).toBe(`{
  "kind": "IPPoolList",
  "apiVersion": "projectcalico.org/v3",
  "metadata": {
    "resourceVersion": "77"
  },
  "items": []
}
`);
    const full = JSON.parse(renderOutput(request('json', [{ list: { items: [pool('a') as never, pool('b') as never], resourceVersion: '78' } }]))) as { items: { metadata: { name: string } }[] };
    expect(full.items.map((i) => i.metadata.name)).toEqual(['a', 'b']);
    expect(Object.keys(full)).toEqual(['kind', 'apiVersion', 'metadata', 'items']);
    expect(Object.keys(full.items[0]!)).toEqual(['kind', 'apiVersion', 'metadata', 'spec']);
  });

  it('several units: an array; no HTML escaping', () => {
    const gnp = obj('GlobalNetworkPolicy', { name: 'g' }, { selector: "a == 'x' && b != 'y' <>" });
    const text = renderOutput(request('json', [{ object: gnp }, { object: gnp }], 'GlobalNetworkPolicy'));
    expect(text.startsWith('[\n  {\n    "kind": "GlobalNetworkPolicy"')).toBe(true);
    expect(text).toContain(`"selector": "a == 'x' && b != 'y' <>"`);
    expect(text.endsWith(']\n')).toBe(true);
    expect(JSON.parse(text)).toHaveLength(2);
  });

  it('Tier lists come sorted by order in documents too', () => {
    const tiers = [obj('Tier', { name: 'default' }, {}), obj('Tier', { name: 'sec' }, { order: 100 })];
    const list = JSON.parse(renderOutput(request('json', [{ list: { items: tiers, resourceVersion: '1' } }], 'Tier'))) as { items: { metadata: { name: string } }[] };
    expect(list.items.map((t) => t.metadata.name)).toEqual(['sec', 'default']);
  });
});

describe('YAML output', () => {
  it('one object: sorted keys, quoted number- and timestamp-like strings', () => {
    expect(renderOutput(request('yaml', [{ object: pool('p1') }]))).toBe(`apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  creationTimestamp: "2025-03-01T09:00:00Z"
  name: p1
  resourceVersion: "8134"
  uid: u-1
spec:
  cidr: 10.0.0.0/24
  ipipMode: Never
  nodeSelector: all()
`);
  });

  it('a list: items not indented under their key; empty list is items: []', () => {
    expect(renderOutput(request('yaml', [{ list: { items: [], resourceVersion: '12' } }]))).toBe(`apiVersion: projectcalico.org/v3
items: []
kind: IPPoolList
metadata:
  resourceVersion: "12"
`);
    const text = renderOutput(request('yaml', [{ list: { items: [obj('IPPool', { name: 'a' }, { cidr: '10.0.0.0/24' })], resourceVersion: '12' } }]));
    expect(text).toBe(`apiVersion: projectcalico.org/v3
items:
- apiVersion: projectcalico.org/v3
  kind: IPPool
  metadata:
    name: a
  spec:
    cidr: 10.0.0.0/24
kind: IPPoolList
metadata:
  resourceVersion: "12"
`);
  });

  it('several objects: a sequence', () => {
    const text = renderOutput(request('yaml', [{ object: obj('Node', { name: 'n1' }) }, { object: obj('Node', { name: 'n2' }) }], 'Node'));
    expect(text).toBe(`- apiVersion: projectcalico.org/v3
  kind: Node
  metadata:
    name: n1
- apiVersion: projectcalico.org/v3
  kind: Node
  metadata:
    name: n2
`);
  });

  it('quotes YAML 1.1 booleans and nulls, keeps numbers and real booleans plain', () => {
    const text = toCalicoYaml({ a: 'yes', b: 'on', c: 'null', d: '', e: 1000000, f: 0.5, g: true, h: null, i: '1.5', j: 'app == "x"' });
    expect(text).toBe('a: "yes"\nb: "on"\nc: "null"\nd: ""\ne: 1000000\nf: 0.5\ng: true\nh: null\ni: "1.5"\nj: app == "x"\n');
    expect(parse(text, { schema: 'yaml-1.1' })).toMatchObject({ a: 'yes', e: 1000000, i: '1.5' });
  });

  it('sorts label keys like go-yaml v2: non-letters first, digit runs by value, index-like keys not moved to the front', () => {
    const text = toCalicoYaml({ labels: { b: '1', 'a10': '1', a9: '1', _x: '1', A: '1', '10': '1', '9': '1' } });
    expect(text).toBe('labels:\n  _x: "1"\n  "9": "1"\n  "10": "1"\n  A: "1"\n  a9: "1"\n  a10: "1"\n  b: "1"\n');
  });
});

describe('compareYamlKeys', () => {
  it('orders keys as go-yaml v2 does', () => {
    const sorted = ['b', 'a10', 'a9', 'a', 'a_b', 'aB', 'ab', 'x-1', 'x.1', 'x02', 'x2', 'x1'].sort(compareYamlKeys);
    expect(sorted).toEqual(['a', 'a_b', 'a9', 'a10', 'aB', 'ab', 'b', 'x-1', 'x.1', 'x1', 'x2', 'x02']);
    expect(compareYamlKeys('same', 'same')).toBe(0);
    expect(compareYamlKeys('metadata', 'kind')).toBeGreaterThan(0);
  });
});
