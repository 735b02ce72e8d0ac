import { ALNUM, AT_SIGN, CHAR_CLASS, WHITESPACE } from '../../src/text/chars.js';
import { CHUNK_START, FNV_OFFSET, FNV_PRIME, fnv1a, HAS_LETTER, PLAIN, Tokens } from '../../src/text/tokenizer.js';

// The tokenizer as it was written in JavaScript, before it moved to WebAssembly
// (src/text/word-kernel.as.ts): the reference the kernel is tested against, token for token.

export function referenceTokenize(text: string, out: Tokens = new Tokens(text)): Tokens {
  out.reset(text);
  const n = text.length;
  // The arrays and the count live in locals: the plain-word path below is the hot loop, and a
  // chunk of L characters makes at most L tokens, so room is reserved once per chunk.
  let { starts, ends, hashes, flags } = out;
  let count = 0;
  let chunks = 0;
  let i = 0;
  while (i < n) {
    while (i < n && CHAR_CLASS[text.charCodeAt(i)] === WHITESPACE) i++;
    const start = i;
    let plain = ALNUM; // only ASCII letters and digits so far: the common case, one token as is
    let hash = FNV_OFFSET;
    let letter = 0;
    let classes = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      const k = CHAR_CLASS[c]!;
      if (k === WHITESPACE) break;
      plain &= k;
      classes |= k;
      hash = Math.imul(hash ^ c, FNV_PRIME);
      if (c >= 65) letter = HAS_LETTER;
      i++;
    }
    if (i > start) {
      chunks++;
      if (count + i - start > starts.length) {
        out.count = count;
        out.reserve(count + i - start);
        ({ starts, ends, hashes, flags } = out);
      }
      if (plain) {
        starts[count] = start;
        ends[count] = i;
        hashes[count] = hash;
        flags[count++] = PLAIN | letter | CHUNK_START;
      } else {
        out.count = count;
        chunk(text, start, i, (classes & AT_SIGN) !== 0, out);
        out.flags[count]! |= CHUNK_START;
        count = out.count;
      }
    }
  }
  out.count = count;
  out.chunks = chunks;
  return out;
}

const codes = (chars: string): Uint8Array => {
  const table = new Uint8Array(0x10000);
  for (const ch of chars) table[ch.charCodeAt(0)] = 1;
  return table;
};
const PREFIX = codes(`"'“”‘’«»‹›([{<¿¡$£€¥§#*&+=~^|\`@%-–—…•·`);
const SUFFIX = codes(`"'“”‘’«»‹›)]}>.,!?:;%*…-–—`);
const ABBREVIATIONS = new Set(
  'mr mrs ms dr prof st jr sr vs etc inc ltd co corp no fig vol approx dept est gen gov sen rep rev capt col lt sgt mt ft jan feb mar apr jun jul aug sep sept oct nov dec'.split(' '),
);
/** Starts with http://, https://, ftp:// or www. (any case), checked in place. */
function isUrlStart(text: string, start: number, end: number): boolean {
  const c = text.charCodeAt(start) | 32;
  if (c === 104) {
    // http:// or https://
    if (end - start < 7 || (text.charCodeAt(start + 1) | 32) !== 116 || (text.charCodeAt(start + 2) | 32) !== 116 || (text.charCodeAt(start + 3) | 32) !== 112) return false;
    const k = (text.charCodeAt(start + 4) | 32) === 115 ? start + 5 : start + 4;
    return text.startsWith('://', k);
  }
  if (c === 119) return end - start > 4 && (text.charCodeAt(start + 1) | 32) === 119 && (text.charCodeAt(start + 2) | 32) === 119 && text.charCodeAt(start + 3) === 46;
  if (c === 102) return end - start > 6 && (text.charCodeAt(start + 1) | 32) === 116 && (text.charCodeAt(start + 2) | 32) === 112 && text.startsWith('://', start + 3);
  return false;
}
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;
const LETTER = /\p{L}/u;

const isAsciiLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isLetter = (c: number): boolean => isAsciiLetter(c) || (c > 127 && LETTER.test(String.fromCharCode(c)));
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isApostrophe = (c: number): boolean => c === 39 || c === 8217;

// Suffix tokens found while peeling a chunk, outermost first: reused, as a chunk has few.
const suffixStarts: number[] = [];
const suffixEnds: number[] = [];

function chunk(text: string, start: number, end: number, atSign: boolean, out: Tokens): void {
  if (isUrlStart(text, start, end)) {
    urlToken(text, start, end, out);
    return;
  }
  // prefixes
  while (end - start > 1) {
    if (text.charCodeAt(start) === 46 && end - start > 3 && text.startsWith('...', start)) {
      push(out, start, start + 3, fnv1a(text, start, start + 3));
      start += 3;
    } else if (PREFIX[text.charCodeAt(start)]) {
      push(out, start, start + 1, fnv1a(text, start, start + 1));
      start++;
    } else break;
  }
  // suffixes
  let suffixes = 0;
  while (end - start > 1) {
    const c = text.charCodeAt(end - 1);
    let cut = 0;
    if (c === 46 && end - start > 3 && text.charCodeAt(end - 2) === 46 && text.charCodeAt(end - 3) === 46) cut = 3;
    else if (SUFFIX[c] && !(c === 46 && isAbbreviation(text, start, end))) cut = 1;
    else cut = cliticLength(text, start, end);
    if (cut === 0) break;
    suffixStarts[suffixes] = end - cut;
    suffixEnds[suffixes++] = end;
    end -= cut;
  }
  if (atSign && hasAt(text, start, end) && EMAIL.test(text.slice(start, end))) push(out, start, end, fnv1a(text, start, end));
  else infixes(text, start, end, out);
  for (let k = suffixes - 1; k >= 0; k--) push(out, suffixStarts[k]!, suffixEnds[k]!, fnv1a(text, suffixStarts[k]!, suffixEnds[k]!));
}

