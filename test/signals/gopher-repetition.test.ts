import { describe, expect, it } from 'vitest';
import { Doc } from '../../src/signals/doc.js';
import { gopherRepetition } from '../../src/signals/gopher-repetition.js';
import { fixtureTexts, FULL, slice } from '../helpers.js';
import { gopherRepetitionReference } from './reference.js';

/**
 * expect(actual, label).toBeCloseTo(expected, 12), with the common case (two numbers that close
 * together) decided in plain code: 18 expect calls per document add up over thousands.
 */
function closeTo(actual: number | null | undefined, expected: number | null | undefined, label?: string) {
  if (typeof actual === 'number' && typeof expected === 'number' && Math.abs(actual - expected) < 10 ** -12 / 2) return;
  expect(actual, label).toBeCloseTo(expected as number, 12);
}

const STRIDE = 4;

function check(text: string) {
  const doc = new Doc(text);
  const fast = gopherRepetition(doc);
  const ref = gopherRepetitionReference(text, doc.tokens.toArray());
  closeTo(fast.dupParaFrac, ref.dupParaFrac);
  closeTo(fast.dupParaCharFrac, ref.dupParaCharFrac);
  closeTo(fast.dupLineFrac, ref.dupLineFrac);
  closeTo(fast.dupLineCharFrac, ref.dupLineCharFrac);
  for (const n of [2, 3, 4]) closeTo(fast.topNgramCharFrac[n], ref.top[n]!, `top ${n}`);
  for (const n of [5, 6, 7, 8, 9, 10]) closeTo(fast.dupNgramCharFrac[n], ref.dup[n]!, `dup ${n}`);
}

describe('gopher repetition', () => {
  // The reference is slow: `npm test` checks every STRIDE-th document, `npm run test:full` all.
  it(`matches the reference definitions on ${FULL ? 'every' : `every ${STRIDE}th`} fixture document`, async () => {
    for (const { text } of slice(await fixtureTexts(), STRIDE)) check(text.replace(/\r\n?/g, '\n').trim());
  });

  it('finds repeated lines and paragraphs among others of the same length, short and very long', () => {
    const long = (c: string) => c.repeat(5000);
    check(['abc', 'abd', 'abc', '', 'xyz', 'abd', long('a'), long('b'), long('a'), '', 'abc', 'abd'].join('\n'));
    check([long('x'), '', long('y'), '', long('x'), '', 'one', 'two', 'one'].join('\n'));
  });

  it('matches them on synthetic text with heavy, overlapping repetition', () => {
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const vocabulary = ['a', 'b', 'cc', 'the', 'cat', 'sat', '😀', 'é', ','];
    for (let k = 0; k < 300; k++) {
      const words = Array.from({ length: 1 + Math.floor(random() * 120) }, () => vocabulary[Math.floor(random() * (2 + (k % vocabulary.length)))]!);
      const lines = [];
      for (let i = 0; i < words.length; i += 1 + Math.floor(random() * 9)) lines.push(words.slice(i, i + 6).join(' '));
      check(lines.join(random() < 0.5 ? '\n' : '\n\n'));
    }
  });

  it('computes the published examples by hand', () => {
    // 10 words; "a b" occurs 3 times: top 2-gram = len("a b") * 3 = 9 characters of 19.
    const text = 'a b c a b d a b e f';
    const r = gopherRepetition(new Doc(text));
    expect(r.topNgramCharFrac[2]).toBeCloseTo(9 / 19, 12);
    // duplicated 5-grams: none in 10 distinct-enough words.
    expect(r.dupNgramCharFrac[5]).toBe(0);
    // "x y z w v" twice: the second occurrence is 5 characters without spaces, of 19.
    const twice = new Doc('x y z w v x y z w v');
    expect(gopherRepetition(twice).dupNgramCharFrac[5]).toBeCloseTo(5 / 19, 12);
    // Lines: 2 of 3 equal -> 1 duplicate line of 3, 3 characters of 11.
    const lines = gopherRepetition(new Doc('abc\nabc\nxyz'));
    expect(lines.dupLineFrac).toBeCloseTo(1 / 3, 12);
    expect(lines.dupLineCharFrac).toBeCloseTo(3 / 11, 12);
  });

  it('is null where the reference would divide by zero (empty text)', () => {
    const r = gopherRepetition(new Doc(''));
    expect(r.dupParaCharFrac).toBeNull();
    expect(r.topNgramCharFrac[2]).toBeNull();
  });
});
