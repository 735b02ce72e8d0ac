import { describe, expect, it } from 'vitest';
import { Doc } from '../../src/signals/doc.js';
import { fineweb } from '../../src/signals/fineweb.js';
import { gopherQuality } from '../../src/signals/gopher-quality.js';
import { fixtureTexts } from '../helpers.js';
import { finewebReference, gopherQualityReference } from './reference.js';

function close(actual: Record<string, number | null>, expected: Record<string, number | null>) {
  for (const [key, value] of Object.entries(expected)) {
    if (value === null) expect(actual[key], key).toBeNull();
    else expect(actual[key], key).toBeCloseTo(value, 12);
  }
}

describe('gopher quality', () => {
  it('matches the reference definitions on every fixture document', async () => {
    for (const { text } of await fixtureTexts()) {
      const doc = new Doc(text.replace(/\r\n?/g, '\n'));
      close(gopherQuality(doc) as never, gopherQualityReference(doc.text, doc.tokens.toArray()) as never);
    }
  });

  it('measures hand-made documents at the rule boundaries', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `word${i}`).join(' ');
    expect(gopherQuality(new Doc(fifty)).words).toBe(50);
    expect(gopherQuality(new Doc(`${fifty} , . ! ?`)).words).toBe(50); // punctuation is not a word
    expect(gopherQuality(new Doc('ab cd ef')).meanWordLength).toBe(2);
    expect(gopherQuality(new Doc('# a b c d e f g h i')).hashRatio).toBeCloseTo(1 / 10, 12); // "#" is a token too
    expect(gopherQuality(new Doc('• one\n• two\n- three\nfour')).bulletLinesRatio).toBe(0.75);
    expect(gopherQuality(new Doc('wait...\nand…\nno')).ellipsisLinesRatio).toBeCloseTo(2 / 3, 12);
    expect(gopherQuality(new Doc('12 34 ab 5')).alphaWordsRatio).toBe(0.25);
    // Case-sensitive, as datatrove: "The" is not "the".
    expect(gopherQuality(new Doc('The cat and the hat of That')).stopWords).toBe(3);
  });

  it('is null where the reference divides by zero', () => {
    const empty = gopherQuality(new Doc(''));
    expect(empty.words).toBe(0);
    expect(empty.meanWordLength).toBeNull();
    expect(empty.hashRatio).toBeNull();
    expect(empty.bulletLinesRatio).toBeNull();
  });
});

describe('fineweb', () => {
  it('matches the reference definitions on every fixture document', async () => {
    for (const { text } of await fixtureTexts()) {
      const doc = new Doc(text.replace(/\r\n?/g, '\n'));
      close(fineweb(doc) as never, finewebReference(doc.text, doc.tokens.toArray()) as never);
    }
  });

  it('measures hand-made documents', () => {
    const s = fineweb(new Doc('A full sentence ends right here, at last.\nshort\nshort\n\nAnother line goes on without any stop'));
    expect(s.linePunctRatio).toBe(1 / 5);
    expect(s.shortLineRatio).toBe(3 / 5); // "short" twice and the empty line; the others are over 30 characters
    expect(s.charDupRatio).toBeCloseTo(5 / (41 + 5 + 5 + 37), 12);
    expect(fineweb(new Doc('a\nb\nc d')).listRatio).toBeCloseTo(2 / 4, 12);
    expect(fineweb(new Doc('')).listRatio).toBeNull();
  });
});
