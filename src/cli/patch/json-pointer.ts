/**
 * RFC 6901 JSON Pointers as RFC 6902 JSON Patch uses them.
 *
 * @module
 */

/**
 * Splits a JSON Pointer into its reference tokens, unescaping `~1` to `/` and `~0` to `~`.
 *
 * @param pointer The pointer text: empty for the whole document, else `/`-prefixed tokens.
 * @return The tokens (empty for the whole document).
 * @throws Error with a short reason when the pointer does not start with `/` or holds a `~` that
 *   is not followed by `0` or `1`.
 */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error('a JSON pointer must be empty or start with "/"');
  return pointer.slice(1).split('/').map((token) => {
    if (/~(?![01])/.test(token)) throw new Error(`"~" must be followed by 0 or 1 in "${token}"`);
    return token.replace(/~1/g, '/').replace(/~0/g, '~');
  });
}

/**
 * Reads an array index token: `0` or a decimal number without leading zeros.
 *
 * @param token The reference token.
 * @return The index, or undefined when the token is not an array index (`-` included).
 */
export function arrayIndexOf(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}
