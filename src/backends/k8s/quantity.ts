/**
 * Kubernetes resource quantities (`1k`, `10M`, `1.5Gi`, `4e3`), as used by the bandwidth and QoS
 * annotations of Pods: parsing and the integer value Kubernetes' `Quantity.Value()` returns
 * (rounded up, away from zero).
 *
 * @module
 */

const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(.*)$/;
const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const EXPONENT_RE = /^[eE]([+-]?\d+)$/;
/** Beyond this decimal exponent the exact value no longer matters (it is clamped by every caller). */
const EXPONENT_CAP = 40;

/**
 * Parses a quantity and returns its value as an integer, rounded up (away from zero) like
 * Kubernetes' `Quantity.Value()`.
 *
 * ## Example
 * ```ts
 * quantityValue('10M');   // 10000000n
 * quantityValue('1.5Ki'); // 1536n
 * quantityValue('0.1');   // 1n
 * quantityValue('10 M');  // undefined
 * ```
 * @param text The quantity text.
 * @return The value, or `undefined` when the text is not a quantity.
 */
export function quantityValue(text: string): bigint | undefined {
  if (typeof text !== 'string') return undefined;
  const m = QUANTITY_RE.exec(text);
  if (!m) return undefined;
  const [, sign, number = '', suffix = ''] = m;
  let exp10: number;
  let exp2 = 0;
  if (Object.hasOwn(DECIMAL_SUFFIXES, suffix)) exp10 = DECIMAL_SUFFIXES[suffix] as number;
  else if (Object.hasOwn(BINARY_SUFFIXES, suffix)) {
    exp10 = 0;
    exp2 = BINARY_SUFFIXES[suffix] as number;
  } else {
    const e = EXPONENT_RE.exec(suffix);
    if (!e) return undefined;
    exp10 = Number(e[1]);
  }
  const [whole = '', fraction = ''] = number.split('.');
  const mantissa = BigInt(`${whole}${fraction}` || '0');
  exp10 -= fraction.length;
  let magnitude: bigint;
  if (mantissa === 0n) magnitude = 0n;
  else if (exp10 > EXPONENT_CAP) magnitude = 10n ** BigInt(EXPONENT_CAP) * (mantissa << BigInt(exp2));
  else if (exp10 >= 0) magnitude = mantissa * 10n ** BigInt(exp10) * (1n << BigInt(exp2));
  else if (exp10 < -EXPONENT_CAP - 20) magnitude = 1n;
  else {
    const numerator = mantissa << BigInt(exp2);
    const denominator = 10n ** BigInt(-exp10);
    magnitude = (numerator + denominator - 1n) / denominator;
  }
  return sign === '-' ? -magnitude : magnitude;
}
