import { describe, expect, it } from 'vitest';
import { countLines, countWords } from '../../src/signals/counts.js';
import { codePoints as countChars } from '../../src/signals/text-stats.js';
import { fixtureTexts } from '../helpers.js';

describe('counts', () => {
  it('counts whitespace-separated words like split(/\\s+/) on real documents', async () => {
    for (const { text } of await fixtureTexts()) {
      const expected = text.split(/\s+/).filter((w) => w !== '').length;
      expect(countWords(text)).toBe(expected);
    }
  });

  it('handles edges: empty, only spaces, Unicode spaces', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('   \n\t ')).toBe(0);
    expect(countWords('one\u00a0two\u3000three\u2009four')).toBe(4);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(countChars('abc')).toBe(3);
    expect(countChars('\u{1F9EC} DNA')).toBe(5);
    expect(countChars('\ud800x')).toBe(2); // a lone surrogate is one code point
  });

  it('counts lines', () => {
    expect(countLines('')).toBe(0);
    expect(countLines('one')).toBe(1);
    expect(countLines('one\ntwo\n\nfour')).toBe(4);
  });
});
