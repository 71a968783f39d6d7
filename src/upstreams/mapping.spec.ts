import { TooDeeplyNestedError, removeCredentials } from '../domain/credential-names.js';
import { MAX_RECORD_NESTING, optionalTimestamp } from './mapping.js';

/** What normalising by a full Date round trip gives. */
const roundTrip = (value: string): string | null => {
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
};

describe('optionalTimestamp', () => {
  it.each([
    '2023-04-23T14:34:46.411Z',
    '2024-02-29T00:00:00.000Z',
    '2023-02-29T00:00:00.000Z',
    '2023-02-30T12:00:00.000Z',
    '2023-04-31T10:00:00.000Z',
    '2023-12-31T23:59:59.999Z',
    '2023-01-01T24:00:00.000Z',
    '2023-01-01T23:60:00.000Z',
    '2023-13-01T00:00:00.000Z',
    '2023-00-10T00:00:00.000Z',
    '0000-01-01T00:00:00.000Z',
    '2023-04-23T14:34:46Z',
    '2023-04-23T16:34:46.411+02:00',
    '2023-04-23',
    'Sun, 23 Apr 2023 14:34:46 GMT',
    'not a date',
  ])('normalises %s exactly as a Date round trip does', (value) => {
    expect(optionalTimestamp(value)).toBe(roundTrip(value));
  });

  it('agrees with a Date round trip on every day of a leap and a common year', () => {
    for (const year of [2023, 2024]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 1; day <= 31; day++) {
          const value = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T08:30:00.000Z`;
          expect([value, optionalTimestamp(value)]).toEqual([value, roundTrip(value)]);
        }
      }
    }
  });

  it.each([undefined, null, 42, '', 'x'.repeat(65)])('gives null for %p', (value) => {
    expect(optionalTimestamp(value)).toBeNull();
  });
});

describe('removeCredentials up to MAX_RECORD_NESTING', () => {
  const nested = (levels: number): unknown => {
    let value: unknown = { leaf: 1, token: 't' };
    for (let level = 1; level < levels; level++) value = level % 2 === 0 ? { child: value } : [value];
    return value;
  };

  it('tells a record within the limit from one beyond it', () => {
    expect(removeCredentials(nested(MAX_RECORD_NESTING), MAX_RECORD_NESTING)).toBe(1);
    expect(() => removeCredentials(nested(MAX_RECORD_NESTING + 1), MAX_RECORD_NESTING)).toThrow(TooDeeplyNestedError);
    expect(removeCredentials('text', 0)).toBe(0);
  });

  it('does not look into a cleared credential, however deep', () => {
    expect(removeCredentials({ id: 1, password: nested(1_000) }, MAX_RECORD_NESTING)).toBe(1);
  });

  it('answers for any depth without overflowing the stack', () => {
    const depth = 100_000;
    expect(() => removeCredentials(JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`), MAX_RECORD_NESTING)).toThrow(TooDeeplyNestedError);
  });
});
