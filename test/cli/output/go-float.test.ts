import { describe, expect, it } from 'vitest';
import { formatGoFloat } from '../../../src/cli/output/go-float.js';

// Expected texts are what Go's fmt.Sprintf("%v", float64(x)) prints.
const CASES: readonly [number, string][] = [
  [0, '0'],
  [1, '1'],
  [100, '100'],
  [1000, '1000'],
  [100000, '100000'],
  [999999, '999999'],
  [999999.5, '999999.5'],
  [123456.789, '123456.789'],
  [1000000, '1e+06'],
  [1500000, '1.5e+06'],
  [1234567, '1.234567e+06'],
  [123456789, '1.23456789e+08'],
  [608863452348.1149, '6.088634523481149e+11'],
  [1e21, '1e+21'],
  [1e100, '1e+100'],
  [0.5, '0.5'],
  [0.0001, '0.0001'],
  [0.000123, '0.000123'],
  [0.00001, '1e-05'],
  [0.0000123, '1.23e-05'],
  [0.1 + 0.2, '0.30000000000000004'],
  [-2.5, '-2.5'],
  [-1000000, '-1e+06'],
  [5e-324, '5e-324'],
  [1.7976931348623157e308, '1.7976931348623157e+308'],
];

describe('formatGoFloat', () => {
  it.each(CASES)('%s → %s', (value, text) => {
    expect(formatGoFloat(value)).toBe(text);
  });

  it('spells the special values as Go does', () => {
    expect(formatGoFloat(Number.NaN)).toBe('NaN');
    expect(formatGoFloat(Infinity)).toBe('+Inf');
    expect(formatGoFloat(-Infinity)).toBe('-Inf');
    expect(formatGoFloat(-0)).toBe('-0');
  });
});
