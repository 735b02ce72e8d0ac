import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import xxhash from 'xxhash-wasm';
import type { ModelCard } from '../../src/models/card.js';
import type { ResolvedModel } from '../../src/config/models.js';
import { loadClassifier } from '../../src/models/fasttext-runtime.js';
import { loadScorer } from '../../src/models/scorer.js';
import { rocAuc } from '../../src/models/metrics.js';
import { fastTextLine } from '../../src/models/preprocess.js';
import { fixtureTexts, FULL, ROOT, SHARED, tempDir } from '../helpers.js';

const MODELS = join(ROOT, 'fixtures', 'models');
const card = (name: string) => JSON.parse(readFileSync(join(MODELS, `${name}.card.json`), 'utf8')) as ModelCard;

/**
 * The classifiers shipped in fixtures/models/, scored on the sample shards' documents that their
 * training held out (the split is by the hash of the text, so the card's seed says which).
 */
async function heldOutScores(name: string, label: string, positive: (source: string) => boolean) {
  const c = card(name);
  const { h64 } = await xxhash();
  const cut = BigInt(Math.round(c.data.split.holdout * 1e6));
  const classifier = await loadClassifier(readFileSync(join(MODELS, `${name}.ftz`)));
  const at = classifier.labels.indexOf(label);
  const docs = (await fixtureTexts())
    .filter((d) => !d.source.startsWith('udhr'))
    .map((d) => ({ ...d, line: fastTextLine(d.text, c.preprocessing) }))
    .filter((d) => h64(d.line, BigInt(c.data.split.seed)) % 1_000_000n < cut);
  return {
    docs: docs.length,
    scores: docs.map((d) => classifier.predict(d.line)[at]!),
    labels: docs.map((d) => (positive(d.source) ? 1 : 0)),
  };
}

