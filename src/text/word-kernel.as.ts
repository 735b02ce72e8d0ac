// AssemblyScript, compiled by `npm run kernels` into word-kernel.ts (base64). Not TypeScript:
// tsconfig leaves it out. The host side is src/text/word-kernel-host.ts.
//
// The hottest loops of annotate, over one text held in this module's memory as UTF-16 code units:
// the word tokenizer (tokenizer.ts documents its rules), the word n-gram counts behind Gopher
// repetition (src/signals/gopher-repetition.ts documents the definitions), Gopher quality's word
// statistics (src/signals/gopher-quality.ts), the whitespace word count, the line split and the
// repeated lines and paragraphs Gopher and FineWeb share, normalization's character scan and
// whitespace steps (src/text/normalize.ts), and C4's test for any line phrase and its per-line
// measures (src/text/c4-lines.ts). All were JavaScript first; the JavaScript versions live on in
// test/text/reference-*.ts and test/signals/reference-*.ts (the scan and the phrase test are held
// to the regular expressions they replaced), and
// test/text/word-kernel.test.ts holds this kernel to them, token for token and count for count, on
// real corpora and generated text.
//
// Memory: [0, 64 KiB) one byte of character classes per UTF-16 code unit and, after it, the
// abbreviation keys, the results, the stop-word table, the phrase table and the sentence-end bits,
// the tables written by the host (see the constants below); then the text, the token arrays and
// the scratch (n-gram tables, line and paragraph spans, C4's per-line measures, a narrowed copy of
// the text), laid out by `layout`, `ngrams`, `spanRoom`, `lineRoom` and `narrow` and grown on
// demand.

// Character class bits, token flags and memory offsets: src/text/word-kernel-layout.ts, written
// here by `npm run kernels` (scripts/build-kernels.ts) where the next line says so.
// @layout

const FNV_OFFSET: i32 = 0x811c9dc5;
const FNV_PRIME: i32 = 0x01000193;

let textAt: usize = DYNAMIC;
let startsAt: usize = 0;
let endsAt: usize = 0;
let hashesAt: usize = 0;
let flagsAt: usize = 0;
let tokenCapacity: i32 = 0;
let scratchAt: usize = 0;
let textUnits: i32 = 0;
let count: i32 = 0;
let chunks: i32 = 0;

// Asked of the host for the rare astral-plane character: is this code point a letter (\p{L})?
// The answer is the same function of the code point every time.
@external("host", "isLetter")
declare function hostIsLetter(codePoint: i32): bool;

function reserve(end: usize): void {
  const have = (<usize>memory.size()) << 16;
  if (end > have) memory.grow(<i32>((end - have + 65535) >> 16));
}

/** Room for a text of `units` code units and `tokens` tokens; returns where the text goes. */
export function layout(units: i32, tokens: i32): usize {
  startsAt = (textAt + (<usize>units << 1) + 15) & ~15;
  endsAt = startsAt + (<usize>tokens << 2);
  hashesAt = endsAt + (<usize>tokens << 2);
  flagsAt = hashesAt + (<usize>tokens << 2);
  scratchAt = (flagsAt + <usize>tokens + 15) & ~15;
  tokenCapacity = tokens;
  reserve(scratchAt);
  return textAt;
}

export function startsOffset(): usize { return startsAt; }
export function endsOffset(): usize { return endsAt; }
export function hashesOffset(): usize { return hashesAt; }
export function flagsOffset(): usize { return flagsAt; }
export function chunkCount(): i32 { return chunks; }

@inline function unit(i: i32): i32 { return <i32>load<u16>(textAt + (<usize>i << 1)); }
@inline function classOf(c: i32): u8 { return load<u8>(CLASSES + <usize>c); }
@inline function isLetter(c: i32): bool { return (classOf(c) & LETTER) != 0; }
@inline function isDigit(c: i32): bool { return c >= 48 && c <= 57; }
@inline function isApostrophe(c: i32): bool { return c == 39 || c == 8217; }

function fnv1a(start: i32, end: i32): i32 {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = (h ^ unit(i)) * FNV_PRIME;
  return h;
}

@inline function push(start: i32, end: i32, hash: i32, flags: u8): void {
  const at = <usize>count << 2;
  store<i32>(startsAt + at, start);
  store<i32>(endsAt + at, end);
  store<i32>(hashesAt + at, hash);
  store<u8>(flagsAt + <usize>count, flags);
  count++;
}

/**
 * Tokenizes text[0, units); returns the number of tokens, or -1 when they would not fit the
 * capacity `layout` was given (the host then lays out more room and calls again).
 */
export function tokenize(units: i32): i32 {
  textUnits = units;
  count = 0;
  chunks = 0;
  let i = 0;
  while (i < units) {
    while (i < units && (classOf(unit(i)) & WHITESPACE)) i++;
    const start = i;
    let plain: u8 = ALNUM;
    let classes: u8 = 0;
    let hash = FNV_OFFSET;
    let letter: u8 = 0;
    while (i < units) {
      const c = unit(i);
      const k = classOf(c);
      if (k & WHITESPACE) break;
      plain &= k;
      classes |= k;
      hash = (hash ^ c) * FNV_PRIME;
      if (c >= 65) letter = HAS_LETTER;
      i++;
    }
    if (i > start) {
      chunks++;
      // A chunk of L code units makes at most L tokens.
      if (count + i - start > tokenCapacity) return -1;
      if (plain) push(start, i, hash, PLAIN | letter | CHUNK_START);
      else {
        const first = flagsAt + <usize>count;
        chunk(start, i, (classes & AT_SIGN) != 0);
        store<u8>(first, load<u8>(first) | CHUNK_START);
      }
    }
  }
  return count;
}

