import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fastTextHash, trainSupervised } from '../../src/models/fasttext-train.js';
import { modelLabels, ModelFileError, readModelFile, writeModelFile, type DenseMatrix, type FastTextModelFile } from '../../src/models/fasttext-file.js';
import { loadClassifier } from '../../src/models/fasttext-runtime.js';
import { fastTextLine } from '../../src/models/preprocess.js';
import { dequantize, quantizeModel } from '../../src/models/quantize.js';
import { fixtureTexts, ROOT, slice, tempDir } from '../helpers.js';
import { forward } from './forward.js';

const PARAMS = { lr: 0.5, dim: 16, epoch: 3, minCount: 2, wordNgrams: 2, bucket: 50_000, lrUpdateRate: 100, seed: 1 };
const PRE = { lowercase: true, max_chars: 4000 };

/** Every document of the sample shards as a fastText line, labelled by where it came from; every fifth is kept out of training. */
let train: string[] = [];
let test: string[] = [];
let model: FastTextModelFile;
let bytes: Uint8Array;

beforeAll(async () => {
  const docs = await fixtureTexts();
  const lines = docs.map((d) => `__label__${d.source.startsWith('medquad') ? 'medical' : 'general'} ${fastTextLine(d.text, PRE)}`);
  train = lines.filter((_, i) => i % 5 !== 0);
  // Held-out lines, labels removed; the UDHR translations bring non-ASCII words of many scripts.
  test = lines.filter((_, i) => i % 5 === 0).map((l) => l.replace(/^__label__\S+ /, ''));
  model = trainSupervised(train, PARAMS);
  bytes = writeModelFile(model);
});

describe("fastText's word hash", () => {
  it('is 32-bit FNV-1a, with bytes of 0x80 and above sign-extended as C++ does with a signed char', () => {
    expect(fastTextHash('')).toBe(2166136261);
    expect(fastTextHash('a')).toBe(0xe40c292c); // the published FNV-1a test vector
    // "é" is 0xc3 0xa9: with sign extension each byte XORs as 0xffffffc3, 0xffffffa9.
    let h = 2166136261;
    for (const b of [0xffffffc3, 0xffffffa9]) h = Math.imul((h ^ b) >>> 0, 16777619) >>> 0;
    expect(fastTextHash('é')).toBe(h);
  });
});

describe('winnow-trained fastText models', () => {
  it('are read back as written, byte for byte', () => {
    expect(Buffer.compare(Buffer.from(writeModelFile(readModelFile(bytes))), Buffer.from(bytes))).toBe(0);
    expect(modelLabels(model).sort()).toEqual(['__label__general', '__label__medical']);
    // Words by count, the end-of-line word once a line.
    const words = model.dictionary.entries.slice(0, model.dictionary.nwords).map((e) => new TextDecoder().decode(e.word));
    expect(model.dictionary.entries[words.indexOf('</s>')]!.count).toBe(BigInt(train.length));
    expect(model.dictionary.entries.slice(0, model.dictionary.nwords).every((e, i, a) => i === 0 || a[i - 1]!.count >= e.count)).toBe(true);
  });

  it('train deterministically: the same lines and settings give the same bytes', () => {
    expect(Buffer.compare(Buffer.from(writeModelFile(trainSupervised(train, PARAMS))), Buffer.from(bytes))).toBe(0);
  });

  it("are scored by fastText itself exactly as their own weights say: winnow builds fastText's features", async () => {
    const fasttext = await loadClassifier(bytes);
    const at = model.dictionary.entries.slice(model.dictionary.nwords).map((e) => fasttext.labels.indexOf(new TextDecoder().decode(e.word)));
    let worst = 0;
    for (const line of test) {
      const ours = forward(model, line);
      const theirs = fasttext.predict(line);
      // fastText adds 1e-5 to each probability before its log; nothing else may differ.
      ours.forEach((p, k) => (worst = Math.max(worst, Math.abs(theirs[at[k]!]! - p))));
    }
    expect(test.some((l) => /[^\x00-\x7f]/.test(l))).toBe(true);
    expect(worst).toBeLessThan(2e-5);
  });

  it('separate held-out documents of the sample shards', async () => {
    const fasttext = await loadClassifier(bytes);
    const medical = fasttext.labels.indexOf('__label__medical');
    const docs = (await fixtureTexts()).filter((_, i) => i % 5 === 0);
    let right = 0;
    docs.forEach((d, i) => {
      const p = fasttext.predict(test[i]!)[medical]!;
      if ((p >= 0.5) === d.source.startsWith('medquad')) right++;
    });
    // MedQuAD answers against e-mail and UDHR text: far apart; 95% is a floor well below what it does.
    expect(right / docs.length).toBeGreaterThan(0.95);
  });

  it("agree with native fastText's predict-prob, when the fasttext command is installed", (ctx) => {
    if (spawnSync('fasttext', [], { encoding: 'utf8' }).error) ctx.skip();
    const dir = tempDir();
    writeFileSync(join(dir, 'm.bin'), bytes);
    writeFileSync(join(dir, 'test.txt'), `${test.join('\n')}\n`);
    const out = spawnSync('fasttext', ['predict-prob', join(dir, 'm.bin'), join(dir, 'test.txt'), '2'], { encoding: 'utf8', maxBuffer: 1e8 });
    const rows = out.stdout.trim().split('\n');
    expect(rows).toHaveLength(test.length);
    const index = new Map(modelLabels(model).map((l, i) => [l, i]));
    let worst = 0;
    rows.forEach((row, i) => {
      const parts = row.split(' ');
      const ours = forward(model, test[i]!);
      for (let k = 0; k < parts.length; k += 2) worst = Math.max(worst, Math.abs(Number(parts[k + 1]) - ours[index.get(parts[k]!)!]!));
    });
    expect(worst).toBeLessThan(2e-5);
  });
});

