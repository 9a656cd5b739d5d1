/**
 * The test framework the conformance suite runs under, passed in by the caller: the suite calls
 * `describe`, `it`, `beforeEach`, `afterEach` and `expect` through here and never imports a test
 * runner itself, so the published package does not depend on one.
 *
 * @module
 */

/** The assertions the suite uses; vitest's and Jest's `expect` provide them. */
export interface ConformanceMatchers {
  /** `Object.is` equality. */
  toBe(expected: unknown): void;
  /** Deep equality. */
  toEqual(expected: unknown): void;
  /** A string matching a pattern or containing a text. */
  toMatch(expected: string | RegExp): void;
  /** An array or string containing an item. */
  toContain(expected: unknown): void;
  /** An array or string of this length. */
  toHaveLength(length: number): void;
  /** Strictly `undefined`. */
  toBeUndefined(): void;
  /** Anything but `undefined`. */
  toBeDefined(): void;
  /** An object containing these members. */
  toMatchObject(expected: object): void;
  /** The negated assertions. */
  readonly not: ConformanceMatchers;
}

/** The functions of a test framework the conformance suite needs (vitest's and Jest's have this shape). */
export interface ConformanceTestApi {
  /** Groups tests. */
  describe(name: string, body: () => void): void;
  /** Declares one test; `timeout` in milliseconds. */
  it(name: string, body: () => Promise<void> | void, timeout?: number): void;
  /** Runs before each test of the group. */
  beforeEach(fn: () => Promise<void> | void): void;
  /** Runs after each test of the group. */
  afterEach(fn: () => Promise<void> | void): void;
  /** Starts an assertion. */
  expect(actual: unknown, message?: string): ConformanceMatchers;
}

let current: ConformanceTestApi | undefined;

function api(): ConformanceTestApi {
  if (!current) throw new Error('the conformance suite runs only inside runBackendConformance');
  return current;
}

/**
 * Sets the framework the suite's cases call (by `runBackendConformance` before it registers them).
 *
 * @param testApi The caller's test functions.
 */
export function useTestApi(testApi: ConformanceTestApi): void {
  current = testApi;
}

/** The framework's `it`, as the suite's cases call it. */
export function it(name: string, body: () => Promise<void> | void, timeout?: number): void {
  api().it(name, body, timeout);
}

/** The framework's `expect`, as the suite's cases call it. */
export function expect(actual: unknown, message?: string): ConformanceMatchers {
  return api().expect(actual, message);
}
