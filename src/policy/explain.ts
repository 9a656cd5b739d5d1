/**
 * `explainFlow`: the verdict Felix would give one flow, and why.
 *
 * The walk follows Felix's rendered chains (`felix/rules/endpoints.go`
 * `endpointIptablesChain`): the source endpoint's egress, then the destination endpoint's ingress;
 * in each, every tier with a policy for that direction, its policies in order (`PolKVLess`), the
 * first matching rule of each policy; `Pass` skips to the next tier; a tier that has an enforced
 * policy for the direction ends in its `defaultAction` (Deny unless Pass); after the tiers come
 * the profiles, and a workload or host endpoint nothing accepted is dropped.
 *
 * @module
 */
import { ValidationError } from '../errors.js';
import type { IPFamily } from '../model/net.js';
import { parseFlowAddress, type FlowAddress } from './addresses.js';
import type { CompiledEntity, CompiledPorts, CompiledRule } from './compiled-rule.js';
import { protocolToNumber } from './compiled-rule.js';
import type { ChainStage, PolicyView, ViewItem, ViewPolicy } from './view.js';

/** One end of a flow: an endpoint reference (`ns/pod`, `ns/wep-name`, host endpoint name) or an address. */
export type FlowPeer = string | { endpoint: string } | { ip: string };

/** The flow to judge. */
export interface Flow {
  /** Sender. A string is an endpoint reference, or an address when it parses as one. */
  source: FlowPeer;
  /** Receiver. */
  destination: FlowPeer;
  /** Protocol name (any case) or number. @default 'TCP' */
  protocol?: string | number;
  /** Destination port. */
  port?: number;
  /** Source port; rules with source ports match only when it is given. */
  sourcePort?: number;
  /** ICMP type and code. */
  icmp?: { type?: number; code?: number };
  /** IP family when neither end is an address. @default 4 */
  ipVersion?: IPFamily;
  /**
   * Host endpoints the flow is forwarded through: `ingress` where it enters a host (before it
   * reaches the destination workload), `egress` where it leaves one (after the source workload).
   */
  via?: { ingress?: string; egress?: string };
}

/** A verdict. */
export type Verdict = 'allow' | 'deny';

/** What one policy did. */
export interface PolicyStep {
  /** Felix's kind of the policy. */
  kind: string;
  /** Namespace, `''` for global kinds. */
  namespace: string;
  /** Name. */
  name: string;
  /** True for a staged policy. */
  staged: boolean;
  /** Index of the first matching rule with a terminal action, if any. */
  ruleIndex?: number;
  /** That rule's action: Allow, Deny or Pass; `none` when no rule matched. */
  action: 'Allow' | 'Deny' | 'Pass' | 'none';
  /** Indexes of matching `Log` rules passed on the way. */
  logged?: number[];
  /** Notes: matches that the L3/L4 dataplane does not enforce and that were not evaluated. */
  notes?: string[];
}

/** What one tier did. */
export interface TierStep {
  /** Tier name. */
  tier: string;
  /** The policies of the tier that apply, in order, up to the deciding one. */
  policies: PolicyStep[];
  /** The tier's outcome. */
  outcome: 'allow' | 'deny' | 'pass' | 'end-of-tier-deny' | 'end-of-tier-pass';
}

/** One chain Felix runs for this flow (an endpoint in one direction, at one stage). */
export interface ChainStep {
  /** `namespace/name` of the workload endpoint or the host endpoint's name. */
  endpoint: string;
  /** Kind of the endpoint. */
  endpointKind: 'WorkloadEndpoint' | 'HostEndpoint';
  /** Direction from the endpoint's point of view. */
  direction: 'egress' | 'ingress';
  /** Felix chain type: normal, forward (applyOnForward), preDNAT or untracked (doNotTrack). */
  stage: 'normal' | 'forward' | 'preDNAT' | 'untracked';
  /** The tiers, in order. */
  tiers: TierStep[];
  /** Profiles consulted (normal chains only, when no tier decided). */
  profiles: { name: string; ruleIndex?: number; action: 'Allow' | 'Deny' | 'none' | 'missing' }[];
  /** The outcome: allow/deny decides; `continue` hands the packet to the next chain. */
  outcome: 'allow' | 'deny' | 'continue';
  /** Why: the deciding policy/profile, end of tier, or default. */
  reason: string;
}

