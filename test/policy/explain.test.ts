import { describe, expect, it } from 'vitest';
import { createPolicyView, explainFlow, type AnyResource, type Flow } from '../../src/policy/index.js';
import { gnp, hep, netset, np, ns, pod, sa, tier } from './builders.js';

const base: AnyResource[] = [ns('shop', { team: 'shop' }), ns('ops', { team: 'ops' }), pod('shop', 'web', { labels: { app: 'web' }, ip: '10.0.0.1' }), pod('shop', 'db', { labels: { app: 'db' }, ip: '10.0.0.2', ports: [{ name: 'pg', protocol: 'TCP', port: 5432 }] }), pod('ops', 'mon', { labels: { app: 'mon' }, ip: '10.0.1.1' })];

function verdict(extra: AnyResource[], flow: Partial<Flow> & Pick<Flow, 'source' | 'destination'>, resources = base): string {
  return explainFlow(createPolicyView([...resources, ...extra]), { protocol: 'TCP', port: 5432, ...flow }).verdict;
}

const webToDb = { source: 'shop/web', destination: 'shop/db' };

describe('explainFlow: chain structure (felix/rules/endpoints.go endpointIptablesChain)', () => {
  it('allows through the namespace profile when no policy applies (kns. profile allow-all; profiles after tiers)', () => {
    const r = explainFlow(createPolicyView(base), { ...webToDb, protocol: 'TCP', port: 5432 });
    expect(r.verdict).toBe('allow');
    expect(r.trace.map((c) => [c.endpoint, c.direction, c.profiles[0]?.name, c.profiles[0]?.action])).toEqual([
      ['shop/node1-k8s-web-eth0', 'egress', 'kns.shop', 'Allow'],
      ['shop/node1-k8s-db-eth0', 'ingress', 'kns.shop', 'Allow'],
    ]);
  });

  it('drops when no profile accepts ("Drop if no profiles matched")', () => {
    const weps = [pod('x', 'a', { ip: '10.1.0.1', profiles: [] }), pod('x', 'b', { ip: '10.1.0.2', profiles: ['missing'] })];
    const r = explainFlow(createPolicyView(weps), { source: 'x/a', destination: 'x/b' });
    expect(r.verdict).toBe('deny');
    expect(r.trace[0]?.reason).toMatch(/no profiles/);
  });

  it('drops at the end of a tier that has a policy for the direction but no match ("End of tier … Drop if no policies passed packet")', () => {
    const r = explainFlow(createPolicyView([...base, np('shop', 'only-web', { selector: 'app == "db"', types: ['Ingress'], ingress: [{ action: 'Allow', source: { selector: 'app == "nope"' } }] })]), { ...webToDb, port: 5432 });
    expect(r.verdict).toBe('deny');
    expect(r.trace[1]?.tiers[0]?.outcome).toBe('end-of-tier-deny');
  });

  it('does not drop at the end of a tier whose policies are all for the other direction (tier.IngressPolicies vs EgressPolicies)', () => {
    expect(verdict([np('shop', 'egress-only', { selector: 'app == "db"', types: ['Egress'], egress: [{ action: 'Deny' }] })], webToDb)).toBe('allow');
  });

  it('skips the end-of-tier drop when the tier defaultAction is Pass (tier.DefaultAction != Pass)', () => {
    const pol = gnp('t.p', { tier: 't', selector: 'app == "db"', types: ['Ingress'], ingress: [{ action: 'Allow', source: { selector: 'app == "nope"' } }] });
    expect(verdict([tier('t', 10, 'Pass'), pol], webToDb)).toBe('allow');
    expect(verdict([tier('t', 10, 'Deny'), pol], webToDb)).toBe('deny');
  });

  it('Pass skips the rest of the tier and continues with the next tier (MarkPass, "Start of tier")', () => {
    const r = explainFlow(createPolicyView([...base, tier('sec', 10), gnp('sec.pass', { tier: 'sec', order: 1, selector: 'app == "db"', ingress: [{ action: 'Pass' }] }), gnp('sec.deny', { tier: 'sec', order: 2, selector: 'app == "db"', ingress: [{ action: 'Deny' }] }), np('shop', 'allow', { selector: 'app == "db"', ingress: [{ action: 'Allow' }] })]), { ...webToDb, port: 5432 });
    expect(r.verdict).toBe('allow');
    const ingress = r.trace[1];
    expect(ingress?.tiers.map((t) => [t.tier, t.outcome, t.policies.map((p) => p.name)])).toEqual([
      ['sec', 'pass', ['sec.pass']],
      ['default', 'allow', ['allow']],
    ]);
  });

  it('evaluates the source egress before the destination ingress and stops at the first deny', () => {
    const r = explainFlow(createPolicyView([...base, np('shop', 'no-egress', { selector: 'app == "web"', types: ['Egress'], egress: [{ action: 'Deny' }] })]), { ...webToDb, port: 5432 });
    expect(r.verdict).toBe('deny');
    expect(r.trace).toHaveLength(1);
    expect(r.decidedBy).toContain('no-egress rule 0 (Deny)');
  });

  it('Log rules do not decide; the next rule does (Log action is non-terminal)', () => {
    const r = explainFlow(createPolicyView([...base, np('shop', 'log', { selector: 'app == "db"', ingress: [{ action: 'Log' }, { action: 'Deny' }] })]), { ...webToDb, port: 5432 });
    expect(r.verdict).toBe('deny');
    expect(r.trace[1]?.tiers[0]?.policies[0]).toMatchObject({ logged: [0], ruleIndex: 1, action: 'Deny' });
  });
});

