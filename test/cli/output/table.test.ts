import { describe, expect, it } from 'vitest';
import { renderTable } from '../../../src/cli/output/table.js';
import { renderOutput, type RenderRequest } from '../../../src/cli/output/render.js';
import { obj } from './fixtures.js';

function request(partial: Partial<RenderRequest> & Pick<RenderRequest, 'kind' | 'units'>): RenderRequest {
  return { format: { type: 'ps' }, namespaced: false, showNamespace: false, ...partial };
}

describe('renderTable', () => {
  it('pads every cell to max(5, longest + 3), the last one too, and ends with an empty line', () => {
    expect(renderTable(['A', 'LONGER'], [['x', 'yy'], ['abc', '']])).toBe(
      'A     LONGER   \n' +
      'x     yy       \n' +
      'abc            \n' +
      '\n',
    );
  });

  it('prints the header alone for no rows', () => {
    expect(renderTable(['NAME', 'CIDR', 'SELECTOR'], [])).toBe('NAME   CIDR   SELECTOR   \n\n');
  });

  it('counts code points, not UTF-16 units', () => {
    expect(renderTable(['N'], [['é😀']])).toBe('N    \né😀   \n\n');
  });
});

describe('renderOutput tables (cli.md §8.2 examples)', () => {
  it('get ippools', () => {
    const pool = obj('IPPool', { name: 'ippool-name1' }, { cidr: '10.0.1.0/24', nodeSelector: "foo == 'bar'" });
    const text = renderOutput(request({ kind: 'IPPool', units: [{ list: { items: [pool], resourceVersion: '1' } }] }));
    expect(text).toBe(
      'NAME           CIDR          SELECTOR       \n' +
      "ippool-name1   10.0.1.0/24   foo == 'bar'   \n" +
      '\n',
    );
  });

  it('get networkpolicy -A -o wide puts NAMESPACE first', () => {
    const items = [
      obj('NetworkPolicy', { name: 'allow-web', namespace: 'shop' }, { tier: 'default', order: 100, selector: "app == 'web'" }),
      obj('NetworkPolicy', { name: 'knp.default.deny-all', namespace: 'shop' }, { tier: 'default', order: 1000, selector: "projectcalico.org/orchestrator == 'k8s'" }),
    ];
    const text = renderOutput(request({ format: { type: 'wide' }, kind: 'NetworkPolicy', namespaced: true, showNamespace: true, units: [{ list: { items, resourceVersion: '9' } }] }));
    expect(text).toBe(
      'NAMESPACE   NAME                   TIER      ORDER   SELECTOR                                  \n' +
      "shop        allow-web              default   100     app == 'web'                              \n" +
      "shop        knp.default.deny-all   default   1000    projectcalico.org/orchestrator == 'k8s'   \n" +
      '\n',
    );
  });

  it('no NAMESPACE column without -A/-n, nor for cluster-wide kinds', () => {
    const np = obj('NetworkPolicy', { name: 'p', namespace: 'shop' }, { tier: 'default' });
    expect(renderOutput(request({ kind: 'NetworkPolicy', namespaced: true, units: [{ object: np }] }))).toBe('NAME   TIER      \np      default   \n\n');
    const gnp = obj('GlobalNetworkPolicy', { name: 'g' }, { tier: 'default' });
    expect(renderOutput(request({ kind: 'GlobalNetworkPolicy', showNamespace: true, units: [{ object: gnp }] }))).toBe('NAME   TIER      \ng      default   \n\n');
  });

  it('two named objects print two tables, each with its header', () => {
    const a = obj('IPPool', { name: 'a' }, { cidr: '10.0.0.0/24', nodeSelector: 'all()' });
    const b = obj('IPPool', { name: 'pool-b' }, { cidr: '10.1.0.0/16', nodeSelector: 'all()' });
    expect(renderOutput(request({ kind: 'IPPool', units: [{ object: a }, { object: b }] }))).toBe(
      'NAME   CIDR          SELECTOR   \n' +
      'a      10.0.0.0/24   all()      \n' +
      '\n' +
      'NAME     CIDR          SELECTOR   \n' +
      'pool-b   10.1.0.0/16   all()      \n' +
      '\n',
    );
  });

  it('an empty list prints the header and the empty line', () => {
    expect(renderOutput(request({ kind: 'IPPool', units: [{ list: { items: [], resourceVersion: '3' } }] }))).toBe('NAME   CIDR   SELECTOR   \n\n');
    expect(renderOutput(request({ kind: 'WorkloadEndpoint', namespaced: true, showNamespace: true, units: [{ list: { items: [], resourceVersion: '3' } }] }))).toBe(
      'NAMESPACE   WORKLOAD   NODE   NETWORKS   INTERFACE   \n\n',
    );
  });

  it('tier lists go by order with unordered tiers last; <nil> for the missing order; 1e+06', () => {
    const items = [
      obj('Tier', { name: 'default' }, {}),
      obj('Tier', { name: 'big' }, { order: 1000000 }),
      obj('Tier', { name: 'security' }, { order: 100 }),
      obj('Tier', { name: 'kube-admin' }, { order: 1000 }),
    ];
    expect(renderOutput(request({ kind: 'Tier', units: [{ list: { items, resourceVersion: '5' } }] }))).toBe(
      'NAME         ORDER   \n' +
      'security     100     \n' +
      'kube-admin   1000    \n' +
      'big          1e+06   \n' +
      'default      <nil>   \n' +
      '\n',
    );
    expect(items.map((t) => t.metadata.name)).toEqual(['default', 'big', 'security', 'kube-admin']);
  });

  it('other lists keep their order', () => {
    const items = [obj('Node', { name: 'n2' }), obj('Node', { name: 'n1' })];
    expect(renderOutput(request({ kind: 'Node', units: [{ list: { items, resourceVersion: '5' } }] }))).toBe('NAME   \nn2     \nn1     \n\n');
  });

  it('custom columns print exactly the named columns, never NAMESPACE unless asked', () => {
    const wep = obj('WorkloadEndpoint', { name: 'node1-k8s-pod1-eth0', namespace: 'shop' }, { node: 'node1', pod: 'pod1', orchestrator: 'k8s', interfaceName: 'cali1' });
    const text = renderOutput(request({
      format: { type: 'custom', columns: ['ORCHESTRATOR', 'NAME', 'NAMESPACE'] },
      kind: 'WorkloadEndpoint', namespaced: true, showNamespace: true, units: [{ object: wep }],
    }));
    expect(text).toBe('ORCHESTRATOR   NAME                  NAMESPACE   \nk8s            node1-k8s-pod1-eth0   shop        \n\n');
    const noNamespace = renderOutput(request({ format: { type: 'custom', columns: ['NODE'] }, kind: 'WorkloadEndpoint', namespaced: true, showNamespace: true, units: [{ object: wep }] }));
    expect(noNamespace).toBe('NODE    \nnode1   \n\n');
  });

  it('an unknown custom column fails, even for an empty list', () => {
    const run = () => renderOutput(request({ format: { type: 'custom', columns: ['NAME', 'COLOUR'] }, kind: 'IPPool', units: [{ list: { items: [], resourceVersion: '1' } }] }));
    expect(run).toThrow('unknown heading COLOUR, valid values are: NAME, CIDR, NAT, IPIPMODE, VXLANMODE, DISABLED, DISABLEBGPEXPORT, SELECTOR, ASSIGNMENTMODE');
  });

  it('prints nothing for no units', () => {
    expect(renderOutput(request({ kind: 'Node', units: [] }))).toBe('');
  });
});
