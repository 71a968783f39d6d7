import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { nameSortKey } from './name-folding.js';

const collator = new Intl.Collator('und', { sensitivity: 'base' });

/** Sorted as the listing sorts: by key, ties by id (here the name's position, standing in for an id). */
const byKey = (names: readonly string[]): string[] =>
  names
    .map((name, id) => ({ name, id, key: nameSortKey(name) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id))
    .map(({ name }) => name);
/** Sorted by the collator at primary strength, ties by the same ids. */
const byCollator = (names: readonly string[]): string[] =>
  names
    .map((name, id) => ({ name, id }))
    .sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id)
    .map(({ name }) => name);

describe('the name sort key', () => {
  it('orders letters without a canonical decomposition as Unicode collation does', () => {
    const names = ['Ørsted', 'Zürich', 'Łódź', 'Lodz', 'Oslo', 'Ærø', 'Aeon', 'Straße', 'Strasse', 'Stratford', 'Œuvre', 'Oeuvre', 'Þórshöfn', 'Thor', 'Zagreb', 'Đakovo', 'Dakar', 'Ðorđe', 'Ozone', 'Lyon', 'Ħamrun', 'Hamburg', 'Ibiza', 'Izmir', 'ıslak', 'Æbeltoft', 'Aarhus', 'Øresund', 'ŁAŃCUT', 'zürich'];
    expect(byKey(names)).toEqual(byCollator(names));
  });

  it('orders spaces, punctuation and digits as Unicode collation does', () => {
    const names = ['A&B Media', 'A-B Media', 'A B Media', 'A_B', 'A.B', "A'B", 'A(B)', 'A+B', 'A1', 'A10', 'A2', 'AB', 'A', 'A~', 'A$', 'A{b}', 'Ab-Cd', 'Ab Cd', 'Ab,Cd', 'Ab;Cd'];
    expect(byKey(names)).toEqual(byCollator(names));
  });

  it('agrees with the collator on random Latin names', () => {
    const alphabet = [...'abcdeilnostzABELOSZ ÆØÅæøåŁłĐđÐðŒœÞþßÜüÖöÉé-&.,0123'];
    const name = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 8 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.array(name, { minLength: 2, maxLength: 30 }), (names) => {
        expect(byKey(names)).toEqual(byCollator(names));
      }),
      { numRuns: 500 },
    );
  });
});
