import { describe, expect, it } from 'vitest';
import { Doc } from '../../src/signals/doc.js';
import { gopherRepetition } from '../../src/signals/gopher-repetition.js';
import { fixtureTexts } from '../helpers.js';
import { gopherRepetitionReference } from './reference.js';

function check(text: string) {
  const doc = new Doc(text);
  const fast = gopherRepetition(doc);
  const ref = gopherRepetitionReference(text, doc.tokens.toArray());
  expect(fast.dupParaFrac).toBeCloseTo(ref.dupParaFrac, 12);
  expect(fast.dupParaCharFrac).toBeCloseTo(ref.dupParaCharFrac, 12);
  expect(fast.dupLineFrac).toBeCloseTo(ref.dupLineFrac, 12);
  expect(fast.dupLineCharFrac).toBeCloseTo(ref.dupLineCharFrac, 12);
  for (const n of [2, 3, 4]) expect(fast.topNgramCharFrac[n], `top ${n}`).toBeCloseTo(ref.top[n]!, 12);
  for (const n of [5, 6, 7, 8, 9, 10]) expect(fast.dupNgramCharFrac[n], `dup ${n}`).toBeCloseTo(ref.dup[n]!, 12);
}

describe('gopher repetition', () => {
  it('matches the reference definitions on every fixture document', async () => {
    for (const { text } of await fixtureTexts()) check(text.replace(/\r\n?/g, '\n').trim());
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
