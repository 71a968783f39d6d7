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

/**
 * Runs `chunk(from, to)` over [0, count) a chunk at a time, yielding between
 * slices. The loops live in synchronous functions: a loop with an `await`
 * in it keeps its variables in a heap context and ran about 2x slower.
 */
export async function forEachSliced(count: number, chunk: (from: number, to: number) => void, slicer = new TimeSlicer(), chunkSize = CHECK_EVERY): Promise<void> {
  for (let from = 0; from < count; from += chunkSize) {
    chunk(from, Math.min(count, from + chunkSize));
    if (slicer.due()) await slicer.yield();
  }
}

const RUN = 2048;
const MERGE_CHUNK = 4 * CHECK_EVERY;

interface MergeCursor {
  i: number;
  j: number;
  k: number;
}

/** Merges source[i, middle) and source[j, right) into target from k, until k reaches `until`. */
function mergeInto(source: Uint32Array, target: Uint32Array, cursor: MergeCursor, middle: number, right: number, until: number, compare: (a: number, b: number) => number): void {
  let { i, j, k } = cursor;
  for (; k < until; k++) target[k] = i < middle && (j >= right || compare(source[i], source[j]) <= 0) ? source[i++] : source[j++];
  cursor.i = i;
  cursor.j = j;
  cursor.k = k;
}

/** A stable merge sort of `order` by `compare`: native sorts of short runs, then merge passes, yielding between slices. */
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
      const cursor = { i: left, j: middle, k: left };
      while (cursor.k < right) {
        mergeInto(source, target, cursor, middle, right, Math.min(right, cursor.k + MERGE_CHUNK), compare);
        if (slicer.due()) await slicer.yield();
      }
    }
    [source, target] = [target, source];
  }
  return source;
}
