import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import xxhash from 'xxhash-wasm';
import { cardPaths, type Preprocessing } from '../config/models.js';
import { WINNOW_VERSION } from '../config/version.js';
import { WinnowError } from '../config/errors.js';
import { CARD_VERSION, formatCard, type Evaluation, type LengthMetrics, type ModelCard, type SourceReport, type SourceScores } from '../models/card.js';
import { modelLabels, writeModelFile, type FastTextModelFile } from '../models/fasttext-file.js';
import { loadClassifier } from '../models/fasttext-runtime.js';
import { trainSupervised, type TrainParams } from '../models/fasttext-train.js';
import { classifierMetrics } from '../models/metrics.js';
import { fastTextLine, LABEL_PREFIX } from '../models/preprocess.js';
import { quantizeModel, type QuantizeOptions } from '../models/quantize.js';
import { makeDirs } from '../storage/dirs.js';

/** Documents of one class from one place. */
export interface LabelledSource {
  name: string;
  positive: boolean;
  texts: readonly string[];
  /**
   * For pieces cut from longer texts (an answer's sentences): the text each was cut from. A piece
   * goes to the side of the split its whole text goes to, so that it is not held out while trained
   * on in a longer form (a piece cut from several texts goes with the first: not yet with all).
   */
  cutFrom?: readonly string[];
}

/** Training cannot go on with the data given; the message says why. */
export class TrainingError extends WinnowError {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingError';
  }
}

export interface TrainOptions {
  name: string;
  description: string;
  /** Label names without the prefix ("medical", "other"). */
  positiveLabel: string;
  negativeLabel: string;
  preprocessing: Preprocessing;
  /** Share of examples held out for testing. */
  holdout: number;
  seed: number;
  /** The score at or above which a document is called positive, for the metrics. */
  threshold: number;
  fasttext: TrainParams;
  /** Product quantization into a `.ftz`; null keeps the dense `.bin`. */
  quantize: QuantizeOptions | null;
  /**
   * Further sets never trained on (PubMedQA for medical relevance, say). `heldOut` adds the
   * held-out examples of one class: a set of positives alone is measured against them (those of
   * `heldOutMinWords` words or more: long abstracts against texts of their length).
   */
  evaluations?: { name: string; description: string; sources: LabelledSource[]; heldOut?: 'positive' | 'negative'; heldOutMinWords?: number }[];
  /** The model's file name, as the card names it. */
  file: string;
  onProgress?: (stage: string, progress?: number) => void;
}

export interface TrainedClassifier {
  /** The shipped model: `.ftz` when quantized, else the `.bin`. */
  model: Uint8Array;
  /** The dense model before quantization. */
  dense: Uint8Array;
  card: ModelCard;
  /** fastText's training time: reported, not carded (the card stays the same from run to run). */
  seconds: number;
}

interface Example {
  line: string;
  positive: boolean;
  source: number;
  /** xxh64 of the line with the split seed: which side of the split, and the training order. */
  key: bigint;
}

const SPLIT_SCALE = 1_000_000n;

/**
 * Trains a fastText classifier from labelled sources and measures it on what it did not see:
 *  1. every text becomes one fastText line (`src/models/preprocess.ts`); empty lines are dropped;
 *  2. exact copies are dropped (a line under both labels is dropped from both), so no text is
 *     both trained on and tested on;
 *  3. a line is held out when the xxh64 of the line (seeded) falls in the first `holdout` of the
 *     hash range: the split depends on the text alone, not on source order;
 *  4. the training lines go to fastText in the order of a second seeded hash (a shuffle that is
 *     the same for the same data), and fastText trains on one thread: same data and settings,
 *     same bytes;
 *  5. the dense model is quantized (`src/models/quantize.ts`), and both are scored on the held-out
 *     lines and on any further evaluation sets.
 */
