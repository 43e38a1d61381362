/** Small helpers the benchmarks share: wall-clock measurement and figure formatting. */
import { performance } from 'node:perf_hooks';

export interface Measured<T> { result: T; ms: number }

export function measure<T>(run: () => T): Measured<T> {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

/** Best of `repeat` runs after one warm-up run. */
export function bestOf<T>(repeat: number, run: () => T): Measured<T> {
  run();
  let best: Measured<T> | undefined;
  for (let i = 0; i < repeat; i++) {
    const m = measure(run);
    if (best === undefined || m.ms < best.ms) best = m;
  }
  return best!;
}

export function perSecond(count: number, ms: number): string {
  const rate = count / (ms / 1000);
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)}M/s`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(1)}k/s`;
  return `${rate.toFixed(0)}/s`;
}

export function row(label: string, value: string): void {
  console.log(`${label.padEnd(44)} ${value}`);
}
