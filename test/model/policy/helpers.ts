/**
 * Builders, error helpers and fast-check arbitraries for the policy tests.
 */
import fc from 'fast-check';
import type { FieldError } from '../../../src/errors.js';
import { applyDefaults } from '../../../src/model/defaults.js';
import { collectFieldErrors } from '../../../src/model/field-report.js';
import { applyGlobalNetworkPolicyDefaults, checkGlobalNetworkPolicy } from '../../../src/model/global-network-policy.js';
import { applyNetworkPolicyDefaults, checkNetworkPolicy } from '../../../src/model/network-policy.js';
import type { GlobalNetworkPolicy, NetworkPolicy } from '../../../src/model/types.generated.js';
import { validate } from '../../../src/model/validate.js';

export const API = 'projectcalico.org/v3' as const;

type Loose = Record<string, unknown>;

/** A NetworkPolicy document with the given spec (typed loosely: tests feed invalid values). */
export function np(spec: Loose, metadata: Loose = { name: 'allow-web', namespace: 'shop' }): NetworkPolicy {
  return { apiVersion: API, kind: 'NetworkPolicy', metadata, spec } as unknown as NetworkPolicy;
}

/** A GlobalNetworkPolicy document with the given spec. */
export function gnp(spec: Loose, metadata: Loose = { name: 'global-web' }): GlobalNetworkPolicy {
  return { apiVersion: API, kind: 'GlobalNetworkPolicy', metadata, spec } as unknown as GlobalNetworkPolicy;
}

/** Function level: the kind's defaults, then the kind's semantic check. */
export function checkErrors(doc: NetworkPolicy | GlobalNetworkPolicy): FieldError[] {
  const { errors, report } = collectFieldErrors();
  if (doc.kind === 'GlobalNetworkPolicy') checkGlobalNetworkPolicy(applyGlobalNetworkPolicyDefaults(doc), report);
  else checkNetworkPolicy(applyNetworkPolicyDefaults(doc), report);
  return errors;
}

/** The full pipeline the client runs: `validate(applyDefaults(doc))`. */
export function pipelineErrors(doc: unknown): FieldError[] {
  return validate(applyDefaults(doc)).errors;
}

/** Sorted distinct paths of a list of errors. */
export function pathsOf(errors: readonly FieldError[]): string[] {
  return [...new Set(errors.map((e) => e.path))].sort();
}

/** Ingress-rule policy with one rule, for rule-level cases. */
export function ingressRule(rule: Loose): NetworkPolicy {
  return np({ ingress: [rule] });
}

/** Egress-rule policy with one rule. */
export function egressRule(rule: Loose): NetworkPolicy {
  return np({ egress: [rule] });
}

// ---------------------------------------------------------------------------------------------
// Arbitraries of valid rules.

type Family = 4 | 6;
type Direction = 'ingress' | 'egress';

const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?$/);

/** A strictly masked network of the family, with an explicit prefix of 1 or more (never a catch-all). */
export function netArb(family: Family): fc.Arbitrary<string> {
  if (family === 4) {
    return fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 32 })).map(([value, len]) => {
      const masked = len === 32 ? value >>> 0 : (value & ~(0xffffffff >>> len)) >>> 0;
      return `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${len}`;
    });
  }
  return fc
    .tuple(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 1, max: 128 }))
    .map(([groups, len]) => {
      const masked = groups.map((g, i) => {
        const bits = Math.max(0, Math.min(16, len - i * 16));
        return bits === 16 ? g : g & ((0xffff << (16 - bits)) & 0xffff);
      });
      return `${masked.map((g) => g.toString(16)).join(':')}/${len}`;
    });
}

const selectorArb = fc.constantFrom('', 'all()', 'app == "web"', 'has(role) && env != "dev"', 'tier in {"a", "b"}', '!has(debug)');
const namespaceSelectorArb = fc.constantFrom('', 'all()', 'global()', ' global( ) ', 'team == "x"', 'projectcalico.org/name starts with "kube"');
const notSelectorArb = fc.constantFrom('', 'app == "db"', 'global()', 'has(x) || has(y)');

