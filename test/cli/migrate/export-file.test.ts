import { describe, expect, it } from 'vitest';
import { ExportFileError, ipamEntryCount, kindListText, parseExportFile, trailerText } from '../../../src/cli/migrate/export-file.js';

const V3 = 'projectcalico.org/v3';
const pool = { apiVersion: V3, kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16' } };

describe('export file text', () => {
  it('writes a typed list with sorted keys followed by ---, and an empty list with items: []', () => {
    expect(kindListText({ kind: 'IPPool', items: [pool] })).toBe(
      'apiVersion: projectcalico.org/v3\nitems:\n- apiVersion: projectcalico.org/v3\n  kind: IPPool\n  metadata:\n    name: p\n  spec:\n    cidr: 10.0.0.0/16\nkind: IPPoolList\nmetadata:\n  resourceVersion: ""\n---\n',
    );
    expect(kindListText({ kind: 'BGPFilter', items: [] })).toBe('apiVersion: projectcalico.org/v3\nitems: []\nkind: BGPFilterList\nmetadata:\n  resourceVersion: ""\n---\n');
  });

  it('writes the two JSON sections indented, each after a === line', () => {
    expect(trailerText({ kind: 'ClusterInformation' }, {})).toBe('===\n{\n  "kind": "ClusterInformation"\n}\n===\n{}\n');
  });

  it('reads back what it writes', () => {
    const text = kindListText({ kind: 'IPPool', items: [pool] }) + kindListText({ kind: 'BGPPeer', items: [] }) + trailerText({ kind: 'ClusterInformation', spec: { clusterGUID: 'g' } }, { config: [{ Key: '/calico/ipam/v2/config', Value: {}, TTL: 0 }] });
    const parsed = parseExportFile(text, 'f');
    expect(parsed.lists).toEqual([
      { kind: 'IPPool', items: [pool] },
      { kind: 'BGPPeer', items: [] },
    ]);
    expect(parsed.clusterInformation).toEqual({ kind: 'ClusterInformation', spec: { clusterGUID: 'g' } });
    expect(ipamEntryCount(parsed.ipam)).toBe(1);
  });

  it('needs exactly three sections', () => {
    for (const text of ['a: 1\n===\n{}\n', 'a: 1\n===\n{}\n===\n{}\n===\n{}\n', '']) {
      expect(() => parseExportFile(text, 'x.txt')).toThrow(new ExportFileError("imported file: x.txt is improperly formatted. Try recreating with 'calicoctl export'"));
    }
  });

  it('names the document that is not a typed list, and the section that is not JSON', () => {
    expect(() => parseExportFile('kind: IPPool\nmetadata: {name: p}\n===\n{}\n===\n{}\n', 'f')).toThrow('f document 1: expected a typed list such as IPPoolList');
    expect(() => parseExportFile('kind: IPPoolList\nitems: []\n===\n{\n===\n{}\n', 'f')).toThrow(/^f: the ClusterInformation section is not valid JSON/);
    expect(() => parseExportFile('kind: IPPoolList\nitems: []\n===\n{}\n===\nnope\n', 'f')).toThrow(/^f: the IPAM section is not valid JSON/);
  });
});
