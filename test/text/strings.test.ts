import { describe, expect, it } from 'vitest';
import { sequential } from '../../src/text/strings.js';

describe('sequential', () => {
  it('gives the same characters for slices, concatenations, two-byte text and split surrogate pairs', () => {
    const long = 'Aspirin reduces fever and pain. '.repeat(20);
    const emoji = 'Mood: \u{1F600} and \u{1F62D}, chest pain \u2014 see a doctor.';
    const cases = [long, long.slice(3, 200), long.slice(0, 40) + long.slice(100), emoji, emoji.slice(6), '\u{1F600}'.repeat(10), 'short', '', 'x'.repeat(13)];
    for (const text of cases) expect(sequential(text)).toBe(text);
  });
});