/** The result of {@link explainFlow}. */
export interface FlowExplanation {
  /** The enforced verdict. */
  verdict: Verdict;
  /** The chains walked for the enforced verdict, source side first. */
  trace: ChainStep[];
  /** The deciding step's reason (the first chain that denied, or the last that allowed). */
  decidedBy: string;
  /** What the flow would get with staged policies enforced (Felix's pending verdict). */
  staged: { verdict: Verdict; trace: ChainStep[]; decidedBy: string };
}

interface ResolvedPeer {
  item?: ViewItem;
  address?: FlowAddress;
}

interface Packet {
  /** Cache keys of {@link candidateRules}, one per direction. */
  ingressKey: string;
  egressKey: string;
  family: IPFamily;
  protocol: number;
  port?: number;
  sourcePort?: number;
  icmp?: { type?: number; code?: number };
  src: ResolvedPeer;
  dst: ResolvedPeer;
}

const ADDRESS_LIKE = /^[0-9a-fA-F:.]+(\/\d+)?$/;

function badRef(path: string, ref: string, why: string): ValidationError {
  return new ValidationError([{ path, message: `${JSON.stringify(ref)} ${why}`, type: 'invalid' }]);
}

function resolvePeer(view: PolicyView, peer: FlowPeer, family: IPFamily | undefined, path: string): ResolvedPeer {
  const ref = typeof peer === 'string' ? peer : 'ip' in peer ? peer.ip : peer.endpoint;
  if (typeof peer !== 'string' && 'ip' in peer) {
    const address = parseFlowAddress(ref);
    if (!address) throw badRef(path, ref, 'is not an IP address');
    return { address };
  }
  const item = view.findEndpoint(ref);
  if (item) {
    const address = item.addresses.find((a) => family === undefined || a.family === family) ?? item.addresses[0];
    return address ? { item, address } : { item };
  }
  const address = typeof peer === 'string' ? parseFlowAddress(ref) : undefined;
  if (address) return { address };
  throw badRef(path, ref, 'names no workload endpoint, pod or host endpoint in the view, and is not an IP address');
}

function inRanges(ports: CompiledPorts, port: number): boolean {
  for (const r of ports.ranges) if (port >= r.min && port <= r.max) return true;
  return false;
}

/** Felix's IP-set semantics: a selector matches the peer's endpoint, or an address in a matching network set. */
function selectorMatchesPeer(view: PolicyView, id: number, peer: ResolvedPeer): boolean {
  if (peer.item && view.selectorMatchesItem(id, peer.item)) return true;
  const a = peer.address;
  if (!a) return false;
  for (const ns of view.selectorNetworkSets(id)) for (const n of ns.nets) if (n.contains(a)) return true;
  return false;
}

/**
 * A named port is an (IP, port) set over the endpoints the side's selector matches (every
 * endpoint without one): the peer must have a port of that name, protocol and number.
 */
function namedPortMatches(view: PolicyView, names: readonly string[], e: CompiledEntity, peer: ResolvedPeer, port: number, protocol: number): boolean {
  const item = peer.item;
  if (!item || names.length === 0) return false;
  for (const p of item.ports) {
    if (p.port !== port || !names.includes(p.name ?? '') || protocolToNumber(p.protocol) !== protocol) continue;
    return e.selector < 0 || selectorMatchesPeer(view, e.selector, peer);
  }
  return false;
}

