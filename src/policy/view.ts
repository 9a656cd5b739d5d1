/**
 * The policy view: every endpoint, network set, profile, tier and policy of a cluster, compiled
 * for fast verdicts. Selectors are interned and their matches cached per endpoint (a lazily
 * filled label index); a label change resets only that endpoint's cached matches.
 *
 * @module
 */
import { kubeNetworkPolicyToCalico } from '../backends/k8s/network-policy-conversion.js';
import type { KubeNetworkPolicy } from '../backends/k8s/kube-types.js';
import { ValidationError } from '../errors.js';
import { inferPolicyTypes } from '../model/policy-spec.js';
import type { Selector, SelectorNode } from '../model/selector/index.js';
import { BUILT_IN_TIERS } from '../model/tier-builtins.js';
import type { Rule, WorkloadEndpointPort } from '../model/types.generated.js';
import { compileNets, parseFlowAddress, type CompiledNet, type FlowAddress } from './addresses.js';
import {
  globalPolicySelector,
  NAME_LABEL,
  NAMESPACE_LABEL,
  NAMESPACE_LABEL_PREFIX,
  NAMESPACE_PROFILE_PREFIX,
  namespacedPolicySelector,
  ORCHESTRATOR_LABEL,
  SERVICE_ACCOUNT_LABEL,
  SERVICE_ACCOUNT_LABEL_PREFIX,
  SERVICE_ACCOUNT_PROFILE_PREFIX,
  tryParseSelector,
} from './calico-selectors.js';
import { compileRule, type CompiledRule } from './compiled-rule.js';
import { comparePolicies, compareTiers } from './order.js';
import type { AnyResource } from './view-types.js';

/** What kind of labelled item an index entry is. */
export type ItemKind = 'WorkloadEndpoint' | 'HostEndpoint' | 'NetworkSet' | 'GlobalNetworkSet';

/** An endpoint or network set as the view holds it. */
export interface ViewItem {
  /** Dense index in the view. */
  readonly index: number;
  /** Kind. */
  readonly kind: ItemKind;
  /** `namespace/name` or `name`. */
  readonly key: string;
  /** Namespace, `''` when cluster-scoped. */
  readonly namespace: string;
  /** Name. */
  readonly name: string;
  /** Pod name of a workload endpoint. */
  readonly pod?: string;
  /** The labels Felix evaluates: own labels over inherited profile labels. */
  labels: Record<string, string>;
  /** The endpoint's addresses (network sets: none). */
  readonly addresses: readonly FlowAddress[];
  /** A network set's networks (endpoints: none). */
  readonly nets: readonly CompiledNet[];
  /** Named ports. */
  readonly ports: readonly WorkloadEndpointPort[];
  /** Profile names, in order. */
  readonly profiles: readonly string[];
  /** The original resource. */
  readonly resource: AnyResource;
}

/** A compiled profile. */
export interface ViewProfile {
  /** Name. */
  readonly name: string;
  /** Labels applied to endpoints that use it. */
  readonly labels: Readonly<Record<string, string>>;
  /** Compiled ingress rules. */
  readonly ingress: readonly CompiledRule[];
  /** Compiled egress rules. */
  readonly egress: readonly CompiledRule[];
}

/** A compiled tier. */
export interface ViewTier {
  /** Name. */
  readonly name: string;
  /** Order; undefined sorts last. */
  readonly order: number | undefined;
  /** `Deny` or `Pass`. */
  readonly defaultAction: 'Deny' | 'Pass';
  /** False when no Tier resource exists (Felix sorts such tiers last and still enforces them). */
  readonly valid: boolean;
}