function chunk(start: i32, end: i32, atSign: bool): void {
  if (isUrlStart(start, end)) {
    urlToken(start, end);
    return;
  }
  while (end - start > 1) {
    if (unit(start) == 46 && end - start > 3 && unit(start + 1) == 46 && unit(start + 2) == 46) {
      push(start, start + 3, fnv1a(start, start + 3), 0);
      start += 3;
    } else if (classOf(unit(start)) & PREFIX) {
      push(start, start + 1, fnv1a(start, start + 1), 0);
      start++;
    } else break;
  }
  // Suffix tokens found while peeling, outermost first, kept in the scratch area: a chunk of L
  // code units has at most L of them.
  reserve(scratchAt + (<usize>(end - start) << 3));
  let suffixes = 0;
  while (end - start > 1) {
    const c = unit(end - 1);
    let cut = 0;
    if (c == 46 && end - start > 3 && unit(end - 2) == 46 && unit(end - 3) == 46) cut = 3;
    else if ((classOf(c) & SUFFIX) && !(c == 46 && isAbbreviation(start, end))) cut = 1;
    else cut = cliticLength(start, end);
    if (cut == 0) break;
    store<i32>(scratchAt + (<usize>suffixes << 3), end - cut);
    store<i32>(scratchAt + (<usize>suffixes << 3) + 4, end);
    suffixes++;
    end -= cut;
  }
  if (atSign && isEmail(start, end)) push(start, end, fnv1a(start, end), 0);
  else infixes(start, end);
  for (let k = suffixes - 1; k >= 0; k--) {
    const s = load<i32>(scratchAt + (<usize>k << 3));
    const e = load<i32>(scratchAt + (<usize>k << 3) + 4);
    push(s, e, fnv1a(s, e), 0);
  }
}

@inline function lower(c: i32): i32 { return c | 32; }

/** Starts with http://, https://, ftp:// or www. (any case). */
function isUrlStart(start: i32, end: i32): bool {
  const c = lower(unit(start));
  if (c == 104) {
    if (end - start < 7 || lower(unit(start + 1)) != 116 || lower(unit(start + 2)) != 116 || lower(unit(start + 3)) != 112) return false;
    const k = lower(unit(start + 4)) == 115 ? start + 5 : start + 4;
    return k + 3 <= end && unit(k) == 58 && unit(k + 1) == 47 && unit(k + 2) == 47;
  }
  if (c == 119) return end - start > 4 && lower(unit(start + 1)) == 119 && lower(unit(start + 2)) == 119 && unit(start + 3) == 46;
  if (c == 102) return end - start > 6 && lower(unit(start + 1)) == 116 && lower(unit(start + 2)) == 112 && unit(start + 3) == 58 && unit(start + 4) == 47 && unit(start + 5) == 47;
  return false;
}

/** /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i on a chunk (which has no whitespace). */
function isEmail(start: i32, end: i32): bool {
  let at = -1;
  for (let i = start; i < end; i++) {
    if (unit(i) == 64) {
      if (at >= 0) return false;
      at = i;
    }
  }
  if (at <= start) return false;
  let letters = 0;
  let i = end - 1;
  while (i > at && isAsciiLetter(unit(i))) {
    letters++;
    i--;
  }
  return letters >= 2 && unit(i) == 46 && i > at + 1;
}

@inline function isAsciiLetter(c: i32): bool { return (c >= 97 && c <= 122) || (c >= 65 && c <= 90); }

/** A URL stays one token; punctuation after it does not. */
function urlToken(start: i32, end: i32): void {
  let e = end;
  while (e - start > 1 && (classOf(unit(e - 1)) & SUFFIX)) e--;
  push(start, e, fnv1a(start, e), 0);
  for (let k = e; k < end; k++) push(k, k + 1, fnv1a(k, k + 1), 0);
}

/** "Dr.", "e.g.", "U.S." and single letters keep their final period. */
function isAbbreviation(start: i32, end: i32): bool {
  const length = end - 1 - start;
  if (length == 1) return isLetter(unit(start));
  let dots = 0;
  for (let i = start; i < end - 1; i++) if (unit(i) == 46) dots++;
  if (dots > 0) return isDottedLetters(start, end - 1);
  if (length > 6) return false;
  // ASCII lower case: no other character lower-cases to a letter of the list's words.
  for (let i = start; i < end - 1; i++) if (!isAsciiLetter(unit(i))) return false;
  const key = asciiKey(start, end - 1, true);
  for (let k: usize = ABBREVIATIONS; ; k += 8) {
    const stored = load<u64>(k);
    if (stored == 0) return false;
    if (stored == key) return true;
  }
  return false;
}

/**
 * text[start, end) of at most 8 ASCII characters as one number, 8 bits a character, first lowest
 * (the host's `asciiKey`), lower-cased when asked.
 */
function asciiKey(start: i32, end: i32, lowerCase: bool): u64 {
  let key: u64 = 0;
  for (let i = end - 1; i >= start; i--) key = (key << 8) | <u64>(lowerCase ? lower(unit(i)) : unit(i));
  return key;
}

/** /^(?:\p{L}\.)+\p{L}$/u on text[start, end). */
function isDottedLetters(start: i32, end: i32): bool {
  let i = start;
  let letters = 0;
  for (;;) {
    if (i >= end) return false;
    const c = unit(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end && unit(i + 1) >= 0xdc00 && unit(i + 1) <= 0xdfff) {
      if (!hostIsLetter(((c - 0xd800) << 10) + (unit(i + 1) - 0xdc00) + 0x10000)) return false;
      i += 2;
    } else {
      if (!isLetter(c)) return false;
      i++;
    }
    letters++;
    if (i == end) return letters >= 2;
    if (unit(i) != 46) return false;
    i++;
  }
  return false;
}

/** Length of an English clitic ending the token ('s, n't, 're, 've, 'll, 'd, 'm; ’ too), or 0. */
function cliticLength(start: i32, end: i32): i32 {
  const last = lower(unit(end - 1));
  const len = end - start;
  if (last == 115 || last == 100 || last == 109) return len > 2 && isApostrophe(unit(end - 2)) ? 2 : 0;
  if (last == 116) return len > 3 && isApostrophe(unit(end - 2)) && lower(unit(end - 3)) == 110 ? 3 : 0;
  if (last == 101 || last == 108) {
    const prev = lower(unit(end - 2));
    const ok = last == 101 ? prev == 114 || prev == 118 : prev == 108;
    return len > 3 && ok && isApostrophe(unit(end - 3)) ? 3 : 0;
  }
  return 0;
}

