/**
 * The error a synchronous call throws, when it is of the expected type.
 *
 * @module
 */

/**
 * Calls `f` and returns what it throws when `is` accepts it; anything else it throws is
 * re-thrown, and returning normally fails.
 *
 * @param f The call expected to throw.
 * @param is Type guard of the expected error.
 * @param expected Name of the expected error, for the failure message.
 * @return The thrown error.
 */
export function thrownBy<E>(f: () => unknown, is: (e: unknown) => e is E, expected: string): E {
  try {
    f();
  } catch (e) {
    if (is(e)) return e;
    throw e;
  }
  throw new Error(`expected a ${expected}`);
}