function entityMatches(view: PolicyView, e: CompiledEntity, peer: ResolvedPeer, port: number | undefined, pkt: Packet): boolean {
  const a = peer.address;
  if (e.nets) {
    if (!a) return false;
    let hit = false;
    for (const n of e.nets) if (n.family === pkt.family && n.contains(a)) hit = true;
    if (!hit) return false;
  }
  if (a) for (const n of e.notNets) if (n.family === pkt.family && n.contains(a)) return false;
  if (e.ports) {
    if (port === undefined) return false;
    if (!inRanges(e.ports, port) && !namedPortMatches(view, e.ports.names, e, peer, port, pkt.protocol)) return false;
  }
  if (e.notPorts && port !== undefined && (inRanges(e.notPorts, port) || namedPortMatches(view, e.notPorts.names, e, peer, port, pkt.protocol))) return false;
  if (e.selector >= 0 && !selectorMatchesPeer(view, e.selector, peer)) return false;
  if (e.notSelector >= 0 && selectorMatchesPeer(view, e.notSelector, peer)) return false;
  return true;
}

function icmpMatches(f: { type?: number; code?: number }, pkt: Packet): boolean {
  if (f.type !== undefined && pkt.icmp?.type !== f.type) return false;
  if (f.code !== undefined && pkt.icmp?.code !== f.code) return false;
  return true;
}

/** Whether a rule matches the packet at L3/L4 (Felix `CalculateRuleMatch`); notes what was not evaluated. */
function ruleMatches(view: PolicyView, r: CompiledRule, pkt: Packet, notes: string[]): boolean {
  if (!r.rendered[pkt.family]) return false;
  if (r.protocol !== undefined && r.protocol !== pkt.protocol) return false;
  if (r.notProtocol !== undefined && r.notProtocol === pkt.protocol) return false;
  if (r.icmp && !icmpMatches(r.icmp, pkt)) return false;
  if (r.notICMP && icmpMatches(r.notICMP, pkt)) return false;
  if (r.source.services || r.destination.services) {
    notes.push(`rule ${r.index}: services match needs Service endpoints, which the view does not hold; treated as no match`);
    return false;
  }
  if (!entityMatches(view, r.source, pkt.src, pkt.sourcePort, pkt)) return false;
  if (!entityMatches(view, r.destination, pkt.dst, pkt.port, pkt)) return false;
  if (r.http) notes.push(`rule ${r.index}: HTTP match not enforced at L3/L4 (Felix renders the rule without it)`);
  return true;
}

type Stage = ChainStage;

const NO_NOTES: string[] = [];

/** Whether a side's port criteria could match `port` for some peer (named ports: maybe). */
function portsCouldMatch(e: CompiledEntity, port: number | undefined): boolean {
  if (!e.ports) return true;
  if (port === undefined) return false;
  return e.ports.names.length > 0 || inRanges(e.ports, port);
}

/**
 * The rules of `p` for `direction` that can match the packet's family, protocol, ICMP and port
 * whatever the peers are, cached on the policy per key: the per-flow walk then tests peers only.
 */
function candidateRules(p: ViewPolicy, direction: 'ingress' | 'egress', pkt: Packet): readonly CompiledRule[] {
  const key = direction === 'ingress' ? pkt.ingressKey : pkt.egressKey;
  let list = p.candidates.get(key);
  if (!list) {
    list = (direction === 'ingress' ? p.ingressRules : p.egressRules).filter(
      (r) =>
        r.rendered[pkt.family] &&
        (r.protocol === undefined || r.protocol === pkt.protocol) &&
        (r.notProtocol === undefined || r.notProtocol !== pkt.protocol) &&
        (!r.icmp || icmpMatches(r.icmp, pkt)) &&
        (!r.notICMP || !icmpMatches(r.notICMP, pkt)) &&
        portsCouldMatch(r.destination, pkt.port) &&
        portsCouldMatch(r.source, pkt.sourcePort),
    );
    p.candidates.set(key, list);
  }
  return list;
}

function runRules(view: PolicyView, rules: readonly CompiledRule[], pkt: Packet, step: { ruleIndex?: number; logged?: number[]; notes?: string[] }): 'Allow' | 'Deny' | 'Pass' | 'none' {
  let notes = NO_NOTES;
  let out: 'Allow' | 'Deny' | 'Pass' | 'none' = 'none';
  for (const r of rules) {
    if (r.http || r.source.services || r.destination.services) if (notes === NO_NOTES) notes = [];
    if (!ruleMatches(view, r, pkt, notes)) continue;
    if (r.action === 'Log') {
      (step.logged ??= []).push(r.index);
      continue;
    }
    step.ruleIndex = r.index;
    out = r.action;
    break;
  }
  if (notes.length > 0) step.notes = notes;
  return out;
}

