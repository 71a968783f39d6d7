import { describe, expect, it } from '@jest/globals';
import { TimeSlicer, forEachSliced, sortSliced } from './time-slicer.js';

describe('sortSliced', () => {
  it('sorts stably across runs and merge chunks, even when every step yields', async () => {
    // 20k positions with many equal keys: several 2048-record runs and merge chunks.
    const keys = Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 97);
    const compare = (a: number, b: number) => keys[a] - keys[b];
    const expected = Array.from(keys.keys()).sort(compare);
    const yieldingAlways = new TimeSlicer(0);
    expect(Array.from(await sortSliced(Uint32Array.from(keys.keys()), compare, yieldingAlways))).toEqual(expected);
  });
});

describe('forEachSliced', () => {
  it('visits every index once, in order, in chunks of the given size', async () => {
    const seen: number[] = [];
    const chunks: Array<[number, number]> = [];
    await forEachSliced(
      2500,
      (from, to) => {
        chunks.push([from, to]);
        for (let i = from; i < to; i++) seen.push(i);
      },
      new TimeSlicer(0),
      1000,
    );
    expect(chunks).toEqual([
      [0, 1000],
      [1000, 2000],
      [2000, 2500],
    ]);
    expect(seen).toEqual(Array.from({ length: 2500 }, (_, i) => i));
  });
});
