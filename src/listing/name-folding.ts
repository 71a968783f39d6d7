const ASCII = /^[\x00-\x7f]*$/;

/** Case-insensitive, Unicode-aware folding for `q`: NFKC, then full case folding (ß ~ ss). */
export function foldForSearch(text: string): string {
  // ASCII is its own NFKC form and folds by lower-casing alone; most names are ASCII.
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toUpperCase().toLowerCase();
}

/**
 * Letters without a canonical decomposition that the root collation, at
 * primary strength, treats as another letter or pair (Ø as o, Æ as ae), or
 * sorts right after one (Þ after z, ı after i): the key spells them so.
 * U+FFFF sorts after every letter, so `x\uffff` falls between x and its successor.
 */
const LETTERS: Readonly<Record<string, string>> = {
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ħ: 'h',
  ŀ: 'l',
  þ: 'z\uffff',
  ʒ: 'z\uffff',
  ı: 'i\uffff',
  ŧ: 't\uffff',
  ŋ: 'n\uffff',
  ĸ: 'q\uffff',
  ə: 'e\uffff',
  ǝ: 'e\uffff',
  ɛ: 'e\uffff',
  ƒ: 'f\uffff',
  ɔ: 'o\uffff',
};
const SPECIAL_LETTERS = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'g');

/**
 * Space and ASCII punctuation in the root collation's order (space, `_`, `-`,
 * `,` … `$`), all before digits and letters, as code points 1..33: code-unit
 * order alone would put `&` before `-` and `{` after `z`.
 */
const PUNCTUATION_ORDER = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$';
const PUNCTUATION: Readonly<Record<string, string>> = Object.fromEntries([...PUNCTUATION_ORDER].map((char, i) => [char, String.fromCharCode(1 + i)]));
const ANY_PUNCTUATION = /[ -/:-@[-`{-~]/;
const EVERY_PUNCTUATION = /[ -/:-@[-`{-~]/g;
const PLAIN = /^[A-Za-z0-9]*$/;

/**
 * The name's sort key: plain code-unit order of keys agrees with
 * `Intl.Collator('und', { sensitivity: 'base' })` for Latin names — accents
 * and case ignored ("Zürich" beside "Zurich"), Ø, Ł, Đ, Æ, Œ, ß and the like
 * where the collation puts them, punctuation in its order — and is
 * deterministic across machines and fast enough to sort 100k names.
 */
export function nameSortKey(name: string): string {
  if (PLAIN.test(name)) return name.toLowerCase();
  const letters = ASCII.test(name)
    ? name.toLowerCase()
    : name
        .replaceAll('ŀ', 'l')
        .replaceAll('Ŀ', 'l')
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .toLowerCase()
        .replace(SPECIAL_LETTERS, (letter) => LETTERS[letter]);
  return ANY_PUNCTUATION.test(letters) ? letters.replace(EVERY_PUNCTUATION, (char) => PUNCTUATION[char]) : letters;
}
