import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import xxhash from 'xxhash-wasm';
import type { ModelCard } from '../../src/models/card.js';
import { loadClassifier } from '../../src/models/fasttext-runtime.js';
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

  it('report held-out ROC AUC of 0.99 or more, on their own split and on PubMedQA', () => {
    // The classes are far apart in this data (the cards show 0.998 and above); 0.99 fails a
    // regression that costs one error in a hundred pairs.
    for (const name of ['medical', 'quality']) {
      const c = card(name);
      expect(c.metrics.holdout.model.roc_auc, name).toBeGreaterThanOrEqual(0.99);
      expect(c.evaluations[0]!.metrics.roc_auc, name).toBeGreaterThanOrEqual(0.99);
    }
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
