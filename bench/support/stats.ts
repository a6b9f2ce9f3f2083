// Latency figures from raw samples: every request's time is kept, so the percentiles are exact
// rather than read from a bucketed histogram.

export interface LoadFigures {
  /** Requests (or operations) that completed successfully. */
  count: number;
  /** Those that failed (an error, or an unexpected status). */
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

/** The value below which `p` of the sorted samples fall (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))] as number;
}

export function figuresOf(latenciesMs: number[], seconds: number, errors = 0): LoadFigures {
  const sorted = Float64Array.from(latenciesMs).sort();
  const values = Array.from(sorted);
  return {
    count: values.length,
    errors,
    seconds,
    perSecond: values.length / seconds,
    p50: percentile(values, 0.5),
    p99: percentile(values, 0.99),
    max: values[values.length - 1] ?? 0,
  };
}

/**
 * Runs `operation` from `concurrency` workers until `durationMs` has passed (or `limit`
 * operations have started), timing each one. Operations that throw are counted as errors.
 */
export async function closedLoop(
  concurrency: number,
  options: { durationMs?: number; limit?: number },
  operation: (index: number) => Promise<void>,
): Promise<LoadFigures> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  let firstError: unknown;
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Infinity : started + options.durationMs;
  const limit = options.limit ?? Infinity;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline && next < limit) {
      const index = next++;
      const t = performance.now();
      try {
        await operation(index);
        latencies.push(performance.now() - t);
      } catch (error) {
        errors++;
        firstError ??= error;
      }
    }
  }));
  if (firstError) console.error('  first failure:', firstError instanceof Error ? firstError.message : firstError);
  return figuresOf(latencies, (performance.now() - started) / 1000, errors);
}

/**
 * Sends `operation`s at `ratePerSecond` on average, at random (Poisson) intervals, however long
 * each takes, for `durationMs`: the latency of a server that is not saturated, as people using it
 * at their own pace see it. Each time is counted from when the operation was due, so a server
 * that falls behind is not flattered (no coordinated omission).
 */
export async function openLoop(ratePerSecond: number, durationMs: number, operation: (index: number) => Promise<void>, random: () => number): Promise<LoadFigures> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let errors = 0;
  let firstError: unknown;
  const started = performance.now();
  let due = started;
  for (let index = 0; due < started + durationMs; index++) {
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const scheduled = due;
    pending.push(operation(index).then(
      () => void latencies.push(performance.now() - scheduled),
      (error: unknown) => {
        errors++;
        firstError ??= error;
      },
    ));
    due += (-Math.log(1 - random()) / ratePerSecond) * 1000;
  }
  await Promise.all(pending);
  if (firstError) console.error('  first failure:', firstError instanceof Error ? firstError.message : firstError);
  return figuresOf(latencies, (performance.now() - started) / 1000, errors);
}