function runChain(view: PolicyView, item: ViewItem, direction: 'ingress' | 'egress', stage: Stage, pkt: Packet, withStaged: boolean): ChainStep {
  const chain: ChainStep = { endpoint: item.key, endpointKind: item.kind as ChainStep['endpointKind'], direction, stage, tiers: [], profiles: [], outcome: 'continue', reason: '' };
  for (const { tier, policies } of view.chain(item, direction, stage, withStaged)) {
    const step: TierStep = { tier: tier.name, policies: [], outcome: 'pass' };
    chain.tiers.push(step);
    let decided: 'Allow' | 'Deny' | 'Pass' | undefined;
    for (const p of policies) {
      const ps: PolicyStep = { kind: p.kind, namespace: p.namespace, name: p.name, staged: p.staged, action: 'none' };
      ps.action = runRules(view, candidateRules(p, direction, pkt), pkt, ps);
      step.policies.push(ps);
      if (ps.action !== 'none') {
        decided = ps.action;
        chain.reason = `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name} rule ${ps.ruleIndex} (${ps.action}) in tier ${tier.name}`;
        break;
      }
    }
    if (decided === 'Allow' || decided === 'Deny') {
      step.outcome = decided === 'Allow' ? 'allow' : 'deny';
      chain.outcome = step.outcome;
      return chain;
    }
    if (decided === 'Pass') continue;
    // endpoints.go: end-of-tier drop only in normal/forward chains, only when the tier has a
    // non-staged policy for this direction (the chain holds staged ones only in staged mode),
    // and not when the tier's defaultAction is Pass.
    if ((stage === 'normal' || stage === 'forward') && tier.defaultAction !== 'Pass') {
      step.outcome = 'end-of-tier-deny';
      chain.outcome = 'deny';
      chain.reason = `end of tier ${tier.name}: no policy allowed or passed the packet`;
      return chain;
    }
    step.outcome = 'end-of-tier-pass';
  }
  if (stage === 'forward') {
    chain.outcome = 'allow';
    chain.reason = chain.tiers.length === 0 ? 'no applyOnForward policy applies: forwarded traffic allowed' : 'forwarded traffic passed every tier: allowed';
    return chain;
  }
  if (stage !== 'normal') {
    chain.reason = `no ${stage} policy decided`;
    return chain;
  }
  for (const name of item.profiles) {
    const prof = view.profile(name);
    if (!prof) {
      chain.profiles.push({ name, action: 'missing' });
      continue;
    }
    const st: { ruleIndex?: number } = {};
    const action = runRules(view, direction === 'ingress' ? prof.ingress : prof.egress, pkt, st);
    const shown = action === 'Pass' ? 'none' : action;
    chain.profiles.push({ name, ...(st.ruleIndex !== undefined ? { ruleIndex: st.ruleIndex } : {}), action: shown });
    if (shown !== 'none') {
      chain.outcome = shown === 'Allow' ? 'allow' : 'deny';
      chain.reason = `profile ${name} rule ${st.ruleIndex} (${shown})`;
      return chain;
    }
  }
  chain.outcome = 'deny';
  chain.reason = item.profiles.length === 0 ? 'no policy decided and the endpoint has no profiles: default deny' : 'no profile accepted the packet: default deny';
  return chain;
}

