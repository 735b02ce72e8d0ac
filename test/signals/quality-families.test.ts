import { describe, expect, it } from 'vitest';
import { Doc } from '../../src/signals/doc.js';
import { fineweb } from '../../src/signals/fineweb.js';
import { gopherQuality } from '../../src/signals/gopher-quality.js';
import { TERMINAL_PUNCTUATION } from '../../src/text/terminal-punctuation.js';
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
    // Distinct stop words, as the paper's rule ("at least two of the English stop words") and datatrove count.
    expect(gopherQuality(new Doc('the cat saw the dog')).stopWords).toBe(1);
    expect(gopherQuality(new Doc('the the the of of to')).stopWords).toBe(3);
  });

  it("splits lines as str.splitlines(), at every break Python knows, with no empty line after a final break", () => {
    for (const br of ['\n', '\r', '\r\n', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029']) {
      const text = `- one${br}- two${br}three...${br}four`;
      const s = gopherQuality(new Doc(text));
      expect(s.bulletLinesRatio, JSON.stringify(br)).toBe(2 / 4);
      expect(s.ellipsisLinesRatio, JSON.stringify(br)).toBe(1 / 4);
      close(s as never, gopherQualityReference(text, new Doc(text).tokens.toArray()) as never);
    }
    // A final "\n" (trailing_whitespace off) makes no extra empty line: two lines, both bullets.
    expect(gopherQuality(new Doc('- a\n- b\n')).bulletLinesRatio).toBe(1);
    expect(gopherQuality(new Doc('- a\n- b\n\n')).bulletLinesRatio).toBe(2 / 3);
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

  it("FineWeb-2's definition: blank lines left out, every script's sentence ends (quotes not), no ratios without a line", async () => {
    for (const { text } of await fixtureTexts()) {
      const doc = new Doc(text.replace(/\r\n?/g, '\n'));
      close(fineweb(doc, 'fineweb-2') as never, finewebReference(doc.text, doc.tokens.toArray(), 'fineweb-2') as never);
    }
    const text = 'A full sentence ends right here, at last.\nshort\nshort\n\nHe said "stop."\n\u0928\u092e\u0938\u094d\u0924\u0947\u0964\nAnother line goes on without any stop';
    const one = fineweb(new Doc(text));
    const two = fineweb(new Doc(text, ), 'fineweb-2');
    expect(one.linePunctRatio).toBe(2 / 7); // . and the closing quote; not the danda
    expect(two.linePunctRatio).toBe(2 / 6); // . and the danda; a line ending in a quote does not count, the blank line is no line
    expect(one.shortLineRatio).toBe(5 / 7);
    expect(two.shortLineRatio).toBe(4 / 6);
    expect(fineweb(new Doc('\n  \n'), 'fineweb-2')).toEqual({ linePunctRatio: null, shortLineRatio: null, charDupRatio: null, listRatio: null });
    // Astral sentence ends (Brahmi's danda U+11047) end a line too.
    expect(fineweb(new Doc('\u{11047}'.padStart(3, 'a')), 'fineweb-2').linePunctRatio).toBe(1);
  });

  it("holds datatrove's TERMINAL_PUNCTUATION: 159 sentence ends of every script, no quotes", () => {
    expect(TERMINAL_PUNCTUATION.size).toBe(159);
    // Written out from datatrove's src/datatrove/utils/text.py.
    for (const ch of ['.', '?', '!', '\u3002', '\u061f', '\u0964', '\u0965', '\u1362', '\u2047', '\uff01', '\uff0e', '\uff1f', '\u{11047}', '\u{1da88}']) {
      expect(TERMINAL_PUNCTUATION.has(ch.codePointAt(0)!), ch).toBe(true);
    }
    for (const ch of ['"', "'", ',', ';', ':', '\u201d', '\u2026']) expect(TERMINAL_PUNCTUATION.has(ch.codePointAt(0)!), ch).toBe(false);
  });
});
