/**
 * The text side of entity matching (src/met/matcher.ts): character classes, case and diacritic
 * folding, words and the separators between them. Surface forms and documents go through the same
 * functions, so a form matches a text exactly when their word and separator sequences agree.
 *
 * - A **word** is a maximal run of letters, digits and combining marks (\p{L}, \p{N}, \p{M}; in
 *   the astral planes too). Matches start and end on words, so a letter or digit on either side
 *   of a match is impossible by construction: "malaria" is not found in "antimalarial".
 * - Words compare **folded**: Unicode simple case folding (upper then lower case, one code unit
 *   to one: "ſ" is "s", "ς" is "σ"), and Latin letters lose their diacritics ("ö" is "o", "ç" is
 *   "c", "ø" is "o", "ł" is "l"). Folds that change the length ("ß" to "ss", "æ" to "ae") are not
 *   made: offsets stay the text's own.
 * - A **separator** is what lies between two words, read by `gapKey`: any mix of white space and
 *   hyphens (- ‐ ‑ ‒ –) is one space, so "non-Hodgkin" is "non Hodgkin" and line breaks and runs
 *   of spaces count once; apostrophes are dropped, so "Graves' disease" is "Graves disease"; a
 *   gap of apostrophes alone ("O'Brien") stays a separator of its own; any other punctuation must
 *   be the same, spaces around it ignored ("motor neuron disease, bulbar", "1,4-dinitro").
 * - A **possessive** "'s" (or "’s") after a word is not a word: "Alzheimer's disease" reads as
 *   "Alzheimer disease" (the word carries a flag, POSSESSIVE, which variants use).
 */

export const OTHER = 0;
export const WORD = 1;
export const SPACE = 2;
export const HYPHEN = 3;
export const APOSTROPHE = 4;
/** A high surrogate: the code point it starts may be a letter (𝐀) or not (😀). */
export const HIGH = 5;

/** Class of each UTF-16 code unit. */
export const CLS = new Uint8Array(0x10000);
/** Folded code unit (itself where nothing folds; surrogates are themselves). */
export const FOLD = new Uint16Array(0x10000);

const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
/** Latin letters whose diacritic is not a combining mark in NFD. */
const LATIN_EXTRA: Record<string, string> = { ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ħ: 'h', Ħ: 'H', ŧ: 't', Ŧ: 'T', ı: 'i', ƀ: 'b', ɨ: 'i', ʉ: 'u' };
const isLatin = (c: number): boolean => (c >= 0xc0 && c <= 0x24f) || (c >= 0x1e00 && c <= 0x1eff);

{
  for (let c = 0; c < 0x10000; c++) {
    FOLD[c] = c;
    if (c >= 0xd800 && c <= 0xdfff) {
      CLS[c] = c <= 0xdbff ? HIGH : OTHER;
      continue;
    }
    const s = String.fromCharCode(c);
    if (!WORD_CHAR.test(s)) continue;
    CLS[c] = WORD;
    let f = s;
    if (isLatin(c)) {
      const bare = LATIN_EXTRA[s] ?? s.normalize('NFD').replace(/\p{M}/gu, '');
      if (bare.length === 1) f = bare;
    }
    const upper = f.toUpperCase();
    if (upper.length === 1 && upper.toLowerCase().length === 1) f = upper.toLowerCase();
    else if (f.toLowerCase().length === 1) f = f.toLowerCase();
    FOLD[c] = f.charCodeAt(0);
  }
  // Unicode White_Space (what `\s` matches), as src/text/chars.ts.
  for (const c of [9, 10, 11, 12, 13, 32, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]) CLS[c] = SPACE;
  for (let c = 0x2000; c <= 0x200a; c++) CLS[c] = SPACE;
  // Hyphens and the en dash ("Charcot–Marie–Tooth"); not the em dash, which separates clauses.
  for (const c of [0x2d, 0x2010, 0x2011, 0x2012, 0x2013, 0xfe63, 0xff0d]) CLS[c] = HYPHEN;
  // Apostrophes, and what stands in for one: ’ ‘ ʼ ` ´ ＇.
  for (const c of [0x27, 0x2019, 0x2018, 0x2bc, 0x60, 0xb4, 0xff07]) CLS[c] = APOSTROPHE;
}