describe('product quantization (.ftz)', () => {
  let ftz: Uint8Array;
  let quantized: FastTextModelFile;
  beforeAll(() => {
    quantized = quantizeModel(model, { cutoff: 20_000, qnorm: true });
    ftz = writeModelFile(quantized);
  });

  it('keeps the cutoff rows of largest norm, the end-of-line word first, and maps kept n-gram buckets', () => {
    expect(quantized.input.rows).toBe(20_000);
    expect(quantized.dictionary.entries.some((e) => new TextDecoder().decode(e.word) === '</s>')).toBe(true);
    expect(Number(quantized.dictionary.pruneidxSize)).toBe(20_000 - quantized.dictionary.nwords);
    expect(quantized.dictionary.nlabels).toBe(2);
    expect(ftz.length).toBeLessThan(bytes.length / 10);
  });

  it('is deterministic, and read back as written', () => {
    expect(Buffer.compare(Buffer.from(writeModelFile(quantizeModel(model, { cutoff: 20_000, qnorm: true }))), Buffer.from(ftz))).toBe(0);
    expect(Buffer.compare(Buffer.from(writeModelFile(readModelFile(ftz))), Buffer.from(ftz))).toBe(0);
  });

  it('is read by fastText as winnow wrote it: its predictions are those of the dequantized, pruned weights', async () => {
    const fasttext = await loadClassifier(ftz);
    const at = modelLabels(quantized).map((l) => fasttext.labels.indexOf(l));
    let worst = 0;
    for (const line of test) {
      const ours = forward(quantized, line);
      const theirs = fasttext.predict(line);
      ours.forEach((p, k) => (worst = Math.max(worst, Math.abs(theirs[at[k]!]! - p))));
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('stays close to the dense model', () => {
    // Quantized unpruned: every input row under `npm run test:full`; otherwise every eighth, since
    // k-means over all 76,000 is most of this file's time (and the slice loses about as much).
    const all = model.input as DenseMatrix;
    const kept = slice(Array.from({ length: all.rows }, (_, i) => i), 8);
    const dense = new Float32Array(kept.length * all.cols);
    kept.forEach((row, i) => dense.set(all.data.subarray(row * all.cols, (row + 1) * all.cols), i * all.cols));
    const rows: DenseMatrix = { kind: 'dense', rows: kept.length, cols: all.cols, data: dense };
    const d = dequantize(quantizeModel({ ...model, input: rows }, { cutoff: 0, qnorm: false }).input as never);
    expect(d.rows).toBe(kept.length);
    let err = 0;
    let norm = 0;
    for (let i = 0; i < d.data.length; i++) {
      err += (d.data[i]! - dense[i]!) ** 2;
      norm += dense[i]! ** 2;
    }
    // 256 centroids per pair of values: the reconstruction keeps nearly all of the weights' energy.
    expect(err / norm).toBeLessThan(0.05);
    let worst = 0;
    for (const line of test) worst = Math.max(worst, Math.abs(forward(quantized, line)[0]! - forward(model, line)[0]!));
    expect(worst).toBeLessThan(0.25);
  });
});

describe('model files that are not usable', () => {
  it('are refused with the reason: empty, not fastText, truncated anywhere, trailing bytes', () => {
    expect(() => readModelFile(new Uint8Array(0))).toThrow(ModelFileError);
    expect(() => readModelFile(new TextEncoder().encode('this is not a model at all'))).toThrow(/not a fastText model/);
    const shipped = readFileSync(join(ROOT, 'fixtures', 'models', 'medical.ftz'));
    for (const check of [false, true]) {
      for (const cut of [9, 60, 200, 5000, 2_000_000, shipped.length - 1]) {
        expect(() => readModelFile(shipped.subarray(0, cut), { check }), `cut at ${cut}`).toThrow(/truncated|do not add up|rows/);
      }
      expect(() => readModelFile(Buffer.concat([shipped, Buffer.from([0])]), { check })).toThrow(/unexpected bytes/);
    }
  });

  it("are checked at a run's start without copying their matrices: the same settings and labels as a parse", () => {
    for (const name of ['medical', 'quality']) {
      const bytes = readFileSync(join(ROOT, 'fixtures', 'models', `${name}.ftz`));
      const [parsed, checked] = [readModelFile(bytes), readModelFile(bytes, { check: true })];
      expect(checked.args).toEqual(parsed.args);
      expect(modelLabels(checked)).toEqual(modelLabels(parsed));
      expect(checked.dictionary.entries.length).toBe(parsed.dictionary.nlabels); // the words walked past
      expect([checked.input.rows, checked.output.rows]).toEqual([parsed.input.rows, parsed.output.rows]);
    }
  });
});