describe('explainFlow: order (felix/calc/policy_sorter.go PolKVLess, TierLess)', () => {
  it('breaks equal orders by name/namespace/kind, and treats a missing order as +Inf', () => {
    const view = createPolicyView([...base, np('shop', 'b', { order: 5, selector: 'app == "db"', ingress: [{ action: 'Deny' }] }), np('shop', 'a', { order: 5, selector: 'app == "db"', ingress: [{ action: 'Allow' }] }), np('shop', 'first', { selector: 'app == "db"', ingress: [{ action: 'Deny' }] })]);
    const r = explainFlow(view, { ...webToDb, port: 5432 });
    expect(r.verdict).toBe('allow');
    expect(r.decidedBy).toContain('shop/a rule 0');
  });

  it('sorts tiers by order, unordered tiers after, then by name', () => {
    const view = createPolicyView([...base, tier('z', 1), tier('y'), gnp('y.p', { tier: 'y', selector: 'all()', ingress: [{ action: 'Deny' }] }), gnp('z.p', { tier: 'z', selector: 'all()', ingress: [{ action: 'Pass' }] })]);
    const tiers = explainFlow(view, { ...webToDb, port: 5432 }).trace[1]?.tiers.map((t) => t.tier);
    expect(tiers).toEqual(['z', 'y']);
  });
});

describe('explainFlow: types (felix/calc/policy_sorter.go ExtractPolicyMetadata)', () => {
  it('a policy applies only in the directions of its types', () => {
    expect(verdict([np('shop', 'ingress-deny', { selector: 'app == "web"', types: ['Ingress'], ingress: [{ action: 'Deny' }] })], webToDb)).toBe('allow');
    expect(verdict([np('shop', 'egress-deny', { selector: 'app == "web"', types: ['Egress'], egress: [{ action: 'Deny' }] })], webToDb)).toBe('deny');
  });
});