/** A compiled policy. */
export interface ViewPolicy {
  /** Felix's kind: NetworkPolicy, GlobalNetworkPolicy, KubernetesNetworkPolicy or a Staged* kind. */
  readonly kind: string;
  /** Name. */
  readonly name: string;
  /** Namespace, `''` for cluster-scoped kinds. */
  readonly namespace: string;
  /** Tier name. */
  readonly tier: string;
  /** Order, undefined = last. */
  readonly order: number | undefined;
  /** True for Staged* kinds. */
  readonly staged: boolean;
  /** The selector Felix evaluates, or null when it does not parse (selects nothing). */
  readonly selector: Selector | null;
  /** Applies to ingress (`types`). */
  readonly ingress: boolean;
  /** Applies to egress (`types`). */
  readonly egress: boolean;
  /** doNotTrack. */
  readonly doNotTrack: boolean;
  /** preDNAT. */
  readonly preDNAT: boolean;
  /** applyOnForward. */
  readonly applyOnForward: boolean;
  /** Compiled ingress rules. */
  readonly ingressRules: readonly CompiledRule[];
  /** Compiled egress rules. */
  readonly egressRules: readonly CompiledRule[];
  /** Position in the global evaluation order (tier order, then `PolKVLess`). */
  rank: number;
  /** The resource as given (before any Kubernetes conversion). */
  readonly resource: AnyResource;
  /** Rules that can match a given direction/family/protocol/port, filled on demand. */
  readonly candidates: Map<string, readonly CompiledRule[]>;
}

/** Felix chain types: normal, forward (applyOnForward), preDNAT, untracked (doNotTrack). */
export type ChainStage = 'normal' | 'forward' | 'preDNAT' | 'untracked';

/** The policies of one tier that one chain runs. */
export interface ChainTier {
  /** The tier. */
  readonly tier: ViewTier;
  /** Its applicable policies, in order. */
  readonly policies: readonly ViewPolicy[];
}

const STAGES: readonly ChainStage[] = ['normal', 'forward', 'preDNAT', 'untracked'];

function inStage(p: ViewPolicy, stage: ChainStage, host: boolean): boolean {
  if (!host) return stage === 'normal' && !p.doNotTrack && !p.preDNAT;
  if (stage === 'untracked') return p.doNotTrack;
  if (stage === 'preDNAT') return p.preDNAT;
  if (stage === 'forward') return p.applyOnForward && !p.doNotTrack && !p.preDNAT;
  return !p.doNotTrack && !p.preDNAT;
}

/** An interned selector and its lazily filled per-item match cache. */
interface IndexedSelector {
  readonly selector: Selector | null;
  /** 0 = not computed, 1 = no, 2 = yes; one entry per item index. */
  matches: Uint8Array;
  /** Network sets it matches, computed on first use. */
  netsets?: ViewItem[];
}

const STAGED_KINDS: Record<string, string> = {
  StagedNetworkPolicy: 'NetworkPolicy',
  StagedGlobalNetworkPolicy: 'GlobalNetworkPolicy',
  StagedKubernetesNetworkPolicy: 'KubernetesNetworkPolicy',
};

type Rec = Record<string, unknown>;

/**
 * A `label == "value"` term every match of the selector must satisfy (searched through `&&`),
 * as `label\0value`, or undefined. Policies are bucketed by it so an endpoint tests only the
 * policies that could select it.
 */
function requiredEquality(node: SelectorNode): string | undefined {
  if (node.type === 'compare' && node.op === '==') return `${node.label}\0${node.value}`;
  if (node.type === 'and') {
    for (const o of node.operands) {
      const k = requiredEquality(o);
      if (k !== undefined) return k;
    }
  }
  return undefined;
}

function metaOf(r: AnyResource): { name: string; namespace: string; labels: Record<string, string> } {
  const m = r.metadata ?? {};
  return { name: m.name ?? '', namespace: m.namespace ?? '', labels: { ...(m.labels ?? {}) } };
}

function isKubeNetworkPolicy(r: AnyResource): boolean {
  return r.kind === 'NetworkPolicy' && typeof r.apiVersion === 'string' && r.apiVersion.startsWith('networking.k8s.io/');
}

/**
 * A compiled, queryable snapshot of a cluster's policy configuration. Build one with
 * {@link createPolicyView}; keep it current with {@link PolicyView.upsert} / {@link PolicyView.remove}.
 */
