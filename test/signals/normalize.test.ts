import { describe, expect, it } from 'vitest';
import { pipelineSchema } from '../../src/config/pipeline.js';
import { makeNormalizer } from '../../src/signals/normalize.js';
import { fixtureTexts } from '../helpers.js';

const defaults = pipelineSchema.shape.normalize.parse(undefined);
const normalize = makeNormalizer(defaults);

describe('normalize', () => {
  it('composes Unicode (NFC): decomposed and composed forms become equal', () => {
    expect(normalize('cafe\u0301 au lait')).toBe('caf\u00e9 au lait');
    expect(makeNormalizer({ ...defaults, unicode: 'none' })('cafe\u0301')).toBe('cafe\u0301');
    expect(makeNormalizer({ ...defaults, unicode: 'NFKC' })('\ufb01ne \u2460')).toBe('fine 1');
  });

  it('turns every line ending into \\n', () => {
    expect(normalize('a\r\nb\rc\u2028d\u0085e')).toBe('a\nb\nc\nd\ne');
  });

  it('strips trailing whitespace per line and at the ends, but keeps indentation', () => {
    expect(normalize('\n\n  def f():  \n    return 1\t\n\n')).toBe('  def f():\n    return 1');
  });

  it('shortens runs of blank lines to max_blank_lines', () => {
    expect(normalize('a\n\n\n\n\nb')).toBe('a\n\nb');
    expect(makeNormalizer({ ...defaults, max_blank_lines: 0 })('a\n\n\nb')).toBe('a\nb');
    expect(makeNormalizer({ ...defaults, max_blank_lines: 2 })('a\n\n\n\n\nb')).toBe('a\n\n\nb');
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
    const evil = `a${' '.repeat(200_000)}b${' \t'.repeat(100_000)}\n`.repeat(5);
    const start = performance.now();
    const out = normalize(evil);
    expect(out.endsWith('b')).toBe(true);
    // Quadratic backtracking on this input takes minutes; linear work takes milliseconds.
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});