describe('explainFlow: selectors (libcalico-go updateprocessors rules.go getEndpointSelector)', () => {
  it('scopes a namespaced rule selector to the policy namespace', () => {
    const allowApp = (app: string) => np('shop', 'allow', { selector: 'app == "db"', ingress: [{ action: 'Allow', source: { selector: `app == "${app}"` } }] });
    const extra = [pod('ops', 'web2', { labels: { app: 'web' }, ip: '10.0.1.2' })];
    expect(verdict([allowApp('web'), ...extra], { source: 'ops/web2', destination: 'shop/db' })).toBe('deny');
    expect(verdict([allowApp('web'), ...extra], webToDb)).toBe('allow');
  });

  it('a namespaceSelector matches the peer namespace labels (pcns.) and lifts the scoping', () => {
    const pol = np('shop', 'from-ops', { selector: 'app == "db"', ingress: [{ action: 'Allow', source: { namespaceSelector: 'team == "ops"' } }] });
    expect(verdict([pol], { source: 'ops/mon', destination: 'shop/db' })).toBe('allow');
    expect(verdict([pol], webToDb)).toBe('deny');
  });

  it('namespaceSelector all() means any namespaced endpoint', () => {
    const pol = np('shop', 'any-ns', { selector: 'app == "db"', ingress: [{ action: 'Allow', source: { namespaceSelector: 'all()', selector: 'app == "mon"' } }] });
    expect(verdict([pol], { source: 'ops/mon', destination: 'shop/db' })).toBe('allow');
  });

  it('serviceAccounts names and selector match the peer service account (pcsa. labels)', () => {
    const res = [...base, sa('ops', 'prom', { role: 'metrics' }), pod('ops', 'prom', { labels: {}, ip: '10.0.1.9', serviceAccount: 'prom' })];
    const byName = np('shop', 'sa', { selector: 'app == "db"', ingress: [{ action: 'Allow', source: { namespaceSelector: 'all()', serviceAccounts: { names: ['prom'] } } }] });
    const bySel = np('shop', 'sa', { selector: 'app == "db"', ingress: [{ action: 'Allow', source: { namespaceSelector: 'all()', serviceAccounts: { selector: 'role == "metrics"' } } }] });
    expect(verdict([byName], { source: 'ops/prom', destination: 'shop/db' }, res)).toBe('allow');
    expect(verdict([bySel], { source: 'ops/prom', destination: 'shop/db' }, res)).toBe('allow');
    expect(verdict([bySel], { source: 'ops/mon', destination: 'shop/db' }, res)).toBe('deny');
  });

  it('a GlobalNetworkPolicy namespaceSelector selects endpoints by namespace labels (globalnetworkpolicyprocessor.go)', () => {
    expect(verdict([gnp('deny-shop', { namespaceSelector: 'team == "shop"', ingress: [{ action: 'Deny' }] })], webToDb)).toBe('deny');
    expect(verdict([gnp('deny-ops', { namespaceSelector: 'team == "ops"', ingress: [{ action: 'Deny' }] })], webToDb)).toBe('allow');
  });

  it('notSelector excludes matching peers, and in a namespaced policy also scopes the peer to the namespace (getEndpointSelector adds the namespace term when notSelector is set)', () => {
    const res = [...base, pod('shop', 'cron', { labels: { app: 'cron' }, ip: '10.0.0.3' })];
    const pol = np('shop', 'not-web', { selector: 'app == "db"', ingress: [{ action: 'Allow', source: { notSelector: 'app == "web"' } }] });
    expect(verdict([pol], webToDb, res)).toBe('deny');
    expect(verdict([pol], { source: 'shop/cron', destination: 'shop/db' }, res)).toBe('allow');
    expect(verdict([pol], { source: 'ops/mon', destination: 'shop/db' }, res)).toBe('deny');
    const global = gnp('not-web', { selector: 'app == "db"', ingress: [{ action: 'Allow', source: { notSelector: 'app == "web"' } }] });
    expect(verdict([global], { source: 'ops/mon', destination: 'shop/db' }, res)).toBe('allow');
  });

  it('NetworkSets match as selector peers by their nets; GlobalNetworkSets too', () => {
    const res = [...base, netset('GlobalNetworkSet', 'corp', { zone: 'corp' }, ['192.168.0.0/16']), netset('NetworkSet', 'partners', { zone: 'partner' }, ['172.16.0.0/12'], 'shop')];
    const pol = np('shop', 'ext', { selector: 'app == "db"', ingress: [{ action: 'Allow', source: { selector: 'zone == "partner"' } }, { action: 'Allow', source: { namespaceSelector: 'global()', selector: 'zone == "corp"' } }] });
    expect(verdict([pol], { source: { ip: '172.16.5.5' }, destination: 'shop/db' }, res)).toBe('allow');
    expect(verdict([pol], { source: { ip: '192.168.1.1' }, destination: 'shop/db' }, res)).toBe('allow');
    expect(verdict([pol], { source: { ip: '8.8.8.8' }, destination: 'shop/db' }, res)).toBe('deny');
  });
});