/** A valid port for the given protocol situation. */
function portsArb(kind: 'any' | 'named'): fc.Arbitrary<(number | string)[]> {
  const named = fc.constantFrom('http', 'https', 'metrics', 'dns-tcp');
  const numeric = fc.oneof(
    fc.integer({ min: 1, max: 65535 }),
    fc.integer({ min: 1, max: 65535 }).map(String),
    fc.tuple(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 })).map(([a, b]) => `${Math.min(a, b)}:${Math.max(a, b)}`),
  );
  return fc.array(kind === 'named' ? named : fc.oneof(named, numeric), { minLength: 1, maxLength: 4 });
}

interface EntityShape {
  family: Family;
  ports: 'any' | 'named' | 'none';
  services: 'none' | 'allowed';
  requireServiceNamespace: boolean;
  isDestination: boolean;
}

function entityArb(shape: EntityShape): fc.Arbitrary<Loose> {
  const portFields = shape.ports === 'none' ? fc.constant({}) : fc.record({ ports: portsArb(shape.ports), notPorts: portsArb(shape.ports) }, { requiredKeys: [] });
  const plain = fc
    .tuple(
      fc.record(
        {
          nets: fc.uniqueArray(netArb(shape.family), { minLength: 1, maxLength: 3 }),
          notNets: fc.uniqueArray(netArb(shape.family), { minLength: 1, maxLength: 3 }),
          selector: selectorArb,
          notSelector: notSelectorArb,
          namespaceSelector: namespaceSelectorArb,
          serviceAccounts: fc.record({ names: fc.uniqueArray(dnsLabel, { maxLength: 3 }), selector: selectorArb }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
      portFields,
    )
    .map(([a, b]) => ({ ...a, ...b }));
  if (shape.services === 'none') return plain;
  const service = fc
    .record({ name: dnsLabel, namespace: dnsLabel }, { requiredKeys: shape.requireServiceNamespace ? ['name', 'namespace'] : ['name'] })
    .map((services) => ({ services }));
  // Destination services use the Service's ports; source services may still list ports.
  const withService = shape.isDestination ? service : fc.tuple(service, portFields).map(([a, b]) => ({ ...a, ...b }));
  return fc.oneof(plain, withService);
}

const PORT_PROTOCOLS = ['TCP', 'UDP', 'SCTP', 6, 17, 132, '6', '17'] as const;
const OTHER_PROTOCOLS = ['UDPLite', 47, '136', 'ICMP', 'ICMPv6', 1, 58] as const;

function isIcmpFor(protocol: unknown, family: Family): boolean {
  return family === 4 ? protocol === 'ICMP' || protocol === 1 : protocol === 'ICMPv6' || protocol === 58;
}

function isIcmpAny(protocol: unknown): boolean {
  return isIcmpFor(protocol, 4) || isIcmpFor(protocol, 6);
}

/**
 * A random rule that satisfies every rule of model.md §9.5–§9.7 in the given direction.
 *
 * @param direction Where the rule goes: `services` only in ingress sources and egress destinations, `http` only in ingress.
 * @param requireServiceNamespace GlobalNetworkPolicy rules need `services.namespace`.
 */
export function validRuleArb(direction: Direction, requireServiceNamespace = false): fc.Arbitrary<Loose> {
  return fc
    .record({
      action: fc.constantFrom('Allow', 'Deny', 'Log', 'Pass'),
      family: fc.constantFrom<Family>(4, 6),
      setIpVersion: fc.boolean(),
      protocolKind: fc.constantFrom('none', 'ports', 'other'),
      portProtocol: fc.constantFrom(...PORT_PROTOCOLS),
      otherProtocol: fc.constantFrom(...OTHER_PROTOCOLS),
      notProtocol: fc.option(fc.constantFrom('UDPLite', 47, 'TCP', 'UDP', '17'), { nil: undefined }),
      icmp: fc.option(fc.record({ type: fc.integer({ min: 0, max: 254 }), code: fc.integer({ min: 0, max: 255 }) }, { requiredKeys: ['type'] }), { nil: undefined }),
      notICMP: fc.option(fc.record({ type: fc.integer({ min: 0, max: 254 }), code: fc.integer({ min: 0, max: 255 }) }, { requiredKeys: ['type'] }), { nil: undefined }),
      http: fc.option(
        fc.record(
          {
            methods: fc.uniqueArray(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), { maxLength: 4 }),
            paths: fc.array(fc.oneof(fc.record({ exact: fc.constantFrom('/', '/api', '/a/b.c') }), fc.record({ prefix: fc.constantFrom('/', '/v1/', '/static') })), { maxLength: 3 }),
          },
          { requiredKeys: [] },
        ),
        { nil: undefined },
      ),
      annotations: fc.option(fc.dictionary(dnsLabel, fc.string({ maxLength: 20 }), { maxKeys: 3 }), { nil: undefined }),
      seed: fc.nat(),
    })
    .chain((r) => {
      const protocol = r.protocolKind === 'none' ? undefined : r.protocolKind === 'ports' ? r.portProtocol : r.otherProtocol;
      // An ICMP protocol decides the family when ipVersion is set.
      const family: Family = protocol !== undefined && isIcmpAny(protocol) ? (isIcmpFor(protocol, 4) ? 4 : 6) : r.family;
      const ports: EntityShape['ports'] = r.protocolKind === 'none' ? 'named' : r.protocolKind === 'ports' ? 'any' : 'none';
      const shape = (isDestination: boolean): EntityShape => ({
        family,
        ports,
        services: (direction === 'ingress') !== isDestination ? 'allowed' : 'none',
        requireServiceNamespace,
        isDestination,
      });
      return fc
        .record({ source: entityArb(shape(false)), destination: entityArb(shape(true)) }, { requiredKeys: [] })
        .map((entities) => {
          const rule: Loose = { action: r.action, ...entities };
          if (protocol !== undefined) rule.protocol = protocol;
          if (r.setIpVersion) rule.ipVersion = family;
          // A notProtocol that is ICMP of the other family would contradict ipVersion, so only port protocols are used.
          if (r.notProtocol !== undefined) rule.notProtocol = r.notProtocol;
          if (r.icmp && protocol !== undefined && isIcmpAny(protocol)) rule.icmp = r.icmp;
          if (r.notICMP) rule.notICMP = r.notICMP;
          const tcpOrNone = protocol === undefined || protocol === 'TCP' || protocol === 6 || protocol === '6';
          if (r.http && r.action === 'Allow' && tcpOrNone && direction === 'ingress') rule.http = r.http;
          if (r.annotations) rule.metadata = { annotations: r.annotations };
          return rule;
        });
    });
}

/** A random valid NetworkPolicy (before defaulting). */
export const validNetworkPolicyArb: fc.Arbitrary<NetworkPolicy> = fc
  .record(
    {
      name: fc.oneof(dnsLabel, fc.tuple(dnsLabel, dnsLabel).map(([a, b]) => `${a}.${b}`)),
      namespace: dnsLabel,
      tier: fc.constantFrom('', 'default', 'security'),
      order: fc.oneof(fc.integer({ min: -10, max: 2000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
      selector: selectorArb,
      serviceAccountSelector: selectorArb,
      types: fc.constantFrom<string[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress'], ['Egress', 'Ingress']),
      ingress: fc.array(validRuleArb('ingress'), { maxLength: 3 }),
      egress: fc.array(validRuleArb('egress'), { maxLength: 3 }),
      performanceHints: fc.constant(['AssumeNeededOnEveryNode']),
    },
    { requiredKeys: ['name', 'namespace'] },
  )
  .map(({ name, namespace, ...spec }) => np(spec, { name, namespace }));

/** A random valid GlobalNetworkPolicy (before defaulting). */
export const validGlobalNetworkPolicyArb: fc.Arbitrary<GlobalNetworkPolicy> = fc
  .record(
    {
      name: fc.oneof(dnsLabel, fc.tuple(dnsLabel, dnsLabel).map(([a, b]) => `${a}.${b}`)),
      tier: fc.constantFrom('', 'default', 'security'),
      order: fc.integer({ min: 0, max: 2000 }),
      selector: selectorArb,
      namespaceSelector: selectorArb,
      ingress: fc.array(validRuleArb('ingress', true), { maxLength: 3 }),
      egress: fc.array(validRuleArb('egress', true), { maxLength: 3 }),
      mode: fc.constantFrom('normal', 'doNotTrack', 'preDNAT', 'applyOnForward'),
    },
    { requiredKeys: ['name', 'mode'] },
  )
  .map(({ name, mode, ...spec }) => {
    const s: Loose = { ...spec };
    if (mode === 'doNotTrack') Object.assign(s, { doNotTrack: true, applyOnForward: true });
    if (mode === 'applyOnForward') s.applyOnForward = true;
    if (mode === 'preDNAT') {
      Object.assign(s, { preDNAT: true, applyOnForward: true, types: ['Ingress'] });
      delete s.egress;
    }
    return gnp(s, { name });
  });