export class PolicyView {
  /** Every endpoint and network set, by dense index (removed entries are undefined). */
  readonly items: (ViewItem | undefined)[] = [];
  private readonly itemByKey = new Map<string, ViewItem>();
  private readonly podIndex = new Map<string, ViewItem>();
  /** References already resolved by {@link findEndpoint}; checked against `items` on use. */
  private readonly refCache = new Map<string, ViewItem>();
  private readonly resourcesByKey = new Map<string, AnyResource>();
  private profiles = new Map<string, ViewProfile>();
  private tiers = new Map<string, ViewTier>();
  private policies: ViewPolicy[] = [];
  private readonly selectorIds = new Map<string, number>();
  private readonly selectors: IndexedSelector[] = [];
  private readonly appliedCache = new Map<number, ViewPolicy[]>();
  /** Policies whose selector requires `label == value`, by `label\0value`; the rest in `unindexed`. */
  private policyIndex = new Map<string, ViewPolicy[]>();
  private unindexed: ViewPolicy[] = [];
  private readonly chainCache = new Map<number, (ChainTier[] | undefined)[]>();
  private dirty = true;

  /** @internal Use {@link createPolicyView}. */
  constructor(resources: Iterable<AnyResource>) {
    for (const r of resources) this.resourcesByKey.set(this.keyOf(r), r);
    this.rebuild();
  }

  private keyOf(r: AnyResource): string {
    const { name, namespace } = metaOf(r);
    const kind = isKubeNetworkPolicy(r) ? 'KubernetesNetworkPolicy' : (r.kind ?? '');
    return `${kind}|${namespace}|${name}`;
  }

  /**
   * Adds or replaces one resource. An endpoint or network set update resets only its own cached
   * selector matches; other kinds recompile the policy set (endpoint caches are kept).
   */
  upsert(resource: AnyResource): void {
    this.resourcesByKey.set(this.keyOf(resource), resource);
    if (this.isItemKind(resource.kind) && !this.dirty) this.updateItem(resource);
    else this.dirty = true;
  }

  /** Removes one resource by its kind, namespace and name. */
  remove(resource: AnyResource): void {
    const key = this.keyOf(resource);
    const old = this.resourcesByKey.get(key);
    if (!old) return;
    this.resourcesByKey.delete(key);
    if (this.isItemKind(old.kind) && !this.dirty) {
      const item = this.itemByKey.get(this.itemKey(old));
      if (item) this.dropItem(item);
    } else this.dirty = true;
  }

  private isItemKind(kind: string | undefined): boolean {
    return kind === 'WorkloadEndpoint' || kind === 'HostEndpoint' || kind === 'NetworkSet' || kind === 'GlobalNetworkSet';
  }

  private itemKey(r: AnyResource): string {
    const { name, namespace } = metaOf(r);
    return `${r.kind}|${namespace ? `${namespace}/${name}` : name}`;
  }

  private dropItem(item: ViewItem): void {
    this.items[item.index] = undefined;
    this.itemByKey.delete(`${item.kind}|${item.key}`);
    if (item.pod !== undefined) this.podIndex.delete(`${item.namespace}/${item.pod}`);
    this.resetItem(item.index);
  }

  private resetItem(index: number): void {
    this.appliedCache.delete(index);
    this.chainCache.delete(index);
    for (const s of this.selectors) {
      if (index < s.matches.length) s.matches[index] = 0;
      s.netsets = undefined;
    }
  }

  /** Brings compiled state up to date after non-endpoint changes. */
  private ensure(): void {
    if (this.dirty) this.rebuild();
  }

  private rebuild(): void {
    this.dirty = false;
    this.items.length = 0;
    this.itemByKey.clear();
    this.podIndex.clear();
    this.appliedCache.clear();
    this.chainCache.clear();
    this.selectorIds.clear();
    this.selectors.length = 0;
    const all = [...this.resourcesByKey.values()];
    this.profiles = this.buildProfiles(all);
    this.tiers = this.buildTiers(all);
    this.policies = this.buildPolicies(all);
    for (const r of all) if (this.isItemKind(r.kind)) this.updateItem(r, true);
  }