describe('explainFlow: L3/L4 matches (felix/rules/policy.go CalculateRuleMatch, FilterRuleToIPVersion)', () => {
  it('nets and notNets match the peer address', () => {
    const pol = np('shop', 'nets', { selector: 'app == "db"', ingress: [{ action: 'Allow', source: { nets: ['10.0.0.0/24'], notNets: ['10.0.0.128/25'] } }] });
    expect(verdict([pol], webToDb)).toBe('allow');
    expect(verdict([pol], { source: { ip: '10.0.0.200' }, destination: 'shop/db' })).toBe('deny');
  });

  it('filters nets by IP family: a rule whose nets are all of the other family is not rendered', () => {
    const pol = np('shop', 'v6', { selector: 'app == "db"', types: ['Ingress'], ingress: [{ action: 'Deny', source: { nets: ['fd00::/8'] } }, { action: 'Allow' }] });
    expect(verdict([pol], webToDb)).toBe('allow');
    const onlyV6NotNets = np('shop', 'v6not', { selector: 'app == "db"', types: ['Ingress'], ingress: [{ action: 'Allow', source: { notNets: ['fd00::/8'] } }] });
    expect(verdict([onlyV6NotNets], webToDb)).toBe('deny');
  });

  it('ipVersion restricts a rule to one family', () => {
    const pol = np('shop', 'v6only', { selector: 'app == "db"', ingress: [{ action: 'Allow', ipVersion: 6 }] });
    expect(verdict([pol], webToDb)).toBe('deny');
  });

  it('protocol, ports, notProtocol and notPorts', () => {
    const tcp5432 = np('shop', 'p', { selector: 'app == "db"', ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [5432, '6000:6010'] } }] });
    expect(verdict([tcp5432], { ...webToDb, port: 5432 })).toBe('allow');
    expect(verdict([tcp5432], { ...webToDb, port: 6005 })).toBe('allow');
    expect(verdict([tcp5432], { ...webToDb, port: 80 })).toBe('deny');
    expect(verdict([tcp5432], { ...webToDb, protocol: 'UDP' })).toBe('deny');
    const notUdp = np('shop', 'n', { selector: 'app == "db"', ingress: [{ action: 'Allow', notProtocol: 'UDP' }] });
    expect(verdict([notUdp], webToDb)).toBe('allow');
    expect(verdict([notUdp], { ...webToDb, protocol: 'udp' })).toBe('deny');
    const notPorts = np('shop', 'np', { selector: 'app == "db"', ingress: [{ action: 'Allow', protocol: 'TCP', destination: { notPorts: [22] } }] });
    expect(verdict([notPorts], { ...webToDb, port: 22 })).toBe('deny');
    expect(verdict([notPorts], { ...webToDb, port: 23 })).toBe('allow');
  });

  it('named ports resolve against the destination endpoint ports', () => {
    const pol = np('shop', 'named', { selector: 'app == "db"', ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: ['pg'] } }] });
    expect(verdict([pol], { ...webToDb, port: 5432 })).toBe('allow');
    expect(verdict([pol], { ...webToDb, port: 5433 })).toBe('deny');
    expect(verdict([pol], { ...webToDb, protocol: 'UDP', port: 5432 })).toBe('deny');
  });

  it('ICMP type/code and notICMP', () => {
    const pol = np('shop', 'icmp', { selector: 'app == "db"', ingress: [{ action: 'Allow', protocol: 'ICMP', icmp: { type: 8, code: 0 } }] });
    expect(verdict([pol], { ...webToDb, protocol: 'ICMP', port: undefined, icmp: { type: 8, code: 0 } })).toBe('allow');
    expect(verdict([pol], { ...webToDb, protocol: 'ICMP', port: undefined, icmp: { type: 0, code: 0 } })).toBe('deny');
    const notEcho = np('shop', 'icmp', { selector: 'app == "db"', ingress: [{ action: 'Allow', protocol: 'ICMP', notICMP: { type: 8 } }] });
    expect(verdict([notEcho], { ...webToDb, protocol: 'ICMP', port: undefined, icmp: { type: 8, code: 0 } })).toBe('deny');
    expect(verdict([notEcho], { ...webToDb, protocol: 'ICMP', port: undefined, icmp: { type: 3, code: 1 } })).toBe('allow');
  });

  it('reports an HTTP match as not enforced at L3/L4 and matches on the rest (the iptables rule has no HTTP criteria)', () => {
    const pol = np('shop', 'http', { selector: 'app == "db"', ingress: [{ action: 'Allow', http: { methods: ['GET'] } }] });
    const r = explainFlow(createPolicyView([...base, pol]), { ...webToDb, protocol: 'TCP', port: 5432 });
    expect(r.verdict).toBe('allow');
    expect(r.trace[1]?.tiers[0]?.policies[0]?.notes?.[0]).toMatch(/HTTP match not enforced at L3\/L4/);
  });

  it('bare-IP peers: traffic from outside the cluster has no egress chain', () => {
    const r = explainFlow(createPolicyView(base), { source: '8.8.8.8', destination: 'shop/db', protocol: 'TCP', port: 5432 });
    expect(r.trace.map((c) => c.direction)).toEqual(['ingress']);
  });
});

