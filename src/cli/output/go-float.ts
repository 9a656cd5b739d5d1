/**
 * Go's `%v` rendering of a float64, as calicoctl prints policy and tier `order` (cli.md §8.1).
 *
 * Go formats `%v` of a float64 as `strconv.FormatFloat(f, 'g', -1, 64)`: the shortest digits that
 * read back to the same value, written in exponent form when the decimal exponent is below −4 or
 * at least 6 (with the shortest precision Go compares against a fixed 6, not the digit count), and
 * plain decimal form otherwise. The exponent has a sign and at least two digits (`1e+06`, `1e-05`).
 *
 * @module
 */

/** Exponent at which shortest-precision `%g` switches to exponent form. */
const EXPONENT_FORM_FROM = 6;
/** Exponent below which `%g` switches to exponent form. */
const EXPONENT_FORM_BELOW = -4;

/** The shortest round-trip decimal digits of a finite, non-zero magnitude and its decimal exponent. */
interface ShortestDigits {
  /** Significant digits without leading or trailing zeros, for example `15` for 1500000. */
  digits: string;
  /** Exponent of the first digit: the value is `d.ddd × 10^exponent`. */
  exponent: number;
}

function shortestDigits(magnitude: number): ShortestDigits {
  // ECMAScript's toExponential() without an argument yields the shortest round-trip digits.
  const [mantissa = '', exponentText = '0'] = magnitude.toExponential().split('e');
  return { digits: mantissa.replace('.', ''), exponent: Number(exponentText) };
}

function exponentForm({ digits, exponent }: ShortestDigits): string {
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const sign = exponent < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

function decimalForm({ digits, exponent }: ShortestDigits): string {
  if (exponent < 0) return `0.${'0'.repeat(-exponent - 1)}${digits}`;
  const integerDigits = exponent + 1;
  if (digits.length <= integerDigits) return digits + '0'.repeat(integerDigits - digits.length);
  return `${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`;
}

/**
 * Formats a number the way Go's `fmt.Sprintf("%v", float64(value))` does.
 *
 * Special values follow Go too: `NaN`, `+Inf`, `-Inf`, and `-0` for negative zero.
 *
 * @param value The number.
 * @return Go's text, for example `1000` for 1000, `1e+06` for 1000000, `1.5e+06` for 1500000,
 *   `0.5` for 0.5 and `1e-05` for 0.00001.
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const sign = value < 0 ? '-' : '';
  const shortest = shortestDigits(Math.abs(value));
  const useExponent = shortest.exponent < EXPONENT_FORM_BELOW || shortest.exponent >= EXPONENT_FORM_FROM;
  return sign + (useExponent ? exponentForm(shortest) : decimalForm(shortest));
}
