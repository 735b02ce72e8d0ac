import { describe, expect, it, vi } from 'vitest';
import { c4Lines, countSentences, type C4LineConfig } from '../../src/text/c4-lines.js';
import { hasOtherBreaks } from '../../src/text/lines.js';
import { Spans } from '../../src/text/spans.js';
import { LineMeasures, wordKernel } from '../../src/text/word-kernel-host.js';
import { referenceLineMeasurer, SENTENCE_FINAL } from '../signals/reference-c4-lines.js';
import { fixtureTexts, slice } from '../helpers.js';

const C4: C4LineConfig = { remove_citations: true, terminal_punctuation: true, min_words_per_line: 3, max_word_length: 1000, javascript: true, policy: true };

describe('C4 line cleanup', () => {
  it('drops each kind of line, counts it, and keeps the rest', () => {
    const text = [
      'This line is a proper sentence.',
      'no terminal punctuation here',
      'Too short.',
      'Please enable JavaScript to view this page.',
      'By using this site you accept our Privacy Policy.',
      'Ends with an ellipsis...',
      `A ${'x'.repeat(1001)} word.`,
      'Quoted lines end in a quote."',
      'Citations go[1] before the check[citation needed].',
    ].join('\n');
    const r = c4Lines(text, C4);
    expect(r.text).toBe('This line is a proper sentence.\nQuoted lines end in a quote."\nCitations go before the check.');
    expect(r.removed).toEqual({ long_word: 1, no_terminal_punct: 2, too_few_words: 1, lorem_ipsum: 0, javascript: 1, policy: 1 });
    expect(r.sentences).toBe(3);
    expect(r.loremIpsum).toBe(false);
  });

  it("splits lines as str.splitlines() (the reference's), at every break Python knows, and no empty line after a final break", () => {
    for (const br of ['\n', '\r', '\r\n', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029']) {
      const r = c4Lines(`This line is a proper sentence.${br}Too short.${br}And here is another one.`, C4);
      expect(r.text, JSON.stringify(br)).toBe('This line is a proper sentence.\nAnd here is another one.');
      expect(r.removed.too_few_words, JSON.stringify(br)).toBe(1);
    }
    // A final "\n" (trailing_whitespace off) is no further line to drop.
    expect(c4Lines('This line is a proper sentence.\n', C4).removed.too_few_words).toBe(0);
    expect(c4Lines('', C4).removed.too_few_words).toBe(0);
  });

  it('finds a word over the length limit wherever it sits in a long line, and only then', () => {
    const limit = { ...C4, terminal_punctuation: false, max_word_length: 5 };
    const filler = 'ab cd ef gh ij kl mn op qr st uv wx yz';
    for (let at = 0; at <= filler.length; at += 1) {
      for (const [word, long] of [['abcde', false], ['abcdef', true], ['abcdefghijklmnop', true]] as const) {
        const line = `${filler.slice(0, at)} ${word} ${filler.slice(at)}`;
        const reference = line.split(/\s+/).some((w) => w.length > 5);
        expect(reference).toBe(long);
        expect(c4Lines(line, limit).removed.long_word, line).toBe(long ? 1 : 0);
      }
    }
    expect(c4Lines(`${'x'.repeat(6)} and more words`, limit).removed.long_word).toBe(1);
    expect(c4Lines(`more words and ${'x'.repeat(6)}`, limit).removed.long_word).toBe(1);
  });

  it('flags lorem ipsum and curly brackets for the page rules', () => {
    expect(c4Lines('Lorem ipsum dolor sit amet, consectetur.', C4).loremIpsum).toBe(true);
    expect(c4Lines('Code like { this } is not prose.', C4).curlyBracket).toBe(true);
    // A bracket in a line dropped earlier does not count, as in C4.
    expect(c4Lines('short {', C4).curlyBracket).toBe(false);
    expect(c4Lines('short {\nA line without brackets.\nAnother { line here.', C4).curlyBracket).toBe(true);
    expect(c4Lines('A [1] line [edit] here.\nshort [\nLast line [2] here.', C4).text).toBe('A  line  here.\nLast line  here.');
    // Words are counted before the marks go (datatrove), sentences after.
    expect(c4Lines('Hi [1] ok.', C4).removed.too_few_words).toBe(0);
    // An information separator ends a line but not a token: each line measured on its own.
    expect(c4Lines('One two three.\x1cFour five six.', C4).removed.too_few_words).toBe(0);
  });

  it('keeps lines without terminal punctuation when that rule is off (as FineWeb ran C4)', () => {
    const r = c4Lines('a list item without a stop\nAnother one here', { ...C4, terminal_punctuation: false });
    expect(r.removed.no_terminal_punct).toBe(0);
    expect(r.sentences).toBe(2);
  });

  it('measures lines as the JavaScript measurer it replaced does, under the same rules, on real text and generated lines of every kind', async () => {
    const configs: C4LineConfig[] = [
      C4,
      { ...C4, terminal_punctuation: false },
      { ...C4, min_words_per_line: 6, max_word_length: 5 },
      { ...C4, remove_citations: false, max_word_length: 0, javascript: false, policy: false },
      // Every line kept but those with a long word, empty ones included: the kept text's trim at work.
      { ...C4, terminal_punctuation: false, min_words_per_line: 0 },
    ];
    const same = (text: string) => {
      for (const config of configs) {
        const reference = c4Lines(text, config, { measure: referenceLineMeasurer });
        expect(c4Lines(text, config), JSON.stringify(text.slice(0, 200))).toEqual(reference);
        // As the annotator asks: with the text's split at "\n" (Doc.lines) when it has no other break.
        if (!hasOtherBreaks(text)) expect(c4Lines(text, config, { otherBreaks: false, split: wordKernel().lines(text, new Spans()) })).toEqual(reference);
      }
    };
    // A fixed quarter of the sample texts (all of them under `npm run test:full`).
    for (const { text } of slice(await fixtureTexts(), 4)) same(text.replace(/\r\n?/g, '\n'));
    // Generated lines: words of several scripts, every sentence-final character, punctuation
    // tokens, whitespace of every kind, every line break, citation marks, phrases, brackets and
    // words over the length limits.
    const pieces = [
      'word', 'Another', 'três', 'слово', '词语', '😀x', 'x😀', 'ab', 'abcdef', 'x'.repeat(1001), '1999', 'e.g.', 'Dr.', '3.5',
      ...SENTENCE_FINAL, '...', '…', '"', '”', '—', '(', ')', '!?', '.”', '[1]', '[edit]', '[citation needed]', '[', '{', '}',
      'Lorem Ipsum', 'JavaScript', 'cookie policy', 'Terms of Use', 'user@example.com', 'https://example.org/a?b=c',
    ];
    const spaces = [' ', ' ', ' ', '  ', '\t', '\u00a0', '\u3000', '\u2009', '\ufeff'];
    const breaks = ['\n', '\n', '\n', '\n\n', '\r\n', '\r', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029'];
    let seed = 7;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const page = (from: readonly string[]) => {
      const lines: string[] = [];
      for (let l = next(8); l >= 0; l--) {
        let line = next(4) === 0 ? spaces[next(spaces.length)]! : '';
        for (let w = next(12); w >= 0; w--) line += from[next(from.length)]! + (next(3) === 0 ? '' : spaces[next(spaces.length)]!);
        lines.push(line);
      }
      // Most texts break lines with "\n" alone; some mix every break.
      const mixed = next(3) === 0;
      return lines.reduce((text, line, i) => (i === 0 ? line : text + (mixed ? breaks[next(breaks.length)]! : '\n') + line), '');
    };
    for (let doc = 0; doc < 400; doc++) same(page(pieces));
    // And pages with no citation mark, phrase or curly bracket, as most real pages are.
    const plain = pieces.filter((p) => !/[[{]|lorem|javascript|cookie|terms/i.test(p));
    for (let doc = 0; doc < 400; doc++) same(page(plain));
  });
});

describe('C4 line cleanup on long pages', () => {
  it('looks for "{" and "[" once past their last occurrence, not once per line', () => {
    // A page with one "{" and one "[" at the top: every later line once searched to the end of the
    // page again (5 s for 3 MB).
    const text = `{ [ a first line.\n${'A line of ordinary words here.\n'.repeat(10_000)}`;
    const indexOf = vi.spyOn(String.prototype, 'indexOf');
    try {
      const r = c4Lines(text, C4, { keepText: false });
      expect(r.curlyBracket).toBe(true);
      const searches = indexOf.mock.calls.filter(([what]) => what === '{' || what === '[').length;
      expect(searches).toBeLessThan(10);
    } finally {
      indexOf.mockRestore();
    }
  });

  it("gives back the per-line buffers a huge page grew once the next page is measured", () => {
    const kernel = wordKernel();
    const out = new LineMeasures();
    const huge = 'a b c.\n'.repeat(70_000);
    const lines = kernel.lines(huge, new Spans());
    kernel.c4Lines(huge, lines, lines.count, 1000, 3, out);
    expect(out.words.length).toBeGreaterThan(70_000);
    const small = kernel.lines('One two three.', new Spans());
    const r = kernel.c4Lines('One two three.', small, small.count, 1000, 3, out);
    expect([r.count, r.words[0], r.sentences[0]]).toEqual([1, 3, 1]);
    expect(out.words.length).toBeLessThan(1000);
    expect(out.starts.length).toBeLessThan(1000);
  });
});


describe('countSentences', () => {
  it('follows spaCy’s sentencizer: a stop, then a token that is not punctuation', () => {
    expect(countSentences('One. Two! Three? Four')).toBe(4);
    expect(countSentences('He said "stop." Then left.')).toBe(2);
    expect(countSentences('Dr. Smith arrived at 3 p.m. today.')).toBe(1); // "Dr." and "p.m." are tokens of their own, not stops
    expect(countSentences('Wait... what')).toBe(1);
    expect(countSentences('')).toBe(0);
  });
});