describe('the shipped classifiers', () => {
  it('have cards that describe the files beside them', () => {
    for (const name of ['medical', 'quality']) {
      const c = card(name);
      const bytes = readFileSync(join(MODELS, `${name}.ftz`));
      expect(c.model.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(c.model.bytes).toBe(bytes.length);
      expect(c.model.format).toBe('ftz');
      expect(readFileSync(join(MODELS, `${name}.card.md`), 'utf8')).toContain(c.model.sha256);
      // PubMedQA is for evaluation only.
      expect(c.data.sources.some((s) => /pubmed/i.test(s.name))).toBe(false);
      expect(c.evaluations[0]!.name).toMatch(/PubMedQA/);
    }
  });

  it('report held-out ROC AUC of 0.98 or more on their own split, 0.99 on PubMedQA', () => {
    // The classes are far apart in this data (the cards show 0.998 and above); 0.99 fails a
    // regression that costs one error in a hundred pairs.
    // The medical model's split holds short texts too (sentences, lines, subjects, names: 4,100 of its
    // 12,118 held-out texts are under 10 words), where 0.96 is good: its bands have floors of their own below.
    for (const [name, floor] of [['medical', 0.98], ['quality', 0.99]] as const) {
      const c = card(name);
      expect(c.metrics.holdout.model.roc_auc, name).toBeGreaterThanOrEqual(floor);
      expect(c.evaluations[0]!.metrics.roc_auc, name).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('report held-out metrics by length band, and medical relevance holds its floors in each', () => {
    // Issue 19: trained on whole documents only, the medical model called 87% of short general
    // texts medical (held-out AUC 0.63 under 10 words). Floors a little under what the card shows.
    const floors: Record<string, { auc: number; fpr: number; recall: number }> = {
      'under 10 words': { auc: 0.95, fpr: 0.05, recall: 0.85 },
      '10 to 50 words': { auc: 0.99, fpr: 0.05, recall: 0.95 },
      'over 50 words': { auc: 0.999, fpr: 0.01, recall: 0.99 },
    };
    const bands = card('medical').metrics.holdout_lengths!;
    expect(bands.map((b) => b.band)).toEqual(Object.keys(floors));
    for (const { band, metrics } of bands) {
      expect(metrics.positives, band).toBeGreaterThan(300);
      expect(metrics.negatives, band).toBeGreaterThan(300);
      expect(metrics.roc_auc!, band).toBeGreaterThanOrEqual(floors[band]!.auc);
      expect(metrics.false_positive_rate!, band).toBeLessThanOrEqual(floors[band]!.fpr);
      expect(metrics.recall!, band).toBeGreaterThanOrEqual(floors[band]!.recall);
    }
    expect(card('quality').metrics.holdout_lengths!.map((b) => b.band)).toEqual(Object.keys(floors));
    for (const name of ['medical', 'quality']) expect(readFileSync(join(MODELS, `${name}.card.md`), 'utf8')).toContain('By length, in words');
    // every training source is measured on its held-out documents, anatomy, drugs and short pieces of both classes among them
    const sources = card('medical').metrics.holdout_sources;
    for (const name of ['Uberon anatomy definitions', 'MedlinePlus questions on drugs and supplements (MedQuAD), two per drug', 'MedQuAD answers, a sentence and a passage of each']) {
      const s = sources.find((x) => x.name === name)!;
      expect(s.at_or_above_threshold / s.documents, name).toBeGreaterThanOrEqual(0.95);
    }
    for (const name of ['State of the Union, a sentence and a passage of each', 'State of the Union sentences of under 10 words', 'SpamAssassin e-mail bodies, a sentence and a passage of each', 'SpamAssassin e-mail lines of under 10 words, up to four of each', 'SpamAssassin e-mail subjects']) {
      const s = sources.find((x) => x.name === name)!;
      expect(s.at_or_above_threshold / s.documents, name).toBeLessThanOrEqual(0.05);
    }
  });

  it('medical relevance separates the sentences of the sample documents held out of its training, short and long', async () => {
    const c = card('medical');
    const { h64 } = await xxhash();
    const classifier = await loadClassifier(readFileSync(join(MODELS, 'medical.ftz')));
    const at = classifier.labels.indexOf('__label__medical');
    const bands = [
      { words: [1, 9], auc: 0.95, fpr: 0.1 },
      { words: [10, 50], auc: 0.98, fpr: 0.05 },
    ];
    const items: { words: number; medical: number; score: number }[] = [];
    for (const d of await fixtureTexts()) {
      if (d.source.startsWith('udhr') || h64(fastTextLine(d.text, c.preprocessing), BigInt(c.data.split.seed)) % 1_000_000n >= BigInt(Math.round(c.data.split.holdout * 1e6))) continue;
      for (const sentence of d.text.split(/(?<=[.!?])\s+|\n+/).filter((x) => /[\p{L}\p{N}]/u.test(x))) {
        const line = fastTextLine(sentence, c.preprocessing);
        items.push({ words: line.split(' ').length, medical: d.source.startsWith('medquad') ? 1 : 0, score: classifier.predict(line)[at]! });
      }
    }
    for (const band of bands) {
      const inBand = items.filter((x) => x.words >= band.words[0]! && x.words <= band.words[1]!);
      const general = inBand.filter((x) => x.medical === 0);
      expect(inBand.length - general.length, `${band.words}`).toBeGreaterThan(100);
      expect(general.length, `${band.words}`).toBeGreaterThan(100);
      expect(rocAuc(inBand.map((x) => x.score), inBand.map((x) => x.medical)), `${band.words}`).toBeGreaterThanOrEqual(band.auc);
      expect(general.filter((x) => x.score >= 0.5).length / general.length, `${band.words}`).toBeLessThanOrEqual(band.fpr);
    }
  });

  it('gives no score to a text with no letter or digit, and scores short texts', async () => {
    const score = await loadScorer({ name: 'medical_score', path: join(MODELS, 'medical.ftz'), label: '__label__medical', sha256: '', preprocessing: card('medical').preprocessing } as ResolvedModel);
    for (const empty of ['', '   ', '\n\t', '---', '* * *', '__label__']) expect(score(empty), JSON.stringify(empty)).toBeNull();
    expect(score('Asthma attacks and wheezing')).toBeGreaterThan(0.5);
    expect(score('See you at the game on Saturday!')).toBeLessThan(0.5);
    expect(score('4')).not.toBeNull();
  });

  it('medical relevance separates the sample documents held out of its training', async () => {
    const { docs, scores, labels } = await heldOutScores('medical', '__label__medical', (s) => s.startsWith('medquad'));
    expect(docs).toBeGreaterThan(200);
    expect(rocAuc(scores, labels)).toBeGreaterThanOrEqual(0.99);
  });

  it('quality ranks held-out MedQuAD answers above held-out raw e-mails', async () => {
    const { scores, labels } = await heldOutScores('quality', '__label__high', (s) => s.startsWith('medquad'));
    // Whole e-mails, header blocks included, against edited answers: the answers should win almost always.
    expect(rocAuc(scores, labels)).toBeGreaterThanOrEqual(0.98);
  });
});

describe('npm run models', () => {
  const hasShared = existsSync(join(SHARED, 'data', 'medquad'));

  // The quick slice of the reproduction below, in every `npm test`: the same sources read, the same
  // examples, duplicates, conflicts and split, source by source (with each source's texts_sha256).
  it.skipIf(!hasShared)("makes, from the shared data, the examples and split the shipped cards record (skipped without ../shared)", () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'train-models.js'), '--shared', SHARED, '--data-only'], { encoding: 'utf8', maxBuffer: 1e8 });
    expect(r.status, r.stderr).toBe(0);
    const data = JSON.parse(r.stdout) as Record<string, ModelCard['data']>;
    expect(Object.keys(data).sort()).toEqual(['medical', 'quality']);
    for (const name of ['medical', 'quality']) expect(data[name], name).toEqual(card(name).data);
  });

  // Trains both models (minutes): `npm run test:full` (WINNOW_TEST_FULL=1), which CI runs too.
  it.skipIf(!hasShared || !FULL)(
    'reproduces the shipped models and cards byte for byte from the shared data (npm run test:full; skipped without ../shared)',
    () => {
      const out = tempDir('models-');
      const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'train-models.js'), '--shared', SHARED, '--out', out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      for (const file of readdirSync(MODELS)) {
        expect(readFileSync(join(out, file)).equals(readFileSync(join(MODELS, file))), file).toBe(true);
      }
    },
    1_800_000,
  );
});
