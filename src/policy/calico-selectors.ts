/**
 * The selectors Felix actually evaluates, built from a policy's fields the way libcalico-go's
 * update processors build them (`syncersv1/updateprocessors`): namespace scoping, `pcns.`/`pcsa.`
 * label prefixes and the textual `all()` rewrites, kept exactly, quirks included.
 *
 * @module
 */
import type { SelectorNode } from '../model/selector/ast.js';
import { parseSelector, renderSelector, type Selector } from '../model/selector/index.js';
import type { EntityRule } from '../model/types.generated.js';

/** Label carrying an endpoint's namespace. */
export const NAMESPACE_LABEL = 'projectcalico.org/namespace';
/** Label carrying a workload's service account. */
export const SERVICE_ACCOUNT_LABEL = 'projectcalico.org/serviceaccount';
/** Label carrying a workload's orchestrator. */
export const ORCHESTRATOR_LABEL = 'projectcalico.org/orchestrator';
/** Label a namespace or service-account profile adds with the namespace's (account's) name. */
export const NAME_LABEL = 'projectcalico.org/name';
/** Prefix of labels inherited from a namespace profile. */
export const NAMESPACE_LABEL_PREFIX = 'pcns.';
/** Prefix of labels inherited from a service-account profile. */
export const SERVICE_ACCOUNT_LABEL_PREFIX = 'pcsa.';
/** Name prefix of namespace profiles. */
export const NAMESPACE_PROFILE_PREFIX = 'kns.';
/** Name prefix of service-account profiles. */
export const SERVICE_ACCOUNT_PROFILE_PREFIX = 'ksa.';

function prefixNode(node: SelectorNode, prefix: string): SelectorNode {
  switch (node.type) {
    case 'has':
    case 'compare':
    case 'set':
      return { ...node, label: prefix + node.label };
    case 'not':
      return { type: 'not', operand: prefixNode(node.operand, prefix) };
    case 'and':
    case 'or':
      return { type: node.type, operands: node.operands.map((o) => prefixNode(o, prefix)) };
    default:
      return node;
  }
}

/**
 * `parseSelectorAttachPrefix`: the canonical text of `text` with every label key prefixed;
 * `''` when the text does not parse.
 */
export function attachPrefix(text: string, prefix: string): string {
  try {
    return renderSelector(prefixNode(parseSelector(text).ast, prefix));
  } catch {
    return '';
  }
}

/** `prefixAndAppendSelector`. */
function prefixAndAppend(current: string, added: string | undefined, prefix: string): string {
  if (!added) return current;
  const prefixed = attachPrefix(added, prefix);
  if (prefixed === '') return current;
  return current !== '' ? `(${current}) && ${prefixed}` : prefixed;
}

/**
 * The selector Felix gives a NetworkPolicy (`ConvertNetworkPolicyV3ToV1Value`): the policy's
 * selector ANDed with its namespace, then its service-account selector on `pcsa.` labels.
 */
export function namespacedPolicySelector(namespace: string, selector: string | undefined, serviceAccountSelector: string | undefined): string {
  let sel = selector ?? '';
  if (namespace !== '') {
    const ns = `${NAMESPACE_LABEL} == '${namespace}'`;
    sel = sel === '' ? ns : `(${sel}) && ${ns}`;
  }
  return prefixAndAppend(sel, serviceAccountSelector, SERVICE_ACCOUNT_LABEL_PREFIX);
}

/**
 * The selector Felix gives a GlobalNetworkPolicy (`ConvertGlobalNetworkPolicyV3ToV1Value`),
 * including the textual `all()` replacements over the whole combined text.
 */
export function globalPolicySelector(selector: string | undefined, namespaceSelector: string | undefined, serviceAccountSelector: string | undefined): string {
  let sel = selector ?? '';
  if (namespaceSelector) {
    sel = prefixAndAppend(sel, namespaceSelector, NAMESPACE_LABEL_PREFIX);
    sel = sel.replaceAll('all()', `has(${NAMESPACE_LABEL})`);
  }
  if (serviceAccountSelector) {
    sel = prefixAndAppend(sel, serviceAccountSelector, SERVICE_ACCOUNT_LABEL_PREFIX);
    sel = sel.replaceAll('all()', `has(${SERVICE_ACCOUNT_LABEL})`);
  }
  return sel;
}

function serviceAccountSelectorText(names: readonly string[] | undefined, selector: string | undefined): string {
  const prefixed = selector ? attachPrefix(selector, SERVICE_ACCOUNT_LABEL_PREFIX) : '';
  if (!names || names.length === 0) return prefixed;
  let byName: string;
  try {
    byName = parseSelector(`${SERVICE_ACCOUNT_LABEL} in { '${names.join("', '")}' }`).toString();
  } catch {
    return '';
  }
  return prefixed !== '' ? `(${prefixed}) && (${byName})` : byName;
}

/**
 * The selector of a rule's peer (`GetEntityRuleSelector`): service accounts and selector ANDed,
 * scoped to the policy's namespace unless a namespaceSelector is given (then matched on `pcns.`
 * labels, with `all()`/`global()` rewritten). `''` means "no selector match".
 *
 * @param entity The rule side.
 * @param namespace The policy's namespace (`''` for global policies).
 */
export function entitySelector(entity: EntityRule, namespace: string): string {
  const sa = entity.serviceAccounts ? serviceAccountSelectorText(entity.serviceAccounts.names, entity.serviceAccounts.selector) : '';
  let nsSel = '';
  if (entity.namespaceSelector) {
    nsSel = attachPrefix(entity.namespaceSelector, NAMESPACE_LABEL_PREFIX)
      .replaceAll('all()', `has(${NAMESPACE_LABEL})`)
      .replaceAll('global()', `!has(${NAMESPACE_LABEL})`);
  } else if (namespace !== '') {
    nsSel = `${NAMESPACE_LABEL} == '${namespace}'`;
  }
  const parts = [sa, entity.selector ?? ''].filter((s) => s !== '');
  let sel = parts.length === 0 ? '' : parts.length === 1 ? (parts[0] as string) : `(${parts.join(') && (')})`;
  if (nsSel !== '' && (sel !== '' || entity.notSelector || entity.namespaceSelector)) sel = sel !== '' ? `(${nsSel}) && (${sel})` : nsSel;
  return sel;
}

/**
 * Parses a selector Felix would evaluate; an unparsable one selects nothing (Felix drops it).
 *
 * @return The selector, or null when it does not parse.
 */
export function tryParseSelector(text: string): Selector | null {
  try {
    return parseSelector(text);
  } catch {
    return null;
  }
}
