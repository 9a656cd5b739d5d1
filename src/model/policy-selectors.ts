/**
 * The selector-field rules of policies and rules (model.md §9.1, §9.6, §10; selectors.md §1,
 * §9.2): a length cap, where `global()` may appear, and valid syntax.
 *
 * @module
 */
import type { ReportFn } from './field-report.js';
import { isSoleGlobalSelector, validateSelector } from './selector/index.js';

/** Longest selector text accepted in the fields that cap it (every policy selector field except `serviceAccounts.selector`). */
export const MAX_POLICY_SELECTOR_LENGTH = 1024;

/**
 * Where `global()` may appear in a selector field:
 * - `forbidden`: nowhere, not even inside a quoted value (a plain substring test on `global(`,
 *   as Calico's CEL rules do);
 * - `sole`: only as the whole expression (`global()`, spaces allowed), the rule of an entity
 *   rule's `namespaceSelector`;
 * - `allowed`: no restriction beyond syntax (`notSelector`, `serviceAccounts.selector`).
 */
export type GlobalSelectorRule = 'forbidden' | 'sole' | 'allowed';

/** How one selector field is checked. */
export interface SelectorFieldRule {
  /** Where `global()` may appear. */
  global: GlobalSelectorRule;
  /**
   * Whether the field is capped at {@link MAX_POLICY_SELECTOR_LENGTH} characters.
   * @default true
   */
  capped?: boolean;
}

function shortText(value: string): string | undefined {
  return value.length <= 128 ? value : undefined;
}

/**
 * Checks one selector field and reports at most one problem at `path`: too long (`tooLong`),
 * `global()` where the field does not allow it (`invalid`), or a syntax error with its position
 * (`invalid`). Non-string values are left to the schema; the empty string is valid everywhere.
 *
 * ## Example
 * ```ts
 * checkSelectorField('global()', 'spec.selector', { global: 'forbidden' }, report);
 * // report('spec.selector', 'invalid', 'global() can only be used as a rule namespaceSelector', 'global()')
 * ```
 * @param value The field's value.
 * @param path Path of the field.
 * @param rule How the field is checked.
 * @param report Receives the failure.
 */
export function checkSelectorField(value: unknown, path: string, rule: SelectorFieldRule, report: ReportFn): void {
  if (typeof value !== 'string' || value === '') return;
  if (rule.capped !== false && value.length > MAX_POLICY_SELECTOR_LENGTH) {
    report(path, 'tooLong', `must be at most ${MAX_POLICY_SELECTOR_LENGTH} characters (is ${value.length})`);
    return;
  }
  if (value.includes('global(')) {
    if (rule.global === 'forbidden') {
      report(path, 'invalid', 'global() can only be used as a rule namespaceSelector', shortText(value));
      return;
    }
    if (rule.global === 'sole' && !isSoleGlobalSelector(value)) {
      report(path, 'invalid', 'global() must be the whole namespaceSelector expression when used', shortText(value));
      return;
    }
  }
  const error = validateSelector(value);
  if (error) report(path, 'invalid', `invalid selector: ${error.reason} at position ${error.position}`, shortText(value));
}
