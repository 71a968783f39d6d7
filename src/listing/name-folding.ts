const ASCII = /^[\x00-\x7f]*$/;

/** Case-insensitive, Unicode-aware folding for `q`: NFKC, then full case folding (ß ~ ss). */
export function foldForSearch(text: string): string {
  // ASCII is its own NFKC form and folds by lower-casing alone; most names are ASCII.
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toUpperCase().toLowerCase();
}

/**
 * The name's sort key: accents and case removed, so "Zürich" sorts beside
 * "Zurich" rather than after "Zz". Plain code-unit comparison of these keys is
 * deterministic across machines and fast enough to sort 100k names.
 */
export function nameSortKey(name: string): string {
  if (ASCII.test(name)) return name.toLowerCase();
  return name.normalize('NFKD').replace(/\p{M}+/gu, '').toUpperCase().toLowerCase();
}
