import { FixedWindowStorage } from './fixed-window.storage.js';

describe('FixedWindowStorage', () => {
  it('allows the limit, then blocks until the window ends, then starts a new window', () => {
    const storage = new FixedWindowStorage();
    const at = (ms: number, key = 'client') => storage.count(key, 10_000, 2, 1_000_000 + ms);
    expect(at(0)).toEqual({ totalHits: 1, timeToExpire: 10, isBlocked: false, timeToBlockExpire: 0 });
    expect(at(100).isBlocked).toBe(false);
    expect(at(2_500)).toEqual({ totalHits: 3, timeToExpire: 8, isBlocked: true, timeToBlockExpire: 8 });
    expect(at(9_999)).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    expect(at(10_000)).toEqual({ totalHits: 1, timeToExpire: 10, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('keeps clients apart', () => {
    const storage = new FixedWindowStorage();
    storage.count('a', 1000, 1, 0);
    expect(storage.count('a', 1000, 1, 1).isBlocked).toBe(true);
    expect(storage.count('b', 1000, 1, 1).isBlocked).toBe(false);
  });

  it('forgets ended windows, so one-off clients cannot grow it without bound', () => {
    const storage = new FixedWindowStorage();
    for (let i = 0; i < 1000; i++) storage.count(`client-${i}`, 1000, 10, i % 500);
    expect(storage.size).toBe(1000);
    storage.count('late', 1000, 10, 5_000);
    expect(storage.size).toBe(1);
  });
});
