import { jest } from '@jest/globals';
import { SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MemoizedReflector } from './memoized-reflector.js';

@SetMetadata('limit', 5)
class Limited {
  @SetMetadata('limit', 1)
  strict(): void {}

  loose(): void {}
}

describe('MemoizedReflector', () => {
  const plain = new Reflector();
  const memoized = new MemoizedReflector();
  const targets = (handler: () => void): [() => void, typeof Limited] => [handler, Limited];

  it('answers exactly what Reflector answers, handler first, then class', () => {
    for (const handler of [Limited.prototype.strict, Limited.prototype.loose]) {
      for (const key of ['limit', 'absent']) {
        expect(memoized.getAllAndOverride(key, targets(handler))).toEqual(plain.getAllAndOverride(key, targets(handler)));
      }
    }
    expect(memoized.getAllAndOverride('limit', targets(Limited.prototype.strict))).toBe(1);
    expect(memoized.getAllAndOverride('limit', targets(Limited.prototype.loose))).toBe(5);
  });

  it('reads metadata once per handler, class and key', () => {
    const reads = jest.spyOn(Reflect, 'getMetadata');
    try {
      const fresh = new MemoizedReflector();
      for (let i = 0; i < 5; i++) fresh.getAllAndOverride('limit', targets(Limited.prototype.loose));
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      reads.mockRestore();
    }
  });
});
