/**
 * The envelope of the backends' continue tokens: a JSON object, base64url-encoded. Each backend
 * puts its own members in it and checks them when the token comes back.
 *
 * @module
 */
import { asRecord } from '../model/plain-object.js';

/**
 * Encodes a token's members.
 *
 * @param members What the backend needs to continue the list.
 * @return The opaque token text.
 */
export function encodeContinueToken(members: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(members), 'utf8').toString('base64url');
}

/**
 * Decodes a token made by {@link encodeContinueToken}.
 *
 * @param text The token as the caller passed it back.
 * @return Its members, or undefined when the text is not such a token (the caller then rejects
 *   it with its own ValidationError).
 */
export function decodeContinueToken(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return asRecord(parsed);
  } catch {
    return undefined;
  }
}