const astralWord = new Map<number, boolean>();
/** Whether the code point starting at `i` (a high surrogate) is a letter, digit or mark. */
export function astralWordAt(text: string, i: number): boolean {
  const lo = text.charCodeAt(i + 1);
  if (!(lo >= 0xdc00 && lo <= 0xdfff)) return false;
  const cp = ((text.charCodeAt(i) - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
  let w = astralWord.get(cp);
  if (w === undefined) {
    w = /^[\p{L}\p{N}\p{M}]$/u.test(String.fromCodePoint(cp));
    astralWord.set(cp, w);
  }
  return w;
}

/** The word ends here (i is past its last unit); whether the next unit starts another code point of the word. */
export const isWordAt = (text: string, i: number): boolean => {
  const k = CLS[text.charCodeAt(i)]!;
  return k === WORD || (k === HIGH && astralWordAt(text, i));
};

/** Flag of a word followed by a possessive "'s" that was read as part of the next separator. */
export const POSSESSIVE = 1;

/** The folded form of text[start, end). */
export function foldRange(text: string, start: number, end: number): string {
  let i = start;
  while (i < end && FOLD[text.charCodeAt(i)] === text.charCodeAt(i)) i++;
  if (i === end) return text.slice(start, end);
  const units: number[] = [];
  for (let j = start; j < end; j++) units.push(FOLD[text.charCodeAt(j)]!);
  return String.fromCharCode(...units);
}

/** Separator keys with a meaning of their own. */
export const SPACE_KEY = ' ';
export const APOSTROPHE_KEY = "'";
/** A gap no surface form can have (longer than any form's, or one that ends the text). */
export const NO_KEY = '\u0001';

/**
 * The canonical key of the gap text[start, end) between two words: SPACE_KEY for white space and
 * hyphens, APOSTROPHE_KEY for apostrophes alone, otherwise the punctuation with hyphens as "-" and
 * white space dropped. A possessive "s" inside the gap is skipped. Keys longer than `limit`
 * return NO_KEY without reading further.
 */
export function gapKey(text: string, start: number, end: number, limit: number): string {
  let spaced = false;
  let key = '';
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const k = CLS[c]!;
    if (k === SPACE) spaced = true;
    else if (k === HYPHEN) {
      spaced = true;
      key += '-';
    } else if (k === OTHER || k === HIGH) {
      key += String.fromCharCode(c);
      if (key.length > limit) return NO_KEY;
    }
    // APOSTROPHE, and WORD (a possessive "s"): dropped.
  }
  let other = false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== 0x2d) other = true;
  if (!other) return spaced ? SPACE_KEY : APOSTROPHE_KEY;
  return key.length > limit ? NO_KEY : key;
}

/**
 * The words of a text as UTF-16 offsets, with the POSSESSIVE flag: the slow, plain reading that
 * surface forms and the reference implementations use (the matcher fuses it with hashing).
 */
export function wordSpans(text: string): { starts: number[]; ends: number[]; flags: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  const flags: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isWordAt(text, i)) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && isWordAt(text, i)) i += CLS[text.charCodeAt(i)] === HIGH ? 2 : 1;
    const c = text.charCodeAt(start);
    if (i - start === 1 && (c === 0x73 || c === 0x53) && ends.length > 0 && ends[ends.length - 1] === start - 1 && CLS[text.charCodeAt(start - 1)] === APOSTROPHE) {
      flags[flags.length - 1]! |= POSSESSIVE;
      continue;
    }
    starts.push(start);
    ends.push(i);
    flags.push(0);
  }
  return { starts, ends, flags };
}
