import { describe, expect, it } from 'vitest';
import { countWords } from '../../src/signals/counts.js';
import { Doc } from '../../src/signals/doc.js';
import { isWhitespace } from '../../src/text/chars.js';
import { forEachLine } from '../../src/text/lines.js';
import { codePoints as countChars } from '../../src/signals/text-stats.js';
import { fixtureTexts } from '../helpers.js';
import { referenceCountWords } from './reference-c4-lines.js';

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

  it('counts as the JavaScript loop it replaced: every whitespace character, at every offset of the eight-unit blocks, in ASCII and mixed blocks', () => {
    const spaces = Array.from({ length: 0x10000 }, (_, c) => c).filter((c) => isWhitespace(c)).map((c) => String.fromCharCode(c));
    expect(spaces.length).toBeGreaterThan(20);
    const pieces = [...spaces, 'a', 'word', 'é', 'ж', '😀', '\x85', '\x1c', '\x7f', '.'];
    let seed = 3;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let t = 0; t < 3000; t++) {
      let text = '';
      for (let k = next(40); k > 0; k--) text += pieces[next(pieces.length)]!;
      expect(countWords(text), JSON.stringify(text)).toBe(referenceCountWords(text));
    }
    for (const c of spaces) for (let at = 0; at < 20; at++) expect(countWords(`${'x'.repeat(at)}${c}y`), `${c.charCodeAt(0)} at ${at}`).toBe(at > 0 ? 2 : 1);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(countChars('abc')).toBe(3);
    expect(countChars('\u{1F9EC} DNA')).toBe(5);
    expect(countChars('\ud800x')).toBe(2); // a lone surrogate is one code point
  });

  it('splits lines as text.split("\\n") in the word kernel, and str.splitlines() from them, on real documents and edges', async () => {
    const texts = [...(await fixtureTexts()).map((d) => d.text.replace(/\r\n?/g, '\n')), '', 'one', '\n', 'one\n', 'one\ntwo\n\nfour', '\n\n', 'x'.repeat(17) + '\n' + 'y'.repeat(9), '\n'.repeat(40)];
    for (const text of texts) {
      const lines = new Doc(text).lines;
      const split = text.split('\n');
      expect(Array.from({ length: lines.count }, (_, k) => text.slice(lines.starts[k], lines.ends[k]))).toEqual(split);
      // str.splitlines() from those lines, and by the scan of its own.
      const fromSplit: string[] = [];
      const scanned: string[] = [];
      expect(forEachLine(text, (a, b) => fromSplit.push(text.slice(a, b)), false, lines)).toBe(forEachLine(text, (a, b) => scanned.push(text.slice(a, b)), false));
      expect(fromSplit).toEqual(scanned);
    }
    expect(new Doc('').lines.count).toBe(1);
  });
});