  private buildProfiles(all: readonly AnyResource[]): Map<string, ViewProfile> {
    const out = new Map<string, ViewProfile>();
    const allowAll: Rule[] = [{ action: 'Allow' }];
    for (const r of all) {
      const { name, namespace, labels } = metaOf(r);
      if (r.kind === 'Namespace') {
        const l: Record<string, string> = {};
        for (const [k, v] of Object.entries(labels)) l[NAMESPACE_LABEL_PREFIX + k] = v;
        l[NAMESPACE_LABEL_PREFIX + NAME_LABEL] = name;
        out.set(NAMESPACE_PROFILE_PREFIX + name, this.compileProfile(NAMESPACE_PROFILE_PREFIX + name, l, allowAll, allowAll));
      } else if (r.kind === 'ServiceAccount') {
        const l: Record<string, string> = {};
        for (const [k, v] of Object.entries(labels)) l[SERVICE_ACCOUNT_LABEL_PREFIX + k] = v;
        l[SERVICE_ACCOUNT_LABEL_PREFIX + NAME_LABEL] = name;
        const pname = `${SERVICE_ACCOUNT_PROFILE_PREFIX}${namespace}.${name}`;
        out.set(pname, this.compileProfile(pname, l, [], []));
      }
    }
    for (const r of all) {
      if (r.kind !== 'Profile') continue;
      const spec = (r.spec ?? {}) as { ingress?: Rule[]; egress?: Rule[]; labelsToApply?: Record<string, string> };
      const name = metaOf(r).name;
      out.set(name, this.compileProfile(name, spec.labelsToApply ?? {}, spec.ingress ?? [], spec.egress ?? []));
    }
    return out;
  }

  private compileProfile(name: string, labels: Record<string, string>, ingress: readonly Rule[], egress: readonly Rule[]): ViewProfile {
    const intern = (t: string): number => this.intern(t);
    return { name, labels, ingress: ingress.map((r, i) => compileRule(r, i, '', intern)), egress: egress.map((r, i) => compileRule(r, i, '', intern)) };
  }

  private buildTiers(all: readonly AnyResource[]): Map<string, ViewTier> {
    const out = new Map<string, ViewTier>();
    for (const t of BUILT_IN_TIERS) out.set(t.name, { name: t.name, order: t.order, defaultAction: t.defaultAction, valid: true });
    for (const r of all) {
      if (r.kind !== 'Tier') continue;
      const spec = (r.spec ?? {}) as { order?: number; defaultAction?: string };
      const name = metaOf(r).name;
      out.set(name, { name, order: spec.order, defaultAction: spec.defaultAction === 'Pass' ? 'Pass' : 'Deny', valid: true });
    }
    return out;
  }

  private buildPolicies(all: readonly AnyResource[]): ViewPolicy[] {
    const out: ViewPolicy[] = [];
    for (const r of all) {
      const p = this.compilePolicy(r);
      if (p) out.push(p);
    }
    for (const p of out) if (!this.tiers.has(p.tier)) this.tiers.set(p.tier, { name: p.tier, order: undefined, defaultAction: 'Deny', valid: false });
    const tierOf = (p: ViewPolicy): ViewTier => this.tiers.get(p.tier) as ViewTier;
    out.sort((a, b) => {
      const ta = tierOf(a);
      const tb = tierOf(b);
      if (ta !== tb) return ta.valid !== tb.valid ? (ta.valid ? -1 : 1) : compareTiers(ta, tb);
      return comparePolicies(a, b);
    });
    out.forEach((p, i) => (p.rank = i));
    this.policyIndex = new Map();
    this.unindexed = [];
    for (const p of out) {
      const key = p.selector ? requiredEquality(p.selector.ast) : undefined;
      if (key === undefined) this.unindexed.push(p);
      else {
        const bucket = this.policyIndex.get(key);
        if (bucket) bucket.push(p);
        else this.policyIndex.set(key, [p]);
      }
    }
    return out;
  }

