/**
 * Per-resource error texts in calicoctl's shapes (cli.md §7.1): the library's messages for
 * datastore errors, and `error with field <path> = '<value>' (<reason>)` for validation errors.
 *
 * @module
 */
import { isValidationError, shownText, type FieldError } from '../errors.js';
import { redactUrls } from './describe-error.js';

function showValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined || text.length > 200 ? undefined : shownText(text);
}

/**
 * One field error as Calico prints it: `<path> = '<value>' (<reason>)`, without the value part
 * when there is no value.
 *
 * @param field The field error.
 * @return The text.
 */
export function fieldErrorText(field: FieldError): string {
  const value = showValue(field.value);
  const path = shownText(field.path) || '(document)';
  const message = shownText(field.message, 1024);
  return value === undefined ? `${path} (${message})` : `${path} = '${value}' (${message})`;
}

/**
 * Calico's text for a list of field errors: `error with field ...` for one, `error with the
 * following fields: ...` (items separated by `; `, so the error stays on one line) for several.
 *
 * @param fields The field errors.
 * @return The text.
 */
export function fieldErrorsText(fields: readonly FieldError[]): string {
  if (fields.length === 1) return `error with field ${fieldErrorText(fields[0]!)}`;
  return `error with the following fields: ${fields.map((f) => `-  ${fieldErrorText(f)}`).join('; ')}`;
}

/**
 * The text of one resource's failure.
 *
 * @param error Anything a resource operation threw.
 * @return One line.
 */
export function resourceErrorText(error: unknown): string {
  if (isValidationError(error)) return fieldErrorsText(error.errors);
  const message = error instanceof Error ? error.message : String(error);
  return shownText(redactUrls(message).replace(/\s*\n\s*/g, ' '), 4096);
}