describe('explainFlow: staged policies (updateprocessors staged*processor.go, endpoints.go KindIsStaged)', () => {
  const staged = { apiVersion: 'projectcalico.org/v3', kind: 'StagedNetworkPolicy', metadata: { name: 'lockdown', namespace: 'shop' }, spec: { selector: 'app == "db"', types: ['Ingress'], ingress: [{ action: 'Deny' }] } };

  it('is not enforced, but decides the staged verdict', () => {
    const r = explainFlow(createPolicyView([...base, staged]), { ...webToDb, protocol: 'TCP', port: 5432 });
    expect(r.verdict).toBe('allow');
    expect(r.staged.verdict).toBe('deny');
    expect(r.staged.decidedBy).toContain('StagedNetworkPolicy shop/lockdown');
  });

  it('a tier holding only staged policies does not end-of-tier drop enforced traffic', () => {
    const noMatch = { ...staged, spec: { ...staged.spec, ingress: [{ action: 'Allow', source: { selector: 'app == "nope"' } }] } };
    const r = explainFlow(createPolicyView([...base, noMatch]), { ...webToDb, protocol: 'TCP', port: 5432 });
    expect(r.verdict).toBe('allow');
    expect(r.staged.verdict).toBe('deny');
  });

  it('stagedAction Delete is never sent to Felix', () => {
    const del = { ...staged, spec: { ...staged.spec, stagedAction: 'Delete' } };
    expect(explainFlow(createPolicyView([...base, del]), { ...webToDb, protocol: 'TCP', port: 5432 }).staged.verdict).toBe('allow');
  });
});

describe('explainFlow: host endpoints (endpoints.go chain types; static.go raw/mangle/filter)', () => {
  const host = hep('node1-eth0', { host: 'node1' }, ['192.168.0.10']);

  it('a host endpoint with no policy and no profile drops traffic to the host', () => {
    expect(verdict([host], { source: '8.8.8.8', destination: 'node1-eth0', port: 22 })).toBe('deny');
  });

  it('forwarded traffic through a host endpoint is allowed when no applyOnForward policy applies', () => {
    const r = explainFlow(createPolicyView([...base, host]), { source: '8.8.8.8', destination: 'shop/db', via: { ingress: 'node1-eth0' }, protocol: 'TCP', port: 5432 });
    expect(r.verdict).toBe('allow');
    expect(r.trace.map((c) => c.stage)).toEqual(['untracked', 'preDNAT', 'forward', 'normal']);
  });

  it('applyOnForward policies govern forwarded traffic; plain host policies do not', () => {
    const deny = (extra: Record<string, unknown>) => gnp('h', { selector: 'host == "node1"', types: ['Ingress'], ingress: [{ action: 'Deny' }], ...extra });
    const flow = { source: '8.8.8.8', destination: 'shop/db', via: { ingress: 'node1-eth0' } };
    expect(verdict([host, deny({})], flow)).toBe('allow');
    expect(verdict([host, deny({ applyOnForward: true })], flow)).toBe('deny');
  });

  it('preDNAT Deny drops; preDNAT Allow still leaves the normal policy to run', () => {
    const pre = (action: string) => gnp('pre', { selector: 'host == "node1"', preDNAT: true, applyOnForward: true, types: ['Ingress'], ingress: [{ action }] });
    expect(verdict([host, pre('Deny')], { source: '8.8.8.8', destination: 'node1-eth0', port: 22 })).toBe('deny');
    const r = explainFlow(createPolicyView([...base, host, pre('Allow')]), { source: '8.8.8.8', destination: 'node1-eth0', protocol: 'TCP', port: 22 });
    expect(r.verdict).toBe('deny');
    expect(r.trace.map((c) => `${c.stage}:${c.outcome}`)).toEqual(['untracked:continue', 'preDNAT:allow', 'normal:deny']);
  });

  it('doNotTrack Allow accepts and skips the host side\'s later chains', () => {
    const dnt = gnp('dnt', { selector: 'host == "node1"', doNotTrack: true, applyOnForward: true, types: ['Ingress'], ingress: [{ action: 'Allow' }] });
    const r = explainFlow(createPolicyView([...base, host, dnt]), { source: '8.8.8.8', destination: 'node1-eth0', protocol: 'TCP', port: 22 });
    expect(r.verdict).toBe('allow');
    expect(r.trace.map((c) => c.stage)).toEqual(['untracked']);
  });
});