  private compilePolicy(input: AnyResource): ViewPolicy | undefined {
    let r = input;
    let kind = r.kind ?? '';
    if (isKubeNetworkPolicy(r)) {
      r = kubeNetworkPolicyToCalico(r as KubeNetworkPolicy);
      kind = 'KubernetesNetworkPolicy';
    } else if (kind === 'StagedKubernetesNetworkPolicy') {
      const converted = kubeNetworkPolicyToCalico({ metadata: r.metadata, spec: r.spec } as KubeNetworkPolicy);
      r = { ...converted, spec: { ...converted.spec, stagedAction: (r.spec as Rec | undefined)?.stagedAction } };
    }
    const staged = kind in STAGED_KINDS;
    if (!staged && kind !== 'NetworkPolicy' && kind !== 'GlobalNetworkPolicy' && kind !== 'KubernetesNetworkPolicy') return undefined;
    const spec = (r.spec ?? {}) as Rec & { stagedAction?: string; tier?: string; order?: number; selector?: string; namespaceSelector?: string; serviceAccountSelector?: string; types?: string[]; ingress?: Rule[]; egress?: Rule[] };
    // A staged Delete is never sent to Felix (ConvertStaged*V3ToV1Value returns nil).
    if (staged && spec.stagedAction === 'Delete') return undefined;
    const { name, namespace } = metaOf(r);
    const namespaced = kind === 'NetworkPolicy' || kind === 'KubernetesNetworkPolicy' || kind === 'StagedNetworkPolicy' || kind === 'StagedKubernetesNetworkPolicy';
    if (namespaced && namespace === '') throw new ValidationError([{ path: 'metadata.namespace', message: `${kind} ${name} has no namespace`, type: 'required' }]);
    const ns = namespaced ? namespace : '';
    const selText = namespaced ? namespacedPolicySelector(ns, spec.selector, spec.serviceAccountSelector) : globalPolicySelector(spec.selector, spec.namespaceSelector, spec.serviceAccountSelector);
    const types = spec.types && spec.types.length > 0 ? spec.types : inferPolicyTypes(spec.ingress, spec.egress);
    const intern = (t: string): number => this.intern(t);
    return {
      kind,
      name,
      namespace: ns,
      tier: spec.tier || 'default',
      order: typeof spec.order === 'number' ? spec.order : undefined,
      staged,
      selector: tryParseSelector(selText),
      ingress: types.includes('Ingress'),
      egress: types.includes('Egress'),
      doNotTrack: spec.doNotTrack === true,
      preDNAT: spec.preDNAT === true,
      applyOnForward: spec.applyOnForward === true,
      ingressRules: (spec.ingress ?? []).map((x, i) => compileRule(x, i, ns, intern)),
      egressRules: (spec.egress ?? []).map((x, i) => compileRule(x, i, ns, intern)),
      rank: 0,
      resource: input,
      candidates: new Map(),
    };
  }

  /** Adds or replaces one item; `fresh` during a rebuild, when no cache holds anything yet. */
  private updateItem(r: AnyResource, fresh = false): void {
    const key = this.itemKey(r);
    const old = this.itemByKey.get(key);
    const index = old ? old.index : this.items.length;
    if (old) this.dropItem(old);
    const item = this.makeItem(r, index);
    this.items[index] = item;
    this.itemByKey.set(key, item);
    if (item.pod !== undefined) this.podIndex.set(`${item.namespace}/${item.pod}`, item);
    if (!fresh) this.resetItem(index);
  }

