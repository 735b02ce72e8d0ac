import { describe, expect, it } from 'vitest';
import { fnv1a, HAS_LETTER, PLAIN, tokenize } from '../../src/text/tokenizer.js';
import { fixtureTexts } from '../helpers.js';

const words = (text: string) => tokenize(text).toArray();

describe('tokenize', () => {
  it('splits punctuation and clitics off words as spaCy does for English', () => {
    expect(words('Hello, world! It\'s a "test" (really).')).toEqual(['Hello', ',', 'world', '!', 'It', "'s", 'a', '"', 'test', '"', '(', 'really', ')', '.']);
    expect(words("don't they'll we've I'm she'd you're")).toEqual(['do', "n't", 'they', "'ll", 'we', "'ve", 'I', "'m", 'she', "'d", 'you', "'re"]);
  });

  it('keeps abbreviations, URLs and e-mail addresses whole', () => {
    expect(words('Dr. Smith, e.g. the U.S. team. A. B.')).toEqual(['Dr.', 'Smith', ',', 'e.g.', 'the', 'U.S.', 'team', '.', 'A.', 'B.']);
    expect(words('See https://www.nih.gov/health?x=1. Write to info@nih.gov!')).toEqual(['See', 'https://www.nih.gov/health?x=1', '.', 'Write', 'to', 'info@nih.gov', '!']);
  });

  it('splits hyphens between letters, operators between digits, and ellipses', () => {
    expect(words('well-known 3-8 days 2+2 and/or wait...what …')).toEqual(['well', '-', 'known', '3', '-', '8', 'days', '2', '+', '2', 'and', '/', 'or', 'wait', '...', 'what', '…']);
    expect(words('$50 or 20% (approx.)')).toEqual(['$', '50', 'or', '20', '%', '(', 'approx.', ')']);
  });

  // Per token, the checks run in plain code and reach expect only when one fails: an expect call
  // per token cost more than the tokenizing (10 s for these 800 texts).
  it('returns substrings that cover every non-space character exactly once, on real text', async () => {
    for (const { text } of (await fixtureTexts()).slice(0, 800)) {
      const tokens = tokenize(text);
      let previousEnd = 0;
      for (let i = 0; i < tokens.count; i++) {
        const start = tokens.starts[i]!;
        const gap = text.slice(previousEnd, start);
        if (start < previousEnd || /\S/.test(gap)) {
          expect(start, `token ${i} of ${JSON.stringify(text.slice(0, 60))}`).toBeGreaterThanOrEqual(previousEnd);
          expect(gap, `before token ${i} of ${JSON.stringify(text.slice(0, 60))}`).toMatch(/^\s*$/);
        }
        previousEnd = tokens.ends[i]!;
      }
      expect(tokens.toArray().join('')).toBe(text.replace(/\s+/g, ''));
      expect(tokens.chunks).toBe(text.split(/\s+/).filter(Boolean).length);
    }
  });

  it('hashes every token, and flags those of only ASCII letters and digits, on real text', async () => {
    for (const { text } of (await fixtureTexts()).slice(0, 800)) {
      const tokens = tokenize(text);
      for (let i = 0; i < tokens.count; i++) {
        const token = tokens.token(i);
        const plain = /^[A-Za-z0-9]+$/.test(token);
        const hash = fnv1a(text, tokens.starts[i]!, tokens.ends[i]!);
        const letter = /[A-Za-z]/.test(token) ? HAS_LETTER : 0;
        const flags = tokens.flags[i]!;
        if (tokens.hashes[i] === hash && (flags & PLAIN) === (plain ? PLAIN : 0) && (!plain || (flags & HAS_LETTER) === letter)) continue;
        expect(tokens.hashes[i], token).toBe(hash);
        expect(flags & PLAIN, token).toBe(plain ? PLAIN : 0);
        if (!plain) continue;
        expect(flags & HAS_LETTER, token).toBe(letter);
      }
    }
  });

  it('grows its buffers for a text with more tokens than they hold', () => {
    const text = 'a-b, '.repeat(5000);
    const tokens = tokenize(text, tokenize('x'));
    expect(tokens.count).toBe(20000);
    expect(tokens.toArray().slice(0, 4)).toEqual(['a', '-', 'b', ',']);
  });
});
