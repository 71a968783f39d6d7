import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Lets long loops give the event loop back every few milliseconds, so work on
 * 100k records never holds up other requests for long. Callers check
 * `due()` cheaply and await `yield()` only when it says so.
 */
export class TimeSlicer {
  private sliceStarted = performance.now();

  constructor(readonly budgetMs = 8) {}

  due(): boolean {
    return performance.now() - this.sliceStarted >= this.budgetMs;
  }

  async yield(): Promise<void> {
    await nextTurn();
    this.sliceStarted = performance.now();
  }
}

/** Checks the clock only every 1024 iterations; `performance.now()` is not free. */
export const CHECK_EVERY = 1024;

const RUN = 2048;

/** A stable merge sort of `order` by `compare`, in runs and merge steps that yield between slices. */
export async function sortSliced(order: Uint32Array, compare: (a: number, b: number) => number, slicer = new TimeSlicer()): Promise<Uint32Array> {
  const n = order.length;
  for (let start = 0; start < n; start += RUN) {
    order.subarray(start, Math.min(n, start + RUN)).sort(compare);
    if (slicer.due()) await slicer.yield();
  }
  let source: Uint32Array = order;
  let target: Uint32Array = new Uint32Array(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let left = 0; left < n; left += 2 * width) {
      const middle = Math.min(left + width, n);
      const right = Math.min(left + 2 * width, n);
      let i = left;
      let j = middle;
      for (let k = left; k < right; k++) {
        target[k] = i < middle && (j >= right || compare(source[i], source[j]) <= 0) ? source[i++] : source[j++];
        if ((k & (CHECK_EVERY - 1)) === 0 && slicer.due()) await slicer.yield();
      }
    }
    [source, target] = [target, source];
  }
  return source;
}