function walk(view: PolicyView, pkt: Packet, flow: Flow, withStaged: boolean): { verdict: Verdict; trace: ChainStep[]; decidedBy: string } {
  const trace: ChainStep[] = [];
  const hep = (ref: string): ViewItem => {
    const it = view.findEndpoint(ref);
    if (!it || it.kind !== 'HostEndpoint') throw badRef('flow.via', ref, 'names no host endpoint in the view');
    return it;
  };
  // Each side is a list of chains on one host; an untracked Allow skips the rest of that side.
  const sides: [ViewItem, 'ingress' | 'egress', Stage][][] = [[], []];
  const src = pkt.src.item;
  const dst = pkt.dst.item;
  if (src?.kind === 'HostEndpoint') sides[0]?.push([src, 'egress', 'untracked'], [src, 'egress', 'normal']);
  else if (src) sides[0]?.push([src, 'egress', 'normal']);
  if (flow.via?.egress) {
    const h = hep(flow.via.egress);
    sides[0]?.push([h, 'egress', 'untracked'], [h, 'egress', 'forward']);
  }
  if (flow.via?.ingress) {
    const h = hep(flow.via.ingress);
    sides[1]?.push([h, 'ingress', 'untracked'], [h, 'ingress', 'preDNAT'], [h, 'ingress', 'forward']);
  }
  if (dst?.kind === 'HostEndpoint') sides[1]?.push([dst, 'ingress', 'untracked'], [dst, 'ingress', 'preDNAT'], [dst, 'ingress', 'normal']);
  else if (dst) sides[1]?.push([dst, 'ingress', 'normal']);
  let decidedBy = 'neither end is a Calico endpoint: no policy applies';
  for (const side of sides) {
    for (const [item, dir, stage] of side) {
      const c = runChain(view, item, dir, stage, pkt, withStaged);
      trace.push(c);
      if (c.outcome === 'deny') return { verdict: 'deny', trace, decidedBy: `${item.key} ${dir} (${stage}): ${c.reason}` };
      if (c.outcome === 'allow') {
        decidedBy = `${item.key} ${dir} (${stage}): ${c.reason}`;
        // An untracked Allow is accepted in the raw table and skips this host's later chains.
        if (stage === 'untracked') break;
      }
    }
  }
  return { verdict: 'allow', trace, decidedBy };
}

/**
 * Judges one flow with Felix's semantics: the enforced verdict with its trace, and the staged
 * (pending) verdict computed with staged policies treated as enforced.
 *
 * ## Example
 * ```ts
 * declare const view: PolicyView; // from createPolicyView(...)
 * const r = explainFlow(view, { source: 'shop/web', destination: 'shop/db', protocol: 'TCP', port: 5432 });
 * r.verdict;   // 'allow'
 * r.decidedBy; // 'shop/db ingress (normal): NetworkPolicy shop/allow-web rule 0 (Allow) in tier default'
 * ```
 * @param view The policy view.
 * @param flow The flow.
 * @return The verdicts and traces.
 * @throws ValidationError naming `flow.source`, `flow.destination` or `flow.via` when a reference resolves to nothing.
 */
export function explainFlow(view: PolicyView, flow: Flow): FlowExplanation {
  const addrFamily = (p: FlowPeer): IPFamily | undefined => {
    const t = typeof p === 'string' ? p : 'ip' in p ? p.ip : undefined;
    // Endpoint references hold a "/" before any ":" or are names; only try address-like texts.
    return t !== undefined && ADDRESS_LIKE.test(t) ? parseFlowAddress(t)?.family : undefined;
  };
  const hinted = flow.ipVersion ?? addrFamily(flow.source) ?? addrFamily(flow.destination);
  const src = resolvePeer(view, flow.source, hinted, 'flow.source');
  const dst = resolvePeer(view, flow.destination, hinted, 'flow.destination');
  const family = hinted ?? src.address?.family ?? dst.address?.family ?? 4;
  const protocol = protocolToNumber(flow.protocol ?? 'TCP') ?? 6;
  const key = `${family}|${protocol}|${flow.port ?? ''}|${flow.sourcePort ?? ''}|${flow.icmp?.type ?? ''}|${flow.icmp?.code ?? ''}`;
  const pkt: Packet = {
    ingressKey: `i|${key}`,
    egressKey: `e|${key}`,
    family,
    protocol,
    ...(flow.port !== undefined ? { port: flow.port } : {}),
    ...(flow.sourcePort !== undefined ? { sourcePort: flow.sourcePort } : {}),
    ...(flow.icmp ? { icmp: flow.icmp } : {}),
    src,
    dst,
  };
  const enforced = walk(view, pkt, flow, false);
  const staged = view.hasStagedPolicies() ? walk(view, pkt, flow, true) : enforced;
  return { ...enforced, staged };
}
