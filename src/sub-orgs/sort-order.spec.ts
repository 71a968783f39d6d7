import { foldForSearch, nameSortKey } from './sort-order.js';

const fullFold = (text: string): string => text.normalize('NFKC').toUpperCase().toLowerCase();
const fullSortKey = (name: string): string => name.normalize('NFKD').replace(/\p{M}+/gu, '').toUpperCase().toLowerCase();

describe('name folding', () => {
  const ascii = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).join('');
  it.each([ascii, 'Acme Corp 42', 'ACME-Ünïcode', 'Zürich Ärzte', 'STRASSE straße', '東京テレビ', 'ﬁ ligature', 'Å', ''])(
    'folds %p exactly as the full Unicode path does',
    (text) => {
      expect(foldForSearch(text)).toBe(fullFold(text));
      expect(nameSortKey(text)).toBe(fullSortKey(text));
    },
  );
});
