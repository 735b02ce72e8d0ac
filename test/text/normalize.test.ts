import { describe, expect, it } from 'vitest';
import { pipelineSchema } from '../../src/config/pipeline.js';
import { hasOtherBreaks } from '../../src/text/lines.js';
import { makeNormalizer } from '../../src/text/normalize.js';
import { referenceNormalizer } from './reference-normalize.js';
import { fixtureTexts } from '../helpers.js';

const defaults = pipelineSchema.shape.normalize.parse(undefined);
const normalizeWith = (config: Partial<typeof defaults>) => {
  const n = makeNormalizer({ ...defaults, ...config });
  return (text: string) => n(text).text;
};
const normalize = normalizeWith({});

describe('normalize', () => {
  it('composes Unicode (NFC): decomposed and composed forms become equal', () => {
    expect(normalize('cafe\u0301 au lait')).toBe('caf\u00e9 au lait');
    expect(normalizeWith({ unicode: 'none' })('cafe\u0301')).toBe('cafe\u0301');
    expect(normalizeWith({ unicode: 'NFKC' })('\ufb01ne \u2460')).toBe('fine 1');
  });

  it('skips String#normalize only for text it cannot change: every character, and every pair, below U+0300 (NFC) or U+00A0 (NFKC)', () => {
    for (const [form, below] of [['NFC', 0x300], ['NFKC', 0xa0]] as const) {
      let changed = 0;
      for (let a = 0; a < below; a++) {
        for (let b = 0; b < below; b++) {
          const pair = String.fromCharCode(a, b);
          if (pair.normalize(form) !== pair) changed++;
        }
      }
      expect(changed, form).toBe(0);
      // Just past the bound, a pair does change: the bound is not loose.
      expect('e\u0301'.normalize(form)).toBe('\u00e9');
    }
    expect('\u00b2'.normalize('NFKC')).toBe('2');
    expect(normalizeWith({ unicode: 'NFKC' })('x\u00b2')).toBe('x2');
    expect(normalize('Cafe\u0301')).toBe('Caf\u00e9');
  });

  it('turns every line ending into \\n', () => {
    expect(normalize('a\r\nb\rc\u2028d\u0085e\ff\vg')).toBe('a\nb\nc\nd\ne\nf\ng');
    // Each on its own in otherwise clean text, where the cheaper checks decide whether to look.
    for (const brk of ['\r\n', '\r', '\u000b', '\u000c', '\u001c', '\u001d', '\u001e', '\u0085', '\u2028', '\u2029']) {
      expect(normalize(`first line${brk}second line`), JSON.stringify(brk)).toBe('first line\nsecond line');
    }
  });

  it('leaves no line break but "\n" whatever the other steps do (the annotator tells the line families so, and they skip their scan)', async () => {
    const breaks = ['\r\n', '\r', '\u000b', '\u000c', '\u001c', '\u001d', '\u001e', '\u0085', '\u2028', '\u2029'];
    const texts = [...(await fixtureTexts()).slice(0, 300).map((t) => t.text), 'x'];
    const configs = [{}, { fix_mojibake: false, remove_invisible: false, spaces: false, trailing_whitespace: false }, { unicode: 'NFKC' as const }, { unicode: 'none' as const, max_blank_lines: 'none' as const }];
    let checked = 0;
    for (const config of configs) {
      const n = normalizeWith(config);
      for (const [i, text] of texts.entries()) {
        // Breaks of every kind, mixed with the mojibake, wide spaces and controls the other steps handle.
        const b = breaks[i % breaks.length]!;
        const noisy = `${b}${text.slice(0, 200)}${b}\u00a0 \u00e2\u0080\u0099${breaks[(i + 3) % breaks.length]}\u0000${text.slice(200, 400)}${b}`;
        expect(hasOtherBreaks(noisy)).toBe(true);
        expect(hasOtherBreaks(n(noisy)), `${JSON.stringify(config)} ${i}`).toBe(false);
        checked++;
      }
    }
    expect(checked).toBe(configs.length * texts.length);
    // With line_endings off, they stay: the annotator then asks the text.
    expect(hasOtherBreaks(normalizeWith({ line_endings: false })('a\rb'))).toBe(true);
  });

  it('removes control and zero-width characters, and counts them', () => {
    const n = makeNormalizer(defaults);
    const out = n('Te\u0000xt\u200B with\u0007 junk\uFEFF\u0085');
    expect(out.text).toBe('Text with junk');
    expect(out.invisible).toBe(4);
    // Joiners shape emoji and Indic scripts: they stay.
    expect(normalize('\u{1F469}\u200D\u{1F4BB} \u0915\u094D\u200D\u0937')).toBe('\u{1F469}\u200D\u{1F4BB} \u0915\u094D\u200D\u0937');
    expect(normalizeWith({ remove_invisible: false })('a\u200Bb')).toBe('a\u200Bb');
  });

  it('turns wide spaces into spaces and collapses runs inside lines, not indentation', () => {
    expect(normalize('10\u00A0mg  per\u2009day')).toBe('10 mg per day');
    expect(normalize('    indented   code')).toBe('    indented code');
    expect(normalizeWith({ spaces: false })('a  b')).toBe('a  b');
  });

  it('repairs UTF-8 read as Windows-1252 or Latin-1, and counts repairs', () => {
    const n = makeNormalizer(defaults);
    const broken = 'Itâ€™s a cafÃ© â€” naÃ¯ve â€œquotesâ€\u009d æ—¥æœ¬ ðŸ˜€';
    const out = n(broken);
    expect(out.text).toBe('It’s a café — naïve “quotes” 日本 😀');
    expect(out.mojibake).toBe(9);
    // Doubly encoded text needs two passes.
    expect(normalize('cafÃƒÂ©')).toBe('café');
    // Text that only looks similar stays: "Ã" followed by a space is not a UTF-8 sequence.
    expect(normalize('Ã la carte, 25 °C, Â')).toBe('Ã la carte, 25 °C, Â');
    expect(normalizeWith({ fix_mojibake: false })('cafÃ©')).toBe('cafÃ©');
  });

  it('strips trailing whitespace per line and at the ends, but keeps indentation', () => {
    expect(normalize('\n\n  def f():  \n    return 1\t\n\n')).toBe('  def f():\n    return 1');
    // A carriage return (line_endings off) and NEL before "\n" are trailing whitespace too, whatever
    // the other lines hold (a shortcut once looked for " \n" first and trimmed no line without one).
    for (const rest of ['', '\nc \nd']) {
      expect(normalizeWith({ line_endings: false })(`a  \r\nb${rest}`)).toBe(`a\nb${rest.replace(' ', '')}`);
      expect(normalizeWith({ line_endings: false })(`a\u0085\nb${rest}`)).toBe(`a\nb${rest.replace(' ', '')}`);
    }
  });

  it('shortens runs of blank lines to max_blank_lines', () => {
    expect(normalize('a\n\n\n\n\nb')).toBe('a\n\nb');
    expect(normalizeWith({ max_blank_lines: 0 })('a\n\n\nb')).toBe('a\nb');
    expect(normalizeWith({ max_blank_lines: 2 })('a\n\n\n\n\nb')).toBe('a\n\n\nb');
    expect(normalizeWith({ max_blank_lines: 'none' })('a\n\n\n\n\nb')).toBe('a\n\n\n\n\nb');
    // A limit past 32 bits' reach (a user's "no limit") keeps every run, as 'none' does.
    for (const max of [2 ** 31 - 1, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER]) expect(normalizeWith({ max_blank_lines: max })('a\n\n\n\n\nb')).toBe('a\n\n\n\n\nb');
    expect(pipelineSchema.parse({ name: 't', input: { path: 'x' }, output: { path: 'y' }, normalize: { max_blank_lines: 'none' } }).normalize.max_blank_lines).toBe('none');
    // As the regular expression it replaced, on runs of every length.
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let t = 0; t < 300; t++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 12) }, () => 'x'.repeat(Math.floor(random() * 3)) + '\n'.repeat(Math.floor(random() * 7))).join('');
      for (const max of [0, 1, 2, 5]) {
        const limit = normalizeWith({ max_blank_lines: max, trailing_whitespace: false });
        expect(limit(text), JSON.stringify([text, max])).toBe(text.replace(new RegExp(`\\n{${max + 2},}`, 'g'), '\n'.repeat(max + 1)));
      }
    }
  });

  it('costs no more with a huge max_blank_lines (a user\'s "no limit") than with the default', () => {
    // A megabyte of paragraphs: the regular expression \n{1000002,} once took seconds on it.
    const text = Array.from({ length: 20_000 }, (_, i) => `Paragraph ${i} of the text.${'\n'.repeat(1 + (i % 4))}`).join('');
    const time = (max: number) => {
      const limit = normalizeWith({ max_blank_lines: max });
      const started = performance.now();
      for (let i = 0; i < 3; i++) limit(text);
      return performance.now() - started;
    };
    const baseline = Math.min(time(1), time(1));
    const huge = Math.min(time(1_000_000), time(1_000_000));
    expect(normalizeWith({ max_blank_lines: 1_000_000 })(text)).toBe(normalizeWith({ max_blank_lines: 'none' })(text));
    expect(huge).toBeLessThan(baseline * 3 + 50);
  });

  it('gives what the JavaScript steps it replaced give (runs of spaces, trailing whitespace, blank lines): real text and generated whitespace of every kind, under every setting', async () => {
    const configs = [
      {},
      { max_blank_lines: 0 as const },
      { max_blank_lines: 'none' as const },
      { spaces: false },
      { trailing_whitespace: false },
      { spaces: false, trailing_whitespace: false, max_blank_lines: 'none' as const },
      { line_endings: false, remove_invisible: false },
      { fix_mojibake: false, unicode: 'none' as const, line_endings: false, remove_invisible: false },
    ].map((c) => ({ ...defaults, ...c }));
    const pairs = configs.map((c) => ({ kernel: makeNormalizer(c), reference: referenceNormalizer(c), c }));
    const same = (text: string) => {
      for (const { kernel, reference, c } of pairs) expect(kernel(text), JSON.stringify([text.slice(0, 120), c])).toEqual(reference(text));
    };
    for (const { text } of await fixtureTexts()) same(text);
    // Generated: words between whitespace of every kind (JavaScript's \s and the characters that
    // are whitespace to Python but not to \s, NEL among them), runs of every length at every
    // offset of the eight-unit blocks, at both ends, before line breaks of every kind.
    const words = ['a', 'word', 'é', 'ж', '😀', 'x.', '\u0085', '\x1c', '\u00e2\u0080\u0099'];
    const gaps = [' ', '  ', '   ', '        ', '         ', '\t', ' \t ', '\u00a0', '\u3000 ', ' \u2009 ', '\ufeff', '\u200b', ' \u0085 ', '\v'];
    const breaks = ['\n', '\n\n', '\n\n\n', '\n\n\n\n\n', '\r\n', '\r', '\u2028', '\f', ' \n', '\t\n', '  \n\n  ', '\u00a0\n'];
    let seed = 11;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let t = 0; t < 1500; t++) {
      let text = next(3) === 0 ? [...gaps, ...breaks][next(gaps.length + breaks.length)]! : '';
      for (let k = 1 + next(24); k > 0; k--) text += words[next(words.length)]! + (next(4) === 0 ? breaks[next(breaks.length)]! : gaps[next(gaps.length)]!);
      same(text);
      same(text.slice(0, -1));
    }
  });

  it('makes CRLF-with-trailing-spaces copies equal to the original', () => {
    const original = 'Glaucoma damages the optic nerve.\nIt is a leading cause of blindness.';
    const copy = 'Glaucoma damages the optic nerve.  \r\nIt is a leading cause of blindness.  \r\n';
    expect(normalize(copy)).toBe(normalize(original));
  });

  it('is idempotent on real documents', async () => {
    for (const { text } of await fixtureTexts()) {
      const once = normalize(text);
      expect(normalize(once)).toBe(once);
    }
  });

  it('stays linear on adversarial whitespace (no regex backtracking)', () => {
    // Quadratic backtracking on runs this long takes minutes; linear work takes milliseconds. Timed
    // against runs a quarter as long (the fastest of three each, so a busy machine slows both
    // alike; no fixed limit): linear work takes about 4 times as long, quadratic 16.
    const evil = (run: number) => `a${' '.repeat(run)}b${' \t'.repeat(run / 2)}\n`.repeat(5);
    const best = (text: string) => {
      let ms = Infinity;
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        const out = normalize(text);
        ms = Math.min(ms, performance.now() - start);
        expect(out.endsWith('b')).toBe(true);
      }
      return ms;
    };
    best(evil(50_000)); // warm-up: compile and optimise before timing
    const small = best(evil(50_000));
    const large = best(evil(200_000));
    expect(large, `${small.toFixed(1)} ms on runs of 50,000 spaces, ${large.toFixed(1)} ms on runs of 200,000`).toBeLessThan(10 * small + 5);
  });
});