  private makeItem(r: AnyResource, index: number): ViewItem {
    const { name, namespace, labels: own } = metaOf(r);
    const kind = r.kind as ItemKind;
    const spec = (r.spec ?? {}) as Rec & { ipNetworks?: string[]; expectedIPs?: string[]; nets?: string[]; profiles?: string[]; ports?: WorkloadEndpointPort[]; serviceAccountName?: string; orchestrator?: string; pod?: string };
    let profiles: string[];
    const labels: Record<string, string> = {};
    if (kind === 'WorkloadEndpoint') {
      // workloadendpointprocessor.go: inherited-prefix labels are stripped, the SA label is set.
      for (const [k, v] of Object.entries(own)) if (!k.startsWith(NAMESPACE_LABEL_PREFIX) && !k.startsWith(SERVICE_ACCOUNT_LABEL_PREFIX)) labels[k] = v;
      labels[NAMESPACE_LABEL] ??= namespace;
      if (spec.orchestrator) labels[ORCHESTRATOR_LABEL] ??= spec.orchestrator;
      if (spec.serviceAccountName) labels[SERVICE_ACCOUNT_LABEL] = spec.serviceAccountName;
      profiles = spec.profiles ?? (spec.orchestrator === 'k8s' ? [NAMESPACE_PROFILE_PREFIX + namespace, ...(spec.serviceAccountName ? [`${SERVICE_ACCOUNT_PROFILE_PREFIX}${namespace}.${spec.serviceAccountName}`] : [])] : []);
    } else if (kind === 'NetworkSet') {
      Object.assign(labels, own, { [NAMESPACE_LABEL]: namespace });
      profiles = [NAMESPACE_PROFILE_PREFIX + namespace];
    } else {
      Object.assign(labels, own);
      profiles = kind === 'HostEndpoint' ? (spec.profiles ?? []) : [];
    }
    for (const p of profiles) {
      const prof = this.profiles.get(p);
      if (prof) for (const [k, v] of Object.entries(prof.labels)) if (!(k in labels)) labels[k] = v;
    }
    const addrTexts = kind === 'WorkloadEndpoint' ? (spec.ipNetworks ?? []) : kind === 'HostEndpoint' ? (spec.expectedIPs ?? []) : [];
    const addresses = addrTexts.map(parseFlowAddress).filter((a): a is FlowAddress => a !== undefined);
    return {
      index,
      kind,
      key: namespace ? `${namespace}/${name}` : name,
      namespace,
      name,
      ...(kind === 'WorkloadEndpoint' && spec.pod ? { pod: spec.pod } : {}),
      labels,
      addresses,
      nets: kind === 'NetworkSet' || kind === 'GlobalNetworkSet' ? compileNets(spec.nets) : [],
      ports: spec.ports ?? [],
      profiles,
      resource: r,
    };
  }

  /** Interns a selector text (Felix's combined selector); the same text gets the same id. */
  intern(text: string): number {
    let id = this.selectorIds.get(text);
    if (id === undefined) {
      id = this.selectors.length;
      this.selectorIds.set(text, id);
      this.selectors.push({ selector: tryParseSelector(text), matches: new Uint8Array(0) });
    }
    return id;
  }

  /** Whether interned selector `id` matches item `item` by labels (cached). */
  selectorMatchesItem(id: number, item: ViewItem): boolean {
    const s = this.selectors[id] as IndexedSelector;
    if (s.matches.length <= item.index) {
      const grown = new Uint8Array(Math.max(this.items.length, item.index + 1));
      grown.set(s.matches);
      s.matches = grown;
    }
    const cached = s.matches[item.index];
    if (cached !== 0) return cached === 2;
    const yes = s.selector !== null && s.selector.matches(item.labels);
    s.matches[item.index] = yes ? 2 : 1;
    return yes;
  }

  /** The network sets an interned selector matches (computed once per selector). */
  selectorNetworkSets(id: number): readonly ViewItem[] {
    const s = this.selectors[id] as IndexedSelector;
    if (!s.netsets) {
      s.netsets = [];
      for (const it of this.items) if (it && it.nets.length > 0 && this.selectorMatchesItem(id, it)) s.netsets.push(it);
    }
    return s.netsets;
  }

  /** True when any staged policy is in the view. */
  hasStagedPolicies(): boolean {
    this.ensure();
    return this.policies.some((p) => p.staged);
  }

  /** Number of interned selectors. */
  get selectorCount(): number {
    return this.selectors.length;
  }

  /** Every compiled policy, in Felix's evaluation order. */
  allPolicies(): readonly ViewPolicy[] {
    this.ensure();
    return this.policies;
  }

  /** The tier of a given name (built-in tiers always exist). */
  tier(name: string): ViewTier | undefined {
    this.ensure();
    return this.tiers.get(name);
  }

  /** A profile by name. */
  profile(name: string): ViewProfile | undefined {
    this.ensure();
    return this.profiles.get(name);
  }