export async function trainClassifier(sources: readonly LabelledSource[], o: TrainOptions): Promise<TrainedClassifier> {
  const { reports, train, test, data } = await prepareExamples(sources, o);
  const corpus = await trainingCorpus(train, o);
  const { trained, dense, model, seconds } = fitModel(corpus, o);

  o.onProgress?.('evaluating');
  const positiveLabel = labelOf(o, true);
  const scoreDense = await scorer(dense, positiveLabel);
  const scoreModel = await scorer(model, positiveLabel);
  const metrics = holdoutMetrics(test, reports, { dense: scoreDense, model: scoreModel }, o.threshold);
  const evaluations = (o.evaluations ?? []).map((evaluation) => evaluate(evaluation, test, reports, scoreModel, o));

  const card: ModelCard = {
    card_version: CARD_VERSION,
    name: o.name,
    description: o.description,
    winnow_version: WINNOW_VERSION,
    model: {
      file: o.file,
      format: o.quantize ? 'ftz' : 'bin',
      bytes: model.length,
      sha256: sha256(model),
      labels: modelLabels(trained),
      positive_label: positiveLabel,
      negative_label: labelOf(o, false),
    },
    preprocessing: o.preprocessing,
    data,
    // fastText's run time is left out (it is in `seconds`): the card stays the same from run to run.
    training: { fasttext: { ...o.fasttext, loss: 'softmax', thread: 1 } },
    quantization: o.quantize ? { ...o.quantize, bin_bytes: dense.length, bin_sha256: sha256(dense) } : null,
    metrics,
    evaluations,
  };
  return { model, dense, card, seconds };
}

/** The fastText label of one class ("__label__medical"). */
function labelOf(o: Pick<TrainOptions, 'positiveLabel' | 'negativeLabel'>, positive: boolean): string {
  return `${LABEL_PREFIX}${positive ? o.positiveLabel : o.negativeLabel}`;
}

/**
 * Step 4: the labelled training lines in the order of a second seeded hash. SGD over lines grouped
 * by source would pull the model toward each source in turn; a hash order mixes them the same way
 * on every run, whatever order the sources came in. Equal hashes fall back to the text, for a
 * total order.
 */
