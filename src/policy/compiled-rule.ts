/**
 * A Calico rule compiled for evaluation: protocol numbers, per-family networks, port ranges and
 * interned peer selectors, following Felix's rendering (`felix/rules/policy.go`).
 *
 * @module
 */
import type { IPFamily } from '../model/net.js';
import { PROTOCOL_NUMBERS } from '../model/numorstring.js';
import type { Action, EntityRule, ICMPFields, Rule } from '../model/types.generated.js';
import { compileNets, type CompiledNet } from './addresses.js';
import { entitySelector } from './calico-selectors.js';

/** A numeric port range, inclusive. */
export interface PortRange {
  /** Lowest port. */
  readonly min: number;
  /** Highest port. */
  readonly max: number;
}

/** Ports of one rule side: numeric ranges and named ports, ORed. */
export interface CompiledPorts {
  /** Numeric ranges. */
  readonly ranges: readonly PortRange[];
  /** Named ports, resolved against the peer endpoint's ports. */
  readonly names: readonly string[];
}

/** One side (source or destination) of a compiled rule. */
export interface CompiledEntity {
  /** Positive networks per family; `undefined` when the rule has none. */
  readonly nets?: readonly CompiledNet[];
  /** Negative networks (all families; filtered per family at match time). */
  readonly notNets: readonly CompiledNet[];
  /** Interned selector id (Felix's combined selector), or -1 for none. */
  readonly selector: number;
  /** Interned notSelector id, or -1. */
  readonly notSelector: number;
  /** Ports, or undefined for "any". */
  readonly ports?: CompiledPorts;
  /** Negated ports, or undefined. */
  readonly notPorts?: CompiledPorts;
  /** True when the side uses `services`, which this evaluator does not resolve. */
  readonly services: boolean;
}

/** A compiled rule. */
export interface CompiledRule {
  /** Index of the rule in its policy's list. */
  readonly index: number;
  /** The rule's action. */
  readonly action: Action;
  /** `ipVersion` of the rule, if any. */
  readonly ipVersion?: IPFamily;
  /** Whether the rule is rendered for each family at all (Felix `FilterRuleToIPVersion`). */
  readonly rendered: Readonly<Record<IPFamily, boolean>>;
  /** Protocol number, if any. */
  readonly protocol?: number;
  /** Negated protocol number, if any. */
  readonly notProtocol?: number;
  /** ICMP type/code match. */
  readonly icmp?: ICMPFields;
  /** Negated ICMP type/code match. */
  readonly notICMP?: ICMPFields;
  /** Source side. */
  readonly source: CompiledEntity;
  /** Destination side. */
  readonly destination: CompiledEntity;
  /** True when the rule carries an HTTP match (not enforced at L3/L4). */
  readonly http: boolean;
}

/** Interns selector texts; returns an id. */
export type SelectorInterner = (text: string) => number;

const PROTOCOL_BY_LOWER = new Map(Object.entries(PROTOCOL_NUMBERS).map(([k, v]) => [k.toLowerCase(), v]));

/**
 * A protocol as its IANA number: a number, a decimal string, or a name in any case.
 *
 * @return The number, or undefined when the value is no protocol.
 */
export function protocolToNumber(p: number | string | undefined): number | undefined {
  if (p === undefined) return undefined;
  if (typeof p === 'number') return p;
  if (/^\d+$/.test(p)) return Number(p);
  return PROTOCOL_BY_LOWER.get(p.toLowerCase());
}

function compilePorts(ports: readonly (number | string)[] | undefined): CompiledPorts | undefined {
  if (!ports || ports.length === 0) return undefined;
  const ranges: PortRange[] = [];
  const names: string[] = [];
  for (const p of ports) {
    if (typeof p === 'number') ranges.push({ min: p, max: p });
    else if (/^\d+$/.test(p)) ranges.push({ min: Number(p), max: Number(p) });
    else if (/^\d+:\d+$/.test(p)) {
      const [a, b] = p.split(':').map(Number) as [number, number];
      ranges.push({ min: a, max: b });
    } else names.push(p);
  }
  return { ranges, names };
}

function isCatchAll(net: CompiledNet): boolean {
  return net.text === '0.0.0.0/0' || net.text === '::/0';
}

function compileEntity(e: EntityRule | undefined, namespace: string, intern: SelectorInterner): CompiledEntity {
  const entity = e ?? {};
  const sel = entitySelector(entity, namespace);
  const nets = entity.nets && entity.nets.length > 0 ? compileNets(entity.nets) : undefined;
  const out: CompiledEntity = {
    notNets: compileNets(entity.notNets),
    selector: sel === '' ? -1 : intern(sel),
    notSelector: entity.notSelector ? intern(entity.notSelector) : -1,
    services: entity.services !== undefined,
  };
  return {
    ...out,
    ...(nets ? { nets } : {}),
    ...(compilePorts(entity.ports) ? { ports: compilePorts(entity.ports) } : {}),
    ...(compilePorts(entity.notPorts) ? { notPorts: compilePorts(entity.notPorts) } : {}),
  };
}

/** Felix `filterNets` + `FilterRuleToIPVersion`: is the rule rendered at all for `family`? */
function renderedFor(rule: Rule, src: CompiledEntity, dst: CompiledEntity, family: IPFamily): boolean {
  if (rule.ipVersion !== undefined && rule.ipVersion !== family) return false;
  for (const side of [src, dst]) {
    if (side.nets && !side.nets.some((n) => n.family === family)) return false;
    const own = side.notNets.filter((n) => n.family === family);
    if (side.notNets.length > 0 && own.length === 0) return false;
    if (own.some(isCatchAll)) return false;
  }
  return true;
}

/**
 * Compiles one rule.
 *
 * @param rule The rule.
 * @param index Its index in the policy's list.
 * @param namespace The owning policy's namespace (`''` for global policies and profiles).
 * @param intern Interns peer selector texts.
 */
export function compileRule(rule: Rule, index: number, namespace: string, intern: SelectorInterner): CompiledRule {
  const source = compileEntity(rule.source, namespace, intern);
  const destination = compileEntity(rule.destination, namespace, intern);
  const protocol = protocolToNumber(rule.protocol);
  const notProtocol = protocolToNumber(rule.notProtocol);
  return {
    index,
    action: rule.action,
    ...(rule.ipVersion !== undefined ? { ipVersion: rule.ipVersion } : {}),
    rendered: { 4: renderedFor(rule, source, destination, 4), 6: renderedFor(rule, source, destination, 6) },
    ...(protocol !== undefined ? { protocol } : {}),
    ...(notProtocol !== undefined ? { notProtocol } : {}),
    ...(rule.icmp ? { icmp: rule.icmp } : {}),
    ...(rule.notICMP ? { notICMP: rule.notICMP } : {}),
    source,
    destination,
    http: rule.http !== undefined,
  };
}
