/**
 * The collector semantic checks write into: one call per failing field.
 *
 * @module
 */
import type { FieldError, FieldErrorType } from '../errors.js';

/**
 * Records one failing field. `path` is a JSON path from the object root
 * (`spec.ingress[0].destination.ports[1]`); `message` says what is wrong without repeating it.
 */
export type ReportFn = (path: string, type: FieldErrorType, message: string, value?: unknown) => void;

/**
 * Creates a {@link ReportFn} that appends to a list.
 *
 * ## Example
 * ```ts
 * const { errors, report } = collectFieldErrors();
 * report('spec.cidr', 'invalid', 'host bits must be zero', '10.0.0.1/24');
 * ```
 * @return The list and the function that fills it.
 */
export function collectFieldErrors(): { errors: FieldError[]; report: ReportFn } {
  const errors: FieldError[] = [];
  const report: ReportFn = (path, type, message, value) => {
    errors.push(value === undefined ? { path, type, message } : { path, type, message, value });
  };
  return { errors, report };
}

/** Joins a path and a child field: `childPath('spec', 'cidr')` → `spec.cidr`, `childPath('spec.ports', 2)` → `spec.ports[2]`. */
export function childPath(parent: string, child: string | number): string {
  if (typeof child === 'number') return `${parent}[${child}]`;
  return parent ? `${parent}.${child}` : child;
}
