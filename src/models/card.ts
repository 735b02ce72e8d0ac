import type { Preprocessing } from '../config/models.js';
import type { TrainParams } from './fasttext-train.js';
import type { ClassifierMetrics } from './metrics.js';
import type { QuantizeOptions } from './quantize.js';

export const CARD_VERSION = 1;

/** What one source gave: documents read, empty once preprocessed, and where its examples went. */
export interface SourceReport {
  name: string;
  label: string;
  documents: number;
  empty: number;
  /** Exact copies (same preprocessed line) of an earlier example of the same label, dropped. */
  duplicates: number;
  /** Lines found under both labels, dropped from both. */
  conflicting: number;
  train: number;
  test: number;
  /** sha256 of the source's texts as read, in order: which data this was, without copying it. */
  texts_sha256: string;
}

/** Held-out scores of one source: how many its documents score at or above the threshold. */
export interface SourceScores {
  name: string;
  label: string;
  documents: number;
  mean_score: number;
  at_or_above_threshold: number;
}

/** Held-out metrics of the texts of one length band ("under 10 words"). */
export interface LengthMetrics {
  band: string;
  metrics: ClassifierMetrics;
}

export interface Evaluation {
  name: string;
  description: string;
  metrics: ClassifierMetrics;
  sources: SourceScores[];
}

/**
 * A model card: what a classifier was trained on, how, and how well it does on data it never
 * saw. Written beside the model as `<model>.card.json` (read by winnow: the preprocessing) and
 * `<model>.card.md` (for people).
 */
export interface ModelCard {
  card_version: number;
  name: string;
  description: string;
  winnow_version: string;
  model: {
    file: string;
    format: 'ftz' | 'bin';
    bytes: number;
    sha256: string;
    labels: string[];
    /** The label whose probability is the score. */
    positive_label: string;
    negative_label: string;
  };
  preprocessing: Preprocessing;
  data: {
    sources: SourceReport[];
    split: { holdout: number; seed: number; by: string };
    train: { positive: number; negative: number };
    test: { positive: number; negative: number };
  };
  training: { fasttext: TrainParams & { loss: 'softmax'; thread: 1 } };
  quantization: (QuantizeOptions & { bin_bytes: number; bin_sha256: string }) | null;
  /**
   * The held-out split, scored by the dense model before quantization and by the shipped model;
   * the shipped model's scores by source and by length band (absent in cards written before 2026-12-05).
   */
  metrics: { threshold: number; holdout: { dense: ClassifierMetrics; model: ClassifierMetrics }; holdout_sources: SourceScores[]; holdout_lengths?: LengthMetrics[] };
  /** Further held-out sets (never trained on), scored by the shipped model. */
  evaluations: Evaluation[];
}

const n = (x: number): string => x.toLocaleString('en-US');
const f = (x: number | null, digits = 4): string => (x === null ? '-' : x.toFixed(digits));
const pct = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-');

function metricsRow(name: string, m: ClassifierMetrics): string {
  return `| ${name} | ${n(m.positives)} / ${n(m.negatives)} | ${f(m.roc_auc)} | ${f(m.accuracy)} | ${f(m.precision)} | ${f(m.recall)} | ${f(m.f1)} | ${f(m.false_positive_rate)} |`;
}

function sourceRows(sources: SourceScores[]): string[] {
  return sources.map((s) => `| ${s.name} | ${s.label} | ${n(s.documents)} | ${f(s.mean_score)} | ${n(s.at_or_above_threshold)} (${pct(s.at_or_above_threshold, s.documents)}) |`);
}

/** The card as people read it. */
export function formatCard(card: ModelCard): string {
  const m = card.metrics;
  const q = card.quantization;
  const lines = [
    `# Model card: ${card.name}`,
    '',
    card.description,
    '',
    `- File: \`${card.model.file}\` (${card.model.format === 'ftz' ? 'quantized' : 'dense'} fastText, ${n(card.model.bytes)} bytes, sha256 \`${card.model.sha256}\`)`,
    `- Score: the probability of \`${card.model.positive_label}\` (against \`${card.model.negative_label}\`)`,
    `- Preprocessing: first ${n(card.preprocessing.max_chars)} characters, ${card.preprocessing.lowercase ? 'lower-cased' : 'case kept'}, whitespace runs as one space (\`src/models/preprocess.ts\`)`,
    `- Trained by winnow ${card.winnow_version}: fastText supervised, ${Object.entries(card.training.fasttext)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    q
      ? `- Quantized: ${q.cutoff > 0 ? `the ${n(q.cutoff)} input rows of largest norm kept, ` : ''}sub-vectors of ${q.dsub}${q.qnorm ? ', norms quantized apart' : ''}, seed ${q.seed}; the dense model was ${n(q.bin_bytes)} bytes`
      : '- Not quantized',
    '',
    '## Data',
    '',
    `Split: ${pct(card.data.split.holdout, 1)} of examples held out, chosen by ${card.data.split.by} (seed ${card.data.split.seed}), so identical texts never straddle the split.`,
    '',
    '| source | label | documents | empty | duplicates | conflicting | train | test |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...card.data.sources.map(
      (s) => `| ${s.name} | ${s.label} | ${n(s.documents)} | ${n(s.empty)} | ${n(s.duplicates)} | ${n(s.conflicting)} | ${n(s.train)} | ${n(s.test)} |`,
    ),
    '',
    `Train: ${n(card.data.train.positive)} positive, ${n(card.data.train.negative)} negative. Test: ${n(card.data.test.positive)} positive, ${n(card.data.test.negative)} negative.`,
    '',
    '## Held-out metrics',
    '',
    `At threshold ${m.threshold} (a score at or above it is called positive).`,
    '',
    '| model | positives / negatives | ROC AUC | accuracy | precision | recall | F1 | false positive rate |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    metricsRow('dense (before quantization)', m.holdout.dense),
    metricsRow(`shipped (${card.model.format})`, m.holdout.model),
    '',
    'By source (shipped model, held-out documents):',
    '',
    '| source | label | documents | mean score | at or above threshold |',
    '|---|---|---:|---:|---:|',
    ...sourceRows(m.holdout_sources),
    ...(m.holdout_lengths
      ? [
          '',
          "By length, in words of the preprocessed text (shipped model, held-out documents):",
          '',
          '| length | positives / negatives | ROC AUC | accuracy | precision | recall | F1 | false positive rate |',
          '|---|---:|---:|---:|---:|---:|---:|---:|',
          ...m.holdout_lengths.map((b) => metricsRow(b.band, b.metrics)),
        ]
      : []),
  ];
  for (const e of card.evaluations) {
    lines.push(
      '',
      `## Evaluation: ${e.name}`,
      '',
      e.description,
      '',
      '| model | positives / negatives | ROC AUC | accuracy | precision | recall | F1 | false positive rate |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      metricsRow(`shipped (${card.model.format})`, e.metrics),
      '',
      '| source | label | documents | mean score | at or above threshold |',
      '|---|---|---:|---:|---:|',
      ...sourceRows(e.sources),
    );
  }
  return `${lines.join('\n')}\n`;
}