/** Splits at hyphens, slashes and commas between letters, at + - * ^ between digits, and around "..." and "…". */
function infixes(start: i32, end: i32): void {
  let from = start;
  let plain: u8 = ALNUM;
  let hash = FNV_OFFSET;
  let letter: u8 = 0;
  for (let i = start; i < end; i++) {
    const c = unit(i);
    if (classOf(c) & ALNUM) {
      hash = (hash ^ c) * FNV_PRIME;
      if (c >= 65) letter = HAS_LETTER;
      continue;
    }
    let to = -1;
    let next = 0;
    if (i > start && i < end - 1) {
      const before = unit(i - 1);
      const after = unit(i + 1);
      if (
        ((c == 45 || c == 8211 || c == 8212 || c == 47 || c == 44) && isLetter(before) && isLetter(after)) ||
        ((c == 43 || c == 45 || c == 42 || c == 94) && isDigit(before) && (isDigit(after) || after == 45))
      ) {
        to = i;
        next = i + 1;
      } else if (c == 46 && after == 46 && i + 2 < textUnits && unit(i + 2) == 46 && i > from) {
        next = i;
        while (next < end && unit(next) == 46) next++;
        to = i;
      } else if (c == 8230 && i > from) {
        to = i;
        next = i + 1;
      }
    }
    if (to < 0) {
      plain = 0;
      hash = (hash ^ c) * FNV_PRIME;
      continue;
    }
    if (to > from) push(from, to, hash, plain ? PLAIN | letter : 0);
    push(to, next, fnv1a(to, next), 0);
    from = next;
    i = next - 1;
    plain = ALNUM;
    hash = FNV_OFFSET;
    letter = 0;
  }
  if (end > from) push(from, end, hash, plain ? PLAIN | letter : 0);
}


// ---------------------------------------------------------------------------------------------
// The character ranges normalization asks about (word-kernel-layout.ts KERNEL_SCAN_FLAGS), over
// text[0, units): eight code units at a time.

@inline function within(v: v128, low: i32, high: i32): v128 {
  return v128.and(i16x8.ge_u(v, i16x8.splat(<i16>low)), i16x8.le_u(v, i16x8.splat(<i16>high)));
}

@inline function scanUnit(c: i32): i32 {
  let f = 0;
  if ((c < 0x20 && c != 9 && c != 10 && c != 13) || (c >= 0x7f && c <= 0xa0)) f |= LOW_SPECIAL;
  if (c == 13) f |= CARRIAGE_RETURN;
  if (c >= 0xc2 && c <= 0xf4) f |= MOJIBAKE_LEAD;
  if (c >= 0xa0) f |= FROM_00A0;
  if (c >= 0x300) f |= FROM_0300;
  return f;
}

export function scan(units: i32): i32 {
  let low = i16x8.splat(0);
  let cr = i16x8.splat(0);
  let lead = i16x8.splat(0);
  let a0 = i16x8.splat(0);
  let high = i16x8.splat(0);
  const whole = units & ~7;
  for (let i = 0; i < whole; i += 8) {
    const v = v128.load(textAt + (<usize>i << 1));
    const tabOrBreak = v128.or(v128.or(i16x8.eq(v, i16x8.splat(9)), i16x8.eq(v, i16x8.splat(10))), i16x8.eq(v, i16x8.splat(13)));
    low = v128.or(low, v128.or(v128.andnot(i16x8.lt_u(v, i16x8.splat(0x20)), tabOrBreak), within(v, 0x7f, 0xa0)));
    cr = v128.or(cr, i16x8.eq(v, i16x8.splat(13)));
    lead = v128.or(lead, within(v, 0xc2, 0xf4));
    a0 = v128.or(a0, i16x8.ge_u(v, i16x8.splat(0xa0)));
    high = v128.or(high, i16x8.ge_u(v, i16x8.splat(0x300)));
  }
  let f = 0;
  if (v128.any_true(low)) f |= LOW_SPECIAL;
  if (v128.any_true(cr)) f |= CARRIAGE_RETURN;
  if (v128.any_true(lead)) f |= MOJIBAKE_LEAD;
  if (v128.any_true(a0)) f |= FROM_00A0;
  if (v128.any_true(high)) f |= FROM_0300;
  for (let i = whole; i < units; i++) f |= scanUnit(unit(i));
  return f;
}

// ---------------------------------------------------------------------------------------------
// Phrases, ASCII letters matched in either case (as a regular expression's /i without /u): the
// host's PhraseTable at PHRASES holds nibble tables of the distinct first four characters of its
// phrases (at most eight prefixes, a bit each; four tables of 32 bytes, one per character), then
// the phrases. Positions whose first four characters may be some phrase's are compared in full.

@inline function foldUnit(c: i32): i32 {
  return <u32>(c - 0x41) <= 25 ? c | 0x20 : c;
}

/** Does a phrase of the table start at position p of text[0, units)? */
function phraseAt(p: i32, units: i32): bool {
  let at = PHRASES + 144;
  const count = load<u32>(at);
  at += 4;
  for (let k: u32 = 0; k < count; k++) {
    const length = <i32>load<u32>(at);
    if (p + length <= units) {
      let m = 0;
      while (m < length && foldUnit(unit(p + m)) == <i32>load<u16>(at + 4 + (<usize>m << 1))) m++;
      if (m == length) return true;
    }
    at += 4 + (<usize>length << 1);
  }
  return false;
}

/** ASCII letters to lower case, each byte lane. */
@inline function foldBytes(b: v128): v128 {
  const letter = i8x16.le_u(i8x16.sub(b, i8x16.splat(0x41)), i8x16.splat(25));
  return v128.or(b, v128.and(letter, i8x16.splat(0x20)));
}

/** Each byte's bits in a pair of nibble tables: bit k set when the byte is the character of bit k. */
@inline function nibbleBits(b: v128, low: v128, high: v128): v128 {
  return v128.and(i8x16.swizzle(low, v128.and(b, i8x16.splat(0x0f))), i8x16.swizzle(high, i8x16.shr_u(b, 4)));
}

/** Each of sixteen positions' j-th characters (bytes `b`), as bits of the prefixes whose j-th character it may be. */
@inline function prefixBits(b: v128, j: usize): v128 {
  return nibbleBits(foldBytes(b), v128.load(PHRASES + 16 + 32 * j), v128.load(PHRASES + 32 + 32 * j));
}

/** Sixteen code units from p narrowed to bytes (units above U+00FF become 0 or 255, which no phrase has). */
@inline function bytesAt(p: usize): v128 {
  return i8x16.narrow_i16x8_u(v128.load(p), v128.load(p, 16));
}

