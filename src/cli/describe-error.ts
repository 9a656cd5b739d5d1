/**
 * One line per error for the terminal: the message, never a stack trace unless asked for, and
 * never a credential (the library's messages carry none; URLs are stripped of user info here too).
 *
 * @module
 */
import { shownText } from '../errors.js';

/** Removes `user:password@` from any URL inside a message. */
export function redactUrls(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1');
}

/**
 * Formats an error for stderr.
 *
 * @param error Anything thrown.
 * @param debug Append the stack trace.
 * @return The text to print (no trailing newline).
 */
export function describeError(error: unknown, debug: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = shownText(redactUrls(message), 4096);
  if (!debug || !(error instanceof Error) || !error.stack) return line;
  return `${line}\n${redactUrls(error.stack)}`;
}