  /** The policies whose selector selects `item`, in evaluation order (cached per item). */
  policiesFor(item: ViewItem): readonly ViewPolicy[] {
    this.ensure();
    let list = this.appliedCache.get(item.index);
    if (!list) {
      // Only policies that could select the item: unindexed ones and the buckets of its labels.
      const candidates = [...this.unindexed];
      for (const [k, v] of Object.entries(item.labels)) {
        const bucket = this.policyIndex.get(`${k}\0${v}`);
        if (bucket) for (const p of bucket) candidates.push(p);
      }
      candidates.sort((a, b) => a.rank - b.rank);
      list = candidates.filter((p) => p.selector !== null && p.selector.matches(item.labels));
      this.appliedCache.set(item.index, list);
    }
    return list;
  }

  /**
   * The tiers and policies one chain of `item` runs (cached): policies for `direction` whose
   * stage fits (workload endpoints: normal policies only; host endpoints: doNotTrack → untracked,
   * preDNAT → preDNAT, applyOnForward → forward, the rest → normal), staged ones only when
   * `withStaged`. Tiers without such a policy are left out, as Felix renders them.
   */
  chain(item: ViewItem, direction: 'ingress' | 'egress', stage: ChainStage, withStaged: boolean): readonly ChainTier[] {
    this.ensure();
    let slots = this.chainCache.get(item.index);
    if (!slots) {
      slots = [];
      this.chainCache.set(item.index, slots);
    }
    const slot = (direction === 'ingress' ? 0 : 8) + STAGES.indexOf(stage) * 2 + (withStaged ? 1 : 0);
    let tiers = slots[slot];
    if (!tiers) {
      tiers = [];
      const host = item.kind === 'HostEndpoint';
      for (const p of this.policiesFor(item)) {
        if (!(direction === 'ingress' ? p.ingress : p.egress) || !inStage(p, stage, host) || (p.staged && !withStaged)) continue;
        const last = tiers[tiers.length - 1];
        if (last && last.tier.name === p.tier) (last.policies as ViewPolicy[]).push(p);
        else tiers.push({ tier: this.tiers.get(p.tier) as ViewTier, policies: [p] });
      }
      slots[slot] = tiers;
    }
    return tiers;
  }

  /**
   * Finds an endpoint: `ns/name` of a WorkloadEndpoint or `ns/pod`, or a HostEndpoint name.
   *
   * @return The item, or undefined.
   */
  findEndpoint(ref: string): ViewItem | undefined {
    this.ensure();
    let found = this.refCache.get(ref);
    if (found === undefined || this.items[found.index] !== found) {
      found = this.itemByKey.get(`WorkloadEndpoint|${ref}`) ?? this.podIndex.get(ref) ?? this.itemByKey.get(`HostEndpoint|${ref}`);
      if (found) this.refCache.set(ref, found);
      else this.refCache.delete(ref);
    }
    return found;
  }

  /** Every endpoint (workload and host) currently in the view. */
  endpoints(): ViewItem[] {
    this.ensure();
    return this.items.filter((i): i is ViewItem => i !== undefined && (i.kind === 'WorkloadEndpoint' || i.kind === 'HostEndpoint'));
  }
}

/**
 * Builds a policy view from a snapshot of resources: WorkloadEndpoints, HostEndpoints,
 * NetworkSets, GlobalNetworkSets, Profiles, Kubernetes Namespaces and ServiceAccounts (as
 * `kns.`/`ksa.` profiles), Tiers, NetworkPolicies, GlobalNetworkPolicies, the Staged* kinds, and
 * Kubernetes `networking.k8s.io/v1` NetworkPolicies (converted as Calico does). Other kinds are
 * ignored. Policies without `types` get the types the client would store (inferred from rules).
 *
 * ## Example
 * ```ts
 * declare const weps: WorkloadEndpoint[];
 * declare const policies: NetworkPolicy[];
 * const view = createPolicyView([...weps, ...policies, { kind: 'Namespace', metadata: { name: 'shop' } }]);
 * explainFlow(view, { source: 'shop/web', destination: 'shop/db', protocol: 'TCP', port: 5432 }).verdict;
 * ```
 * @param resources The resources.
 * @return The view.
 * @throws ValidationError when a namespaced policy has no namespace.
 */
export function createPolicyView(resources: Iterable<AnyResource>): PolicyView {
  return new PolicyView(resources);
}
