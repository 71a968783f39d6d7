import { InvalidCursorError, decodeCursor, encodeCursor } from './cursor.js';

const position = { sort: '-createdAt' as const, key: { value: 1735689600000, id: 'bv:ä-1' }, querySignature: 'abc123' };

describe('cursor', () => {
  it('round-trips a position, including null and non-ASCII keys', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
    const named = { sort: 'name' as const, key: { value: 'zürich ärzte', id: 'invent:1' }, querySignature: 'q' };
    expect(decodeCursor(encodeCursor(named))).toEqual(named);
    const nulls = { ...position, key: { value: null, id: 'invent:2' } };
    expect(decodeCursor(encodeCursor(nulls))).toEqual(nulls);
  });

  it('is URL-safe', () => {
    expect(encodeCursor(position)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('refuses a cursor whose payload was edited', () => {
    const [payload, sum] = encodeCursor(position).split('.');
    const edited = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('bv:ä-1', 'bv:ä-2')).toString('base64url');
    expect(() => decodeCursor(`${edited}.${sum}`)).toThrow(InvalidCursorError);
  });

  it.each(['', 'abc', 'abc.def', 'a.b.c', `${Buffer.from('[1]').toString('base64url')}.x`, '....'])('refuses garbage %p', (garbage) => {
    expect(() => decodeCursor(garbage)).toThrow(InvalidCursorError);
  });
});