export function anyPhrase(units: i32): bool {
  let i = 0;
  // Sixteen positions at a time, while their fourth characters lie within the text: the code
  // units narrowed to bytes, and each position's first four characters tested against the
  // table's prefixes, a bit each, in the nibble tables.
  for (; i + 19 <= units; i += 16) {
    const p = textAt + (<usize>i << 1);
    const hit = v128.and(v128.and(prefixBits(bytesAt(p), 0), prefixBits(bytesAt(p + 2), 1)), v128.and(prefixBits(bytesAt(p + 4), 2), prefixBits(bytesAt(p + 6), 3)));
    if (v128.any_true(hit)) {
      let lanes = i8x16.bitmask(i8x16.ne(hit, i8x16.splat(0)));
      while (lanes) {
        if (phraseAt(i + <i32>ctz(lanes), units)) return true;
        lanes &= lanes - 1;
      }
    }
  }
  for (; i < units; i++) if (phraseAt(i, units)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Repeated lines and paragraphs (src/signals/text-stats.ts documents the definitions; the
// JavaScript they replaced is test/signals/reference-line-repeats.ts): spans of the text, split at
// newlines, then datatrove's find_duplicates over them. The spans, a byte of flags each and the
// table live in the scratch area. Results: RESULTS + 160 on.

let spanStarts: usize = 0;
let spanEnds: usize = 0;
let spanFlags: usize = 0;
let spanTable: usize = 0;
const LENGTH_CAP: i32 = 4096;

/** Newlines in text[from, to), eight code units at a time. */
function countNewlines(from: i32, to: i32): i32 {
  let n = 0;
  let i = from;
  for (; i + 8 <= to; i += 8) n += <i32>popcnt<u32>(i16x8.bitmask(i16x8.eq(v128.load(textAt + (<usize>i << 1)), i16x8.splat(10))));
  for (; i < to; i++) if (unit(i) == 10) n++;
  return n;
}

/** Room for `spans` spans: their offsets and flags, the lengths' counts and the table. */
function spanRoom(spans: i32): void {
  spanStarts = scratchAt;
  spanEnds = spanStarts + (<usize>spans << 2);
  spanFlags = spanEnds + (<usize>spans << 2);
  const counts = (spanFlags + <usize>spans + 15) & ~15;
  spanTable = counts + (<usize>LENGTH_CAP << 2);
  reserve(spanTable + (<usize>tableSlots(spans) << 4));
}

/** A hash of text[start, end): four code units a step (the table compares the units on a match). */
function spanHash(start: i32, end: i32): i32 {
  let h: u64 = 0x9e3779b97f4a7c15 ^ <u64>(end - start);
  let p = textAt + (<usize>start << 1);
  const e = textAt + (<usize>end << 1);
  for (; p + 8 <= e; p += 8) {
    h = (h ^ load<u64>(p)) * 0xff51afd7ed558ccd;
    h ^= h >> 32;
  }
  for (; p < e; p += 2) h = (h ^ <u64>load<u16>(p)) * 0xc4ceb9fe1a85ec53;
  h ^= h >> 29;
  return <i32>h;
}

/**
 * find_duplicates over the spans none of whose flags are in `skip`: how many repeat an earlier one
 * (RESULTS + at) and their characters (RESULTS + at + 8; code points when `astral`). A span whose
 * length no other span it is compared with has cannot repeat: it is never hashed.
 */
function duplicates(count: i32, skip: u8, astral: bool, at: usize): void {
  const lengths = spanTable - (<usize>LENGTH_CAP << 2);
  memory.fill(lengths, 0, <usize>LENGTH_CAP << 2);
  for (let i = 0; i < count; i++) {
    if (load<u8>(spanFlags + <usize>i) & skip) continue;
    const length = i32At(spanEnds, i) - i32At(spanStarts, i);
    if (length < LENGTH_CAP) setI32(lengths, length, i32At(lengths, length) + 1);
  }
  const slots = tableSlots(count);
  const mask = slots - 1;
  memory.fill(spanTable, 0, <usize>slots << 4);
  let ids = 0;
  let elements = 0;
  let chars: f64 = 0;
  for (let i = 0; i < count; i++) {
    if (load<u8>(spanFlags + <usize>i) & skip) continue;
    const start = i32At(spanStarts, i);
    const length = i32At(spanEnds, i) - start;
    if (length < LENGTH_CAP && i32At(lengths, length) < 2) continue;
    const hash = spanHash(start, start + length);
    let slot = (hash ^ (hash >>> 16)) & mask;
    for (;;) {
      const entry = spanTable + (<usize>slot << 4);
      if (load<i32>(entry) == 0) {
        store<i32>(entry, ++ids);
        store<i32>(entry, hash, 4);
        store<i32>(entry, start, 8);
        store<i32>(entry, length, 12);
        break;
      }
      if (load<i32>(entry, 4) == hash && load<i32>(entry, 12) == length && sameUnits(load<i32>(entry, 8), start, length)) {
        elements++;
        chars += <f64>(astral ? codePointsIn(start, start + length) : length);
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  store<f64>(RESULTS + at, <f64>elements);
  store<f64>(RESULTS + at + 8, chars);
}

const EMPTY: u8 = 1;
const BLANK: u8 = 2; // whitespace only, not empty

/** The lines of text.split("\n") over text[0, units) into the span arrays (spanStartsOffset, spanEndsOffset): their count. */
export function splitLines(units: i32): i32 {
  spanRoom(countNewlines(0, units) + 1);
  let n = 0;
  let start = 0;
  let i = 0;
  for (; i + 8 <= units; i += 8) {
    let newlines = i16x8.bitmask(i16x8.eq(v128.load(textAt + (<usize>i << 1)), i16x8.splat(10)));
    while (newlines) {
      const at = i + <i32>ctz(newlines);
      setI32(spanStarts, n, start);
      setI32(spanEnds, n, at);
      n++;
      start = at + 1;
      newlines &= newlines - 1;
    }
  }
  for (; i < units; i++) {
    if (unit(i) != 10) continue;
    setI32(spanStarts, n, start);
    setI32(spanEnds, n, i);
    n++;
    start = i + 1;
  }
  setI32(spanStarts, n, start);
  setI32(spanEnds, n, units);
  return n + 1;
}

export function spanStartsOffset(): usize { return spanStarts; }
export function spanEndsOffset(): usize { return spanEnds; }

/**
 * The lines of text.split("\n") over text[0, units) (splitLines): their count (RESULTS + 160), the
 * non-empty ones (168), and the repeats among the non-empty lines (176, 184) and among the lines
 * with a character other than whitespace (192, 200).
 */
export function lineRepeats(units: i32, astral: bool): void {
  const count = splitLines(units);
  let nonEmpty = 0;
  let blanks = 0;
  for (let n = 0; n < count; n++) {
    const start = i32At(spanStarts, n);
    const end = i32At(spanEnds, n);
    let k = start;
    while (k < end && (classOf(unit(k)) & WHITESPACE)) k++;
    const flags: u8 = start == end ? EMPTY : k == end ? BLANK : 0;
    store<u8>(spanFlags + <usize>n, flags);
    if (flags != EMPTY) nonEmpty++;
    if (flags == BLANK) blanks++;
  }
  store<f64>(RESULTS + 160, <f64>count);
  store<f64>(RESULTS + 168, <f64>nonEmpty);
  duplicates(count, EMPTY, astral, 176);
  if (blanks > 0) duplicates(count, EMPTY | BLANK, astral, 192);
  else {
    store<f64>(RESULTS + 192, load<f64>(RESULTS + 176));
    store<f64>(RESULTS + 200, load<f64>(RESULTS + 184));
  }
}

let paragraphCount = 0;
let paragraphStart = 0;
let runStart = -2;
let runEnd = -2;

/** The run of newlines [runStart, runEnd) is over: two or more end a paragraph. */
@inline function closeRun(): void {
  if (runEnd - runStart >= 2) {
    setI32(spanStarts, paragraphCount, paragraphStart);
    setI32(spanEnds, paragraphCount, runStart);
    store<u8>(spanFlags + <usize>paragraphCount, 0);
    paragraphCount++;
    paragraphStart = runEnd;
  }
}

@inline function newlineAt(at: i32): void {
  if (at == runEnd) runEnd++;
  else {
    closeRun();
    runStart = at;
    runEnd = at + 1;
  }
}

/**
 * text[from, to) split at runs of two or more newlines (re.split("\n{2,}"): a run at either end
 * leaves an empty span there): the count (RESULTS + 208) and, when `repeats`, the repeated ones
 * and their characters (216, 224). Newlines are found eight code units at a time.
 */
export function paragraphRepeats(from: i32, to: i32, astral: bool, repeats: bool): void {
  // A span ends at each run of newlines at most: newlines + 1 bound them.
  spanRoom(countNewlines(from, to) + 1);
  paragraphCount = 0;
  paragraphStart = from;
  runStart = -2;
  runEnd = -2;
  let i = from;
  for (; i + 8 <= to; i += 8) {
    let newlines = i16x8.bitmask(i16x8.eq(v128.load(textAt + (<usize>i << 1)), i16x8.splat(10)));
    while (newlines) {
      newlineAt(i + <i32>ctz(newlines));
      newlines &= newlines - 1;
    }
  }
  for (; i < to; i++) if (unit(i) == 10) newlineAt(i);
  closeRun();
  setI32(spanStarts, paragraphCount, paragraphStart);
  setI32(spanEnds, paragraphCount, to);
  store<u8>(spanFlags + <usize>paragraphCount, 0);
  paragraphCount++;
  store<f64>(RESULTS + 208, <f64>paragraphCount);
  if (repeats) duplicates(paragraphCount, 0, astral, 216);
  else {
    store<f64>(RESULTS + 216, 0);
    store<f64>(RESULTS + 224, 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Word n-gram repetition over the tokens of the last `tokenize`.

@inline function i32At(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }
@inline function setI32(base: usize, i: i32, v: i32): void { store<i32>(base + (<usize>i << 2), v); }
@inline function f64At(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }

/** Open-addressing table size for `entries` keys (load factor at most one half). */
function tableSlots(entries: i32): i32 {
  let size = 16;
  while (size < entries * 2 + 1) size <<= 1;
  return size;
}

/** Whether text[a, a + length) and text[b, b + length) are the same code units: eight at a time (the text has room after it for a full load). */
function sameUnits(a: i32, b: i32, length: i32): bool {
  let p = textAt + (<usize>a << 1);
  let q = textAt + (<usize>b << 1);
  let left = length;
  for (; left > 8; left -= 8, p += 16, q += 16) if (!i16x8.all_true(i16x8.eq(v128.load(p), v128.load(q)))) return false;
  return (i16x8.bitmask(v128.not(i16x8.eq(v128.load(p), v128.load(q)))) & ((1 << left) - 1)) == 0;
}

@inline function pairSlot(a: i32, b: i32, mask: i32): i32 {
  const h = <u32>((a * 0x9e3779b1) ^ ((b + 0x7f4a7c15) * 0x85ebca77));
  return <i32>((h ^ (h >> 15)) & <u32>mask);
}

/** Code points in text[start, end): surrogate pairs count once, as Python's len() counts. */
function codePointsIn(start: i32, end: i32): i32 {
  let n = end - start;
  for (let i = start; i < end - 1; i++) {
    const c = unit(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = unit(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * For n = 2..4, the characters of the most frequent n-gram (spaces between its words included)
 * times its count; for n = 5..10, the characters of duplicated n-grams (datatrove's
 * find_all_duplicate: after a repeat, the scan skips past it). Written to RESULTS by n.
 * `astral`: the text has surrogate pairs, so lengths are counted in code points.
 *
 * An n-gram is the pair (id of its first n-1 words, id of its last word). A repeated n-gram is
 * made of two repeated (n-1)-grams, the one at its position and the one after, so each level
 * looks only at positions where both repeat: in ordinary text they thin out within a few words.
 */
export function ngrams(astral: bool): void {
  const n = count;
  for (let k = 0; k <= 10; k++) store<f64>(RESULTS + (<usize>k << 3), 0);
  if (n == 0) return;
  const slotsMax = tableSlots(n);
  const words = scratchAt;
  const grams = words + (<usize>n << 2);
  const reps = grams + (<usize>n << 2);
  const counts = reps + (<usize>n << 2);
  const firsts = counts + (<usize>n << 2);
  const seen = firsts + (<usize>n << 2);
  const alive = seen + (<usize>n << 2);
  const lengths = (alive + (<usize>n << 2) + 8) & ~7; // n + 1 prefix sums, f64
  const table = (lengths + (<usize>(n + 1) << 3) + 15) & ~15;
  reserve(table + (<usize>slotsMax << 4));
  memory.fill(seen, 0, <usize>n << 3); // seen and alive

  // Word ids: equal words (same code units) get equal ids, in order of first occurrence.
  let mask = slotsMax - 1;
  memory.fill(table, 0, <usize>slotsMax << 4);
  let vocabulary = 0;
  let total: f64 = 0;
  store<f64>(lengths, 0);
  for (let i = 0; i < n; i++) {
    const start = i32At(startsAt, i);
    const end = i32At(endsAt, i);
    const hash = i32At(hashesAt, i);
    const length = end - start;
    let slot = (hash ^ (hash >>> 16)) & mask;
    let id = 0;
    for (;;) {
      const at = table + (<usize>slot << 4);
      const stored = load<i32>(at);
      if (stored == 0) {
        store<i32>(at, ++vocabulary);
        store<i32>(at, hash, 4);
        store<i32>(at, start, 8);
        store<i32>(at, length, 12);
        id = vocabulary - 1;
        break;
      }
      if (load<i32>(at, 4) == hash && load<i32>(at, 12) == length && sameUnits(load<i32>(at, 8), start, length)) {
        id = stored - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
    setI32(words, i, id);
    setI32(grams, i, id);
    total += <f64>(astral ? codePointsIn(start, end) : length);
    store<f64>(lengths + (<usize>(i + 1) << 3), total);
  }
  memory.fill(counts, 0, <usize>vocabulary << 2);
  for (let i = 0; i < n; i++) {
    const w = i32At(words, i);
    setI32(counts, w, i32At(counts, w) + 1);
  }
  let repeated = 0;
  let stamp = 1;
  let level = stamp; // alive[i] == level: the n-gram at i repeats, for the current n
  // Compactions without a branch on the kept (unpredictable): each position is written, and the
  // count moves on only when it is kept.
  for (let i = 0; i < n; i++) {
    const keep = <i32>(i32At(counts, i32At(words, i)) > 1);
    setI32(reps, repeated, i);
    setI32(alive, i, level & -keep);
    repeated += keep;
  }

  // The n-gram tables of all levels share one clearing: a slot is live at level n when it is
  // tagged n (levels only shrink, so every table fits in the first one).
  memory.fill(table, 0, <usize>tableSlots(repeated) << 4);
  for (let size = 2; size <= 10; size++) {
    const m = n - size + 1;
    if (m <= 0) continue; // no n-grams: datatrove skips the top rule and finds no duplicates
    mask = tableSlots(repeated) - 1;
    let ids = 0;
    let candidates = 0;
    const previous = level;
    level = ++stamp;
    let live = 0;
    for (let r = 0; r < repeated; r++) {
      const i = i32At(reps, r);
      if (i >= m) break;
      setI32(reps, live, i);
      live += <i32>(i32At(alive, i + 1) == previous);
    }
    for (let r = 0; r < live; r++) {
      const i = i32At(reps, r);
      const a = i32At(grams, i);
      const b = i32At(words, i + size - 1);
      let slot = pairSlot(a, b, mask);
      let id = 0;
      for (;;) {
        const at = table + (<usize>slot << 4);
        if (load<i32>(at, 12) != size) {
          store<i32>(at, ids++);
          store<i32>(at, a, 4);
          store<i32>(at, b, 8);
          store<i32>(at, size, 12);
          id = ids - 1;
          setI32(counts, id, 0);
          setI32(firsts, id, i);
          break;
        }
        if (load<i32>(at, 4) == a && load<i32>(at, 8) == b) {
          id = load<i32>(at);
          break;
        }
        slot = (slot + 1) & mask;
      }
      setI32(counts, id, i32At(counts, id) + 1);
      setI32(grams, i, id);
      setI32(reps, candidates++, i);
    }
    repeated = 0;
    if (size <= 4) {
      for (let r = 0; r < candidates; r++) {
        const i = i32At(reps, r);
        const keep = <i32>(i32At(counts, i32At(grams, i)) > 1);
        setI32(reps, repeated, i);
        setI32(alive, i, level & -keep);
        repeated += keep;
      }
      // Python's Counter.most_common(1): the highest count, the earliest n-gram among equals.
      let best = -1;
      let most = 1;
      for (let id = 0; id < ids; id++) {
        const c = i32At(counts, id);
        if (c > most) {
          best = id;
          most = c;
        }
      }
      const at = best < 0 ? 0 : i32At(firsts, best);
      store<f64>(RESULTS + (<usize>size << 3), (f64At(lengths, at + size) - f64At(lengths, at) + <f64>(size - 1)) * <f64>most);
    } else {
      const visit = ++stamp;
      let total: f64 = 0;
      let from = 0;
      for (let r = 0; r < candidates; r++) {
        const i = i32At(reps, r);
        const id = i32At(grams, i);
        if (i32At(counts, id) <= 1) continue;
        setI32(reps, repeated++, i);
        setI32(alive, i, level);
        if (i < from) continue;
        if (i32At(seen, id) == visit) {
          total += f64At(lengths, i + size) - f64At(lengths, i);
          from = i + size;
        } else {
          setI32(seen, id, visit);
          from = i + 1;
        }
      }
      store<f64>(RESULTS + (<usize>size << 3), total);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Word statistics of Gopher quality over the tokens of the last `tokenize`.

/** A high surrogate at i followed by a low one: the code point they make, else -1. */
function astralAt(i: i32, end: i32): i32 {
  const c = unit(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= end) return -1;
  const d = unit(i + 1);
  if (d < 0xdc00 || d > 0xdfff) return -1;
  return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
}

/** A surrogate pair at i (it may end past a token: the text decides) that makes a letter. */
function isAstralLetter(i: i32): bool {
  const codePoint = astralAt(i, textUnits);
  return codePoint >= 0 && hostIsLetter(codePoint);
}

/**
 * Writes to RESULTS[16..19]: words that are not only punctuation, their length (code points when
 * `astral`), tokens with a letter (astral letters included), and stop words: the distinct keys of
 * the STOP_WORDS table (slot `hash & stopMask`, at most 256) that some token of ASCII letters and
 * digits equals (Gopher's rule asks for two distinct stop words, not two occurrences).
 */
export function wordStats(astral: bool, stopMask: i32): void {
  let words = 0;
  let length: f64 = 0;
  let alpha = 0;
  let stop = 0;
  // The slots seen: one bit each, in four words of 64.
  let seen0: u64 = 0;
  let seen1: u64 = 0;
  let seen2: u64 = 0;
  let seen3: u64 = 0;
  for (let t = 0; t < count; t++) {
    const start = i32At(startsAt, t);
    const end = i32At(endsAt, t);
    const flags = load<u8>(flagsAt + <usize>t);
    if (flags & PLAIN) {
      words++;
      length += <f64>(end - start);
      if (flags & HAS_LETTER) alpha++;
      if (end - start <= 8) {
        const slot = i32At(hashesAt, t) & stopMask;
        const key = load<u64>(STOP_WORDS + (<usize>slot << 3));
        if (key != 0 && asciiKey(start, end, false) == key) {
          const bit: u64 = (<u64>1) << <u64>(slot & 63);
          const part = slot >> 6;
          if (part == 0 && !(seen0 & bit)) { seen0 |= bit; stop++; }
          else if (part == 1 && !(seen1 & bit)) { seen1 |= bit; stop++; }
          else if (part == 2 && !(seen2 & bit)) { seen2 |= bit; stop++; }
          else if (part == 3 && !(seen3 & bit)) { seen3 |= bit; stop++; }
        }
      }
      continue;
    }
    let symbol = true;
    let letter = false;
    for (let i = start; i < end; i++) {
      const c = unit(i);
      const k = classOf(c);
      if (symbol && !(k & PUNCTUATION)) symbol = false;
      if (!letter && ((k & LETTER) || (c > 127 && isAstralLetter(i)))) letter = true;
      if (!symbol && letter) break;
    }
    if (!symbol) {
      words++;
      length += <f64>(astral ? codePointsIn(start, end) : end - start);
    }
    if (letter) alpha++;
  }
  store<f64>(RESULTS + 128, <f64>words);
  store<f64>(RESULTS + 136, length);
  store<f64>(RESULTS + 144, <f64>alpha);
  store<f64>(RESULTS + 152, <f64>stop);
}

// ---------------------------------------------------------------------------------------------
// C4's line pass (src/text/c4-lines.ts) over the held tokens and the lines the host wrote after
// them (`lineRoom`): the per-line measures its rules read.

let lineWords: usize = 0;
let lineSentences: usize = 0;

/** Room after the held tokens for `lines` lines: their starts and ends (the span arrays), words and sentences. */
export function lineRoom(lines: i32): void {
  spanStarts = scratchAt;
  spanEnds = spanStarts + (<usize>lines << 2);
  lineWords = spanEnds + (<usize>lines << 2);
  lineSentences = lineWords + (<usize>lines << 2);
  reserve(lineSentences + (<usize>lines << 2));
}

export function lineWordsOffset(): usize { return lineWords; }
export function lineSentencesOffset(): usize { return lineSentences; }

@inline function isSpace(c: i32): bool { return (classOf(c) & WHITESPACE) != 0; }

/**
 * Whether text[from, to) has a whitespace-separated word longer than `limit`. Such a word covers
 * one of every `limit + 1` positions, so only those are looked at, and the word around each
 * measured: long prose lines cost a few characters per checkpoint instead of a full scan.
 */
function hasLongWord(from: i32, to: i32, limit: i32): bool {
  for (let p = from + limit; p < to; p += limit + 1) {
    if (isSpace(unit(p))) continue;
    let start = p;
    while (start > from && !isSpace(unit(start - 1))) start--;
    let end = p + 1;
    while (end < to && !isSpace(unit(end))) end++;
    if (end - start > limit) return true;
  }
  return false;
}

@inline function endsSentence(c: i32): bool { return (load<u8>(SENTENCE_ENDS + (<usize>c >> 3)) & (1 << (c & 7))) != 0; }

/** Whether text[start, end) is all punctuation (\p{P}). */
function allPunctuation(start: i32, end: i32): bool {
  for (let i = start; i < end; i++) if (!(classOf(unit(i)) & UNICODE_PUNCTUATION)) return false;
  return true;
}

/**
 * For each of the `lines` lines in the span arrays: the line trimmed of whitespace, in place;
 * its whitespace-separated words (the held tokens that start a chunk within it), or -1 when one
 * is longer than `maxWord` (0: no limit); and, when it has `minWords` words or more, its
 * sentences (else 0). Lines must be in text order; tokens never cross one.
 */
export function c4Lines(lines: i32, maxWord: i32, minWords: i32): void {
  let next = 0; // first token not before the current line
  for (let l = 0; l < lines; l++) {
    let a = i32At(spanStarts, l);
    let b = i32At(spanEnds, l);
    while (a < b && isSpace(unit(a))) a++;
    while (b > a && isSpace(unit(b - 1))) b--;
    setI32(spanStarts, l, a);
    setI32(spanEnds, l, b);
    let t = next;
    while (t < count && i32At(startsAt, t) < a) t++;
    const first = t;
    // One pass over the line's tokens: its chunks, and its sentences as spaCy's sentencizer finds
    // them (a sentence ends at a token that is one sentence-final character; the next token that
    // is not all punctuation starts another). A PLAIN token (ASCII letters and digits) is none.
    let words = 0;
    let starts = 0;
    let seenEnd = false;
    for (; t < count; t++) {
      const start = i32At(startsAt, t);
      if (start >= b) break;
      const end = i32At(endsAt, t);
      const flags = load<u8>(flagsAt + <usize>t);
      words += <i32>((flags & CHUNK_START) != 0);
      if (!seenEnd) {
        if (end - start == 1 && endsSentence(unit(start))) seenEnd = true;
      } else if ((flags & PLAIN) || !(end - start == 1 && endsSentence(unit(start))) && !allPunctuation(start, end)) {
        starts++;
        seenEnd = false;
      } else if (end - start == 1 && endsSentence(unit(start))) seenEnd = true;
    }
    next = t;
    if (maxWord > 0 && b - a > maxWord && hasLongWord(a, b, maxWord)) {
      setI32(lineWords, l, -1);
      setI32(lineSentences, l, 0);
      continue;
    }
    setI32(lineWords, l, words);
    setI32(lineSentences, l, words >= minWords && t > first ? 1 + starts : 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Normalization's whitespace steps (src/text/normalize.ts, steps 5 to 7) over the copied text,
// in place: the text only shrinks, so each step writes behind where it reads. Stretches with
// nothing to change are found eight code units at a time and moved with memory.copy.

/** What JavaScript's \s matches (the class table's whitespace but NEL, U+0085). */
@inline function jsSpace(c: i32): bool { return c != 0x85 && (classOf(c) & WHITESPACE) != 0; }

/** text[from, to) moved to `out` (out <= from): the position after it. */
@inline function keep(out: i32, from: i32, to: i32): i32 {
  if (out != from && to > from) memory.copy(textAt + (<usize>out << 1), textAt + (<usize>from << 1), <usize>(to - from) << 1);
  return out + to - from;
}

/** The first i >= from with unit(i) == a and unit(i + 1) == b; `units` when there is none. */
function findPair(from: i32, units: i32, a: i32, b: i32): i32 {
  let i = from;
  for (; i + 9 <= units; i += 8) {
    const p = textAt + (<usize>i << 1);
    const m = i16x8.bitmask(v128.and(i16x8.eq(v128.load(p), i16x8.splat(<i16>a)), i16x8.eq(v128.load(p, 2), i16x8.splat(<i16>b))));
    if (m) return i + <i32>ctz(m);
  }
  for (; i + 1 < units; i++) if (unit(i) == a && unit(i + 1) == b) return i;
  return units;
}

/**
 * Runs of two or more spaces between two characters other than whitespace made one space, as
 * text.replace(/(\S) {2,}(?=\S)/g, '$1 ') does: the new length.
 */
function collapseSpaces(units: i32): i32 {
  let out = 0;
  let from = 0;
  for (let i = findPair(0, units, 32, 32); i < units; ) {
    let end = i + 2;
    while (end < units && unit(end) == 32) end++;
    // unit(i - 1) is still the input's: everything before `from` moved, nothing at or after it.
    if (i > 0 && !jsSpace(unit(i - 1)) && end < units && !jsSpace(unit(end))) {
      out = keep(out, from, i + 1);
      from = end;
    }
    i = findPair(end, units, 32, 32);
  }
  return keep(out, from, units);
}

/** The first "\n" at or after `from` whose previous unit may be whitespace other than "\n"; `units` when there is none. */
function findSpaceBeforeNewline(from: i32, units: i32): i32 {
  let i = from < 1 ? 1 : from;
  for (; i + 8 <= units; i += 8) {
    const p = textAt + (<usize>(i - 1) << 1);
    const before = v128.load(p);
    const maybe = v128.or(v128.or(i16x8.eq(before, i16x8.splat(32)), i16x8.eq(before, i16x8.splat(9))), v128.or(within(before, 11, 13), i16x8.ge_u(before, i16x8.splat(0x80))));
    const m = i16x8.bitmask(v128.and(maybe, i16x8.eq(v128.load(p, 2), i16x8.splat(10))));
    if (m) return i + <i32>ctz(m);
  }
  for (; i < units; i++) if (unit(i) == 10 && unit(i - 1) != 10 && (classOf(unit(i - 1)) & WHITESPACE)) return i;
  return units;
}

/** Each "\n"-line's trailing whitespace removed (String#trimEnd's, as the class table has it): the new length. */
function trimLineEnds(units: i32): i32 {
  let out = 0;
  let from = 0;
  let i = 0;
  for (;;) {
    const end = findSpaceBeforeNewline(i, units);
    let cut = end;
    while (cut > from && unit(cut - 1) != 10 && (classOf(unit(cut - 1)) & WHITESPACE)) cut--;
    if (cut < end) {
      out = keep(out, from, cut);
      from = end;
    }
    if (end >= units) break;
    i = end + 1;
  }
  return keep(out, from, units);
}

/** Runs of more than `keepNewlines` newlines shortened to that many: the new length. */
function limitNewlineRuns(units: i32, keepNewlines: i32): i32 {
  let out = 0;
  let from = 0;
  for (let i = findPair(0, units, 10, 10); i < units; ) {
    let end = i + 2;
    while (end < units && unit(end) == 10) end++;
    if (end - i > keepNewlines) {
      out = keep(out, from, i + keepNewlines);
      from = end;
    }
    i = findPair(end, units, 10, 10);
  }
  return keep(out, from, units);
}

/**
 * Steps 5 to 7 of normalization over text[0, units): with `spaces`, runs of spaces inside a line
 * made one space; with `trailing`, each line's trailing whitespace and the newlines at both ends
 * removed; with `maxBlank` >= 0, runs of blank lines shortened to that many. The text is left at
 * the start of the text area; returns its length (`units` when nothing changed).
 */
export function tidy(units: i32, spaces: bool, trailing: bool, maxBlank: i32): i32 {
  let n = units;
  if (spaces) n = collapseSpaces(n);
  if (trailing) {
    n = trimLineEnds(n);
    let start = 0;
    while (start < n && unit(start) == 10) start++;
    while (n > start && unit(n - 1) == 10) n--;
    if (start > 0) n = keep(0, start, n);
  }
  if (maxBlank >= 0) n = limitNewlineRuns(n, maxBlank + 1);
  return n;
}

/**
 * text[0, units) narrowed to bytes at the scratch area when every unit is below U+0100 (a
 * Latin-1 string, as JavaScript keeps most text): returns where, or 0 when some unit is not.
 */
export function narrow(units: i32): usize {
  const to = scratchAt;
  reserve(to + <usize>units + 16);
  let wide = i16x8.splat(0);
  let i = 0;
  for (; i + 16 <= units; i += 16) {
    const p = textAt + (<usize>i << 1);
    const a = v128.load(p);
    const b = v128.load(p, 16);
    wide = v128.or(wide, v128.or(a, b));
    v128.store(to + <usize>i, i8x16.narrow_i16x8_u(a, b));
  }
  if (v128.any_true(v128.and(wide, i16x8.splat(<i16>0xff00)))) return 0;
  for (; i < units; i++) {
    const c = unit(i);
    if (c > 0xff) return 0;
    store<u8>(to + <usize>i, <u8>c);
  }
  return to;
}

/**
 * Whitespace-separated words of text[0, units) (runs of units the class table does not call
 * whitespace): eight units at a time where all are ASCII, one at a time in a block with others.
 */
export function countWords(units: i32): i32 {
  let words = 0;
  let space: u32 = 1; // the unit before: whitespace, at the start
  let i = 0;
  for (; i + 8 <= units; i += 8) {
    const v = v128.load(textAt + (<usize>i << 1));
    if (v128.any_true(i16x8.ge_u(v, i16x8.splat(0x80)))) {
      for (let j = i; j < i + 8; j++) {
        const s: u32 = (classOf(unit(j)) & WHITESPACE) != 0 ? 1 : 0;
        words += <i32>(space & (s ^ 1));
        space = s;
      }
      continue;
    }
    const spaces = <u32>i16x8.bitmask(v128.or(i16x8.eq(v, i16x8.splat(32)), within(v, 9, 13)));
    // A word starts where a unit that is not whitespace follows one that is.
    words += <i32>popcnt<u32>(~spaces & ((spaces << 1) | space) & 0xff);
    space = (spaces >> 7) & 1;
  }
  for (; i < units; i++) {
    const s: u32 = (classOf(unit(i)) & WHITESPACE) != 0 ? 1 : 0;
    words += <i32>(space & (s ^ 1));
    space = s;
  }
  return words;
}
