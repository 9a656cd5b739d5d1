/**
 * The order calicoctl's YAML output gives mapping keys (cli.md §8.3).
 *
 * calicoctl turns an object into JSON, then into a generic map, and prints that with go-yaml v2,
 * which sorts string keys "naturally": code point by code point, except that a non-letter sorts
 * before a letter and a run of decimal digits compares by its numeric value (`a9` before `a10`).
 * For keys of ASCII letters only this is the plain alphabetical order (upper case first).
 *
 * @module
 */

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;
const ZERO = 0x30;

const isLetter = (c: string | undefined): boolean => c !== undefined && LETTER.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && DIGIT.test(c);
const codePoint = (c: string): number => c.codePointAt(0) ?? 0;

/** Reads the digit run starting at `from`; Go accumulates it in a wrapping int64. */
function digitRun(chars: readonly string[], from: number, start: bigint): { value: bigint; end: number } {
  let value = start;
  let end = from;
  while (end < chars.length && isDigit(chars[end])) {
    value = BigInt.asIntN(64, value * 10n + BigInt(codePoint(chars[end] ?? '') - ZERO));
    end += 1;
  }
  return { value, end };
}

/** True when a digit other than 0 precedes position `at` within the same digit run. */
function nonZeroDigitBefore(chars: readonly string[], at: number): boolean {
  for (let j = at - 1; j >= 0 && isDigit(chars[j]); j -= 1) {
    if (chars[j] !== '0') return true;
  }
  return false;
}

/** go-yaml v2's "a sorts before b" for two string keys. */
function keyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i += 1) {
    const ac = ar[i] ?? '';
    const bc = br[i] ?? '';
    if (ac === bc) continue;
    const aLetter = isLetter(ac);
    const bLetter = isLetter(bc);
    if (aLetter && bLetter) return codePoint(ac) < codePoint(bc);
    if (aLetter || bLetter) return bLetter;
    // Inside a number whose earlier digits are not all zero, a 0 is just another digit.
    const start = (ac === '0' || bc === '0') && nonZeroDigitBefore(ar, i) ? 1n : 0n;
    const aRun = digitRun(ar, i, start);
    const bRun = digitRun(br, i, start);
    if (aRun.value !== bRun.value) return aRun.value < bRun.value;
    if (aRun.end !== bRun.end) return aRun.end < bRun.end;
    return codePoint(ac) < codePoint(bc);
  }
  return ar.length < br.length;
}

/**
 * Compares two mapping keys in go-yaml v2's order, for `Array.prototype.sort`.
 *
 * @param a A key.
 * @param b Another key.
 * @return Negative when `a` comes first, positive when `b` does, 0 when neither does.
 */
export function compareYamlKeys(a: string, b: string): number {
  if (keyLess(a, b)) return -1;
  return keyLess(b, a) ? 1 : 0;
}