async function trainingCorpus(train: readonly Example[], o: Pick<TrainOptions, 'seed' | 'positiveLabel' | 'negativeLabel'>): Promise<string[]> {
  const { h64 } = await xxhash();
  const orderSeed = BigInt(o.seed) ^ 0x9e3779b97f4a7c15n;
  return train
    .map((e) => ({ e, k: h64(e.line, orderSeed) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.e.line < b.e.line ? -1 : 1))
    .map(({ e }) => `${labelOf(o, e.positive)} ${e.line}`);
}

/** Step 5's first half: the dense model, and the quantized one when asked for (else the dense one again). */
function fitModel(corpus: readonly string[], o: TrainOptions): { trained: FastTextModelFile; dense: Uint8Array; model: Uint8Array; seconds: number } {
  o.onProgress?.('training', 0);
  const started = performance.now();
  const trained = trainSupervised(corpus, o.fasttext, (p) => o.onProgress?.('training', p));
  const seconds = Math.round(performance.now() - started) / 1000;
  const dense = writeModelFile(trained);
  if (!o.quantize) return { trained, dense, model: dense, seconds };
  o.onProgress?.('quantizing');
  return { trained, dense, model: writeModelFile(quantizeModel(trained, o.quantize)), seconds };
}

/** The positive label's score of each line. */
type Scorer = (lines: readonly string[]) => number[];

/** Scores with fastText itself rather than winnow's weights: the card reports what winnow will see when it runs the model. */
async function scorer(bytes: Uint8Array, positiveLabel: string): Promise<Scorer> {
  const classifier = await loadClassifier(bytes);
  const at = classifier.labels.indexOf(positiveLabel);
  return (lines) => lines.map((l) => classifier.predict(l)[at]!);
}

/** Both models on the held-out lines, and the shipped one source by source: a source it scores badly would hide in the average. */
function holdoutMetrics(test: readonly Example[], reports: readonly SourceReport[], score: { dense: Scorer; model: Scorer }, threshold: number): ModelCard['metrics'] {
  const lines = test.map((e) => e.line);
  const labels = test.map((e) => (e.positive ? 1 : 0));
  const modelScores = score.model(lines);
  return {
    threshold,
    holdout: { dense: classifierMetrics(score.dense(lines), labels, threshold), model: classifierMetrics(modelScores, labels, threshold) },
    holdout_sources: bySource(test.map((e, i) => ({ source: e.source, score: modelScores[i]! })), reports, threshold),
    holdout_lengths: byLength(lines, modelScores, labels, threshold),
  };
}

/** The length bands the card reports, in words of the preprocessed line (fastText's words): a short text is a different problem from a long one. */
const LENGTH_BANDS = [
  { band: 'under 10 words', min: 0, max: 9 },
  { band: '10 to 50 words', min: 10, max: 50 },
  { band: 'over 50 words', min: 51, max: Number.POSITIVE_INFINITY },
] as const;

function byLength(lines: readonly string[], scores: readonly number[], labels: readonly number[], threshold: number): LengthMetrics[] {
  const words = lines.map((l) => l.split(' ').length);
  return LENGTH_BANDS.map(({ band, min, max }) => {
    const at = words.flatMap((w, i) => (w >= min && w <= max ? [i] : []));
    return { band, metrics: classifierMetrics(at.map((i) => scores[i]!), at.map((i) => labels[i]!), threshold) };
  });
}

/**
 * One further evaluation set, scored by the shipped model. With `heldOut`, one class of the
 * held-out lines joins it, so that a set of one class alone still has both to measure.
 */
function evaluate(
  evaluation: NonNullable<TrainOptions['evaluations']>[number],
  test: readonly Example[],
  reports: readonly SourceReport[],
  scoreModel: Scorer,
  o: Pick<TrainOptions, 'preprocessing' | 'positiveLabel' | 'negativeLabel' | 'threshold'>,
): Evaluation {
  const own = evaluation.sources.flatMap((s, i) =>
    s.texts.map((t) => fastTextLine(t, o.preprocessing)).filter((l) => l !== '').map((line) => ({ line, positive: s.positive, source: i })),
  );
  const names = evaluation.sources.map((s) => ({ name: s.name, label: s.positive ? o.positiveLabel : o.negativeLabel }));
  const fromHoldout = evaluation.heldOut
    ? test.filter((e) => e.positive === (evaluation.heldOut === 'positive') && e.line.split(' ').length >= (evaluation.heldOutMinWords ?? 0))
    : [];
  // Held-out lines keep their training source's name, numbered after the set's own sources.
  const items = [...own, ...fromHoldout.map((e) => ({ line: e.line, positive: e.positive, source: names.length + e.source }))];
  const allNames = [...names, ...reports.map((r) => ({ name: `${r.name} (held out)`, label: r.label }))];
  const scores = scoreModel(items.map((x) => x.line));
  return {
    name: evaluation.name,
    description: evaluation.description,
    metrics: classifierMetrics(scores, items.map((x) => (x.positive ? 1 : 0)), o.threshold),
    sources: bySource(items.map((x, i) => ({ source: x.source, score: scores[i]! })), allNames, o.threshold),
  };
}

/**
 * Steps 1 to 3 of `trainClassifier`: the examples, the split, and the card's `data` section (which
 * `npm run models -- --data-only` writes alone, for a quick check of the shipped cards).
 */
export async function prepareExamples(
  sources: readonly LabelledSource[],
  o: Pick<TrainOptions, 'positiveLabel' | 'negativeLabel' | 'preprocessing' | 'holdout' | 'seed' | 'onProgress'>,
): Promise<{ reports: SourceReport[]; train: Example[]; test: Example[]; data: ModelCard['data'] }> {
  if (!sources.some((s) => s.positive) || !sources.some((s) => !s.positive)) throw new TrainingError('training needs positive and negative sources');
  const reports: SourceReport[] = sources.map((s) => ({
    name: s.name,
    label: s.positive ? o.positiveLabel : o.negativeLabel,
    documents: s.texts.length,
    empty: 0,
    duplicates: 0,
    conflicting: 0,
    train: 0,
    test: 0,
    texts_sha256: textsHash(s.texts),
  }));

  o.onProgress?.('preparing examples');
  const examples = await uniqueExamples(sources, reports, o);
  const cut = BigInt(Math.round(o.holdout * Number(SPLIT_SCALE)));
  const isTest = (e: Example) => e.key % SPLIT_SCALE < cut;
  const train = examples.filter((e) => !isTest(e));
  const test = examples.filter(isTest);
  for (const e of train) reports[e.source]!.train++;
  for (const e of test) reports[e.source]!.test++;
  if (train.length === 0 || !train.some((e) => e.positive) || !train.some((e) => !e.positive)) {
    throw new TrainingError('after removing empty and duplicate texts, the training split lacks positive or negative examples');
  }
  const data: ModelCard['data'] = {
    sources: reports,
    split: { holdout: o.holdout, seed: o.seed, by: sources.some((s) => s.cutFrom) ? 'the xxh64 of the preprocessed text, or of the text a piece was cut from' : 'the xxh64 of the preprocessed text' },
    train: { positive: train.filter((e) => e.positive).length, negative: train.filter((e) => !e.positive).length },
    test: { positive: test.filter((e) => e.positive).length, negative: test.filter((e) => !e.positive).length },
  };
  return { reports, train, test, data };
}

/**
 * Steps 1 and 2: one example per distinct line, counting in `reports` what was dropped. The first
 * copy of a line keeps it (its source is the one the card credits); a line under both labels is
 * dropped from both: it would teach both answers.
 */
async function uniqueExamples(
  sources: readonly LabelledSource[],
  reports: SourceReport[],
  o: Pick<TrainOptions, 'preprocessing' | 'seed'>,
): Promise<Example[]> {
  const { h64 } = await xxhash();
  const splitSeed = BigInt(o.seed);
  const byLine = new Map<string, Example | 'conflict'>();
  sources.forEach((source, i) => {
    if (source.cutFrom && source.cutFrom.length !== source.texts.length) throw new TrainingError(`${source.name}: ${source.texts.length} texts but ${source.cutFrom.length} texts they were cut from`);
    source.texts.forEach((text, k) => {
      const line = fastTextLine(text, o.preprocessing);
      if (line === '') {
        reports[i]!.empty++;
        return;
      }
      const seen = byLine.get(line);
      const whole = source.cutFrom ? fastTextLine(source.cutFrom[k]!, o.preprocessing) : line;
      if (seen === undefined) byLine.set(line, { line, positive: source.positive, source: i, key: h64(whole, splitSeed) });
      else if (seen === 'conflict' || seen.positive !== source.positive) {
        if (seen !== 'conflict') {
          reports[seen.source]!.conflicting++;
          byLine.set(line, 'conflict');
        }
        reports[i]!.conflicting++;
      } else reports[i]!.duplicates++;
    });
  });
  return [...byLine.values()].filter((e): e is Example => e !== 'conflict');
}

/**
 * Writes a trained classifier: the model, its card as JSON (which winnow reads for the
 * preprocessing) and as Markdown beside it, and with `keepDense` the dense `.bin` too.
 */
export function saveTrained(file: string, trained: TrainedClassifier, keepDense = false): { json: string; markdown: string } {
  makeDirs(dirname(file));
  writeFileSync(file, trained.model);
  const card = cardPaths(file);
  writeFileSync(card.json, `${JSON.stringify(trained.card, null, 2)}\n`);
  writeFileSync(card.markdown, formatCard(trained.card));
  if (keepDense && trained.card.quantization) writeFileSync(file.replace(/\.ftz$/i, '.bin'), trained.dense);
  return card;
}

function bySource(items: { source: number; score: number }[], names: readonly { name: string; label: string }[], threshold: number): SourceScores[] {
  return names.flatMap((s, i) => {
    const scores = items.filter((x) => x.source === i).map((x) => x.score);
    if (scores.length === 0) return [];
    return [
      {
        name: s.name,
        label: s.label,
        documents: scores.length,
        mean_score: Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 1e6) / 1e6,
        at_or_above_threshold: scores.filter((x) => x >= threshold).length,
      },
    ];
  });
}

function textsHash(texts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const t of texts) hash.update(t).update('\0');
  return hash.digest('hex');
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
