/**
 * A virtual clock for tests that mix RxJS timers with real promises (list calls, the memory
 * backend's microtask delivery). `TestScheduler.run` flushes synchronously, so promise results
 * would land after the test; this clock runs the timers of a `VirtualTimeScheduler` one at a time
 * and lets every pending promise settle in between.
 */
import { VirtualTimeScheduler } from 'rxjs';

/** Lets every queued microtask and promise continuation run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A clock whose time moves only when the test says so. */
export interface VirtualClock {
  /** Pass as the `scheduler` option. */
  readonly scheduler: VirtualTimeScheduler;
  /** Current virtual time in milliseconds. */
  now(): number;
  /**
   * Runs every timer due within `ms` milliseconds, in order, settling promises after each, and
   * leaves the clock at `now() + ms`.
   */
  advance(ms: number): Promise<void>;
  /** How many timers are pending. */
  pending(): number;
}

/**
 * Creates a clock at time 0.
 *
 * @return The clock.
 */
export function virtualClock(): VirtualClock {
  const scheduler = new VirtualTimeScheduler();
  return {
    scheduler,
    now: () => scheduler.now(),
    pending: () => scheduler.actions.length,
    async advance(ms) {
      const target = scheduler.frame + ms;
      await settle();
      // Bounded: each step runs at least one due timer; 10k steps is far beyond any test here.
      for (let step = 0; step < 10_000; step++) {
        const next = scheduler.actions[0];
        if (!next || next.delay > target) break;
        scheduler.maxFrames = next.delay;
        scheduler.flush();
        await settle();
      }
      scheduler.frame = target;
    },
  };
}