function hasAt(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === 64) return true;
  return false;
}

/** A URL stays one token; punctuation after it (a sentence's period, a closing bracket) does not. */
function urlToken(text: string, start: number, end: number, out: Tokens): void {
  let e = end;
  while (e - start > 1 && SUFFIX[text.charCodeAt(e - 1)]) e--;
  push(out, start, e, fnv1a(text, start, e));
  for (let k = e; k < end; k++) push(out, k, k + 1, fnv1a(text, k, k + 1));
}

/** "Dr.", "e.g.", "U.S." and single letters keep their final period, as in spaCy's exceptions. */
function isAbbreviation(text: string, start: number, end: number): boolean {
  const length = end - 1 - start;
  if (length === 1) return isLetter(text.charCodeAt(start));
  let dots = 0;
  for (let i = start; i < end - 1; i++) if (text.charCodeAt(i) === 46) dots++;
  if (dots > 0) return /^(?:\p{L}\.)+\p{L}$/u.test(text.slice(start, end - 1));
  return length <= 6 && ABBREVIATIONS.has(text.slice(start, end - 1).toLowerCase());
}

/** Length of an English clitic ending the token ('s, n't, 're, 've, 'll, 'd, 'm; ’ too), or 0. */
function cliticLength(text: string, start: number, end: number): number {
  const last = text.charCodeAt(end - 1) | 32;
  const len = end - start;
  if (last === 115 || last === 100 || last === 109) {
    // 's 'd 'm
    return len > 2 && isApostrophe(text.charCodeAt(end - 2)) ? 2 : 0;
  }
  if (last === 116) {
    // n't
    return len > 3 && isApostrophe(text.charCodeAt(end - 2)) && (text.charCodeAt(end - 3) | 32) === 110 ? 3 : 0;
  }
  if (last === 101 || last === 108) {
    // 're 've 'll
    const prev = text.charCodeAt(end - 2) | 32;
    const ok = last === 101 ? prev === 114 || prev === 118 : prev === 108;
    return len > 3 && ok && isApostrophe(text.charCodeAt(end - 3)) ? 3 : 0;
  }
  return 0;
}

/**
 * Splits at hyphens, slashes and commas between letters, at + - * ^ between digits, and around
 * "..." and "…". The pieces are hashed and flagged while scanned, as the tokenizer's plain words
 * are.
 */
function infixes(text: string, start: number, end: number, out: Tokens): void {
  let from = start;
  let plain = ALNUM;
  let hash = FNV_OFFSET;
  let letter = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (CHAR_CLASS[c] === ALNUM) {
      hash = Math.imul(hash ^ c, FNV_PRIME);
      if (c >= 65) letter = HAS_LETTER;
      continue;
    }
    let to = -1; // where a split ends the current piece: the separator is text[to, next)
    let next = 0;
    if (i > start && i < end - 1) {
      const before = text.charCodeAt(i - 1);
      const after = text.charCodeAt(i + 1);
      if (
        ((c === 45 || c === 8211 || c === 8212 || c === 47 || c === 44) && isLetter(before) && isLetter(after)) ||
        ((c === 43 || c === 45 || c === 42 || c === 94) && isDigit(before) && (isDigit(after) || after === 45))
      ) {
        to = i;
        next = i + 1;
      } else if (c === 46 && after === 46 && text.charCodeAt(i + 2) === 46 && i > from) {
        next = i;
        while (next < end && text.charCodeAt(next) === 46) next++;
        to = i;
      } else if (c === 8230 && i > from) {
        to = i;
        next = i + 1;
      }
    }
    if (to < 0) {
      plain = 0;
      hash = Math.imul(hash ^ c, FNV_PRIME);
      continue;
    }
    pushPiece(out, from, to, plain, hash, letter);
    push(out, to, next, fnv1a(text, to, next));
    from = next;
    i = next - 1;
    plain = ALNUM;
    hash = FNV_OFFSET;
    letter = 0;
  }
  pushPiece(out, from, end, plain, hash, letter);
}

function pushPiece(out: Tokens, from: number, to: number, plain: number, hash: number, letter: number): void {
  if (to > from) push(out, from, to, hash, plain ? PLAIN | letter : 0);
}

function push(out: Tokens, start: number, end: number, hash: number, flags = 0): void {
  if (out.count === out.starts.length) out.reserve(out.count + 1);
  out.starts[out.count] = start;
  out.ends[out.count] = end;
  out.hashes[out.count] = hash;
  out.flags[out.count++] = flags;
}
