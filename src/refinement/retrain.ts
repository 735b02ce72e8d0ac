import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { LABEL_PREFIX } from '../config/fasttext-label.js';
import { cardPaths, type ResolvedModel } from '../config/models.js';
import { queryRows, sqlIdent } from '../io/duckdb.js';
import { InputError } from '../io/errors.js';
import type { RunManifest } from '../phases/report.js';
import { formatCard, type ModelCard } from '../models/card.js';
import { KSUB, modelLabels, readModelHead } from '../models/fasttext-file.js';
import { EOS, type TrainParams } from '../models/fasttext-train.js';
import { fastTextLine } from '../models/preprocess.js';
import { DEFAULT_TRAINING } from '../training/defaults.js';
import { saveTrained, trainClassifier, type LabelledSource } from '../training/train.js';
import { openReviewEngine, readFinishedRun, ReviewError, type FinishedRun } from './finished-run.js';
import type { LabelFile } from './labels.js';

/** What retraining needs of the model it replaces (a pipeline's ResolvedModel, or a manifest's record: `runModel`). */
export type ReplacedModel = Pick<ResolvedModel, 'name' | 'path' | 'label' | 'preprocessing' | 'sha256'>;

/** A model the run scored with, as its manifest recorded it. */
export function runModel(manifest: RunManifest, name: string): ReplacedModel {
  const m = manifest.models.find((x) => x.name === name);
  if (!m) throw new ReviewError(`the run has no model ${name} (it has ${manifest.models.map((x) => x.name).join(', ') || 'none'})`);
  if (!existsSync(m.path)) throw new ReviewError(`model ${name}: its file ${m.path} is gone; give the model to replace by its file`);
  return { name: m.name, path: m.path, label: m.label, preprocessing: m.preprocessing, sha256: m.sha256 };
}

export interface RetrainRequest {
  /** The run folder whose latest iteration the labels were made on. */
  run: string;
  labels: LabelFile;
  /** The model being replaced: its label is the positive class, its other label the negative. */
  model: ReplacedModel;
  /** Confident unlabelled documents of the iteration to add per class: the kept ones the model scores highest, the dropped ones (not duplicates) it scores lowest. */
  pseudo?: number;
  /** The model to write (.ftz quantized, .bin dense); its card goes beside it. */
  out: string;
  onProgress?: (stage: string, progress?: number) => void;
}

/** What a model retrained from review labels was trained on; recorded in its card as `review`. */
export interface ReviewTraining {
  labels: { file: string; sha256: string };
  run: { id: string; iteration: number };
  replaces: { name: string; file: string; sha256: string };
  /** Labelled documents of the run by verdict, those without text (bad input), and labels naming no document. */
  labelled: { keep: number; drop: number; without_text: number; not_in_run: number };
  pseudo: { asked: number; positive: number; negative: number };
  /** Examples trained on after empty and duplicate texts were dropped. */
  examples: { positive: number; negative: number };
  /** Why these settings rather than train-classifier's defaults. */
  settings: string;
}

export interface RetrainResult {
  file: string;
  card: { json: string; markdown: string };
  sha256: string;
  review: ReviewTraining;
  /** fastText's training time (not in the card). */
  seconds: number;
}

/**
 * Fewest passes over the data, counted in examples: train-classifier's 5 epochs suit tens of
 * thousands of documents; a hundred labels seen 5 times leave the model near its random start.
 */
const MIN_EXAMPLE_PASSES = 2_000;
const MAX_EPOCHS = 50;

/**
 * Retrains a classifier from review labels, for the next iteration: every labelled document of
 * the run's latest iteration, its final text (what the score phase reads) under the replaced
 * model's label when reviewers keep it and its other label when they drop it, plus optionally
 * `pseudo` confident unlabelled documents of each class. train-classifier's machinery and
 * defaults, with the replaced model's preprocessing; every example is trained on (a held-out
 * split of a hundred labels would be a handful of documents, and each is scarce), so the card has
 * no held-out metrics: measure the retrained model's agreement on labels it never saw. Same
 * labels and run, same bytes.
 */
export async function retrainFromLabels(request: RetrainRequest): Promise<RetrainResult> {
  const out = resolve(request.out);
  if (!/\.(ftz|bin)$/i.test(out)) throw new InputError(out, 'the retrained model must be a .ftz (quantized) or .bin (dense) file');
  const pseudo = request.pseudo ?? 0;
  if (!Number.isInteger(pseudo) || pseudo < 0) throw new ReviewError(`pseudo-labels: expected a whole number from 0, got ${pseudo}`);
  const { positive, negative } = classLabels(request.model);
  const run = readFinishedRun(request.run);
  if (!run.models.includes(request.model.name)) {
    throw new ReviewError(`${request.run}: the run has no model ${request.model.name} (it has ${run.models.join(', ') || 'none'}), so it has no scores to pick pseudo-labels by`);
  }
  const { con, close } = await openReviewEngine();
  let sources: LabelledSource[];
  let counts: Pick<ReviewTraining, 'labelled' | 'pseudo'>;
  try {
    ({ sources, counts } = await trainingSources(con, run, request, pseudo));
  } finally {
    close();
  }
  if (counts.labelled.keep === 0 || counts.labelled.drop === 0) {
    throw new ReviewError(
      `${request.labels.file}: retraining needs documents labelled keep and drop; the run has ${counts.labelled.keep} labelled keep and ${counts.labelled.drop} drop` +
        (counts.labelled.not_in_run > 0 ? ` (${counts.labelled.not_in_run} labelled ids are not in it)` : ''),
    );
  }

  const examples = sources.reduce((sum, s) => sum + s.texts.length, 0);
  const fasttext: TrainParams = {
    ...DEFAULT_TRAINING.fasttext,
    epoch: Math.min(MAX_EPOCHS, Math.max(DEFAULT_TRAINING.fasttext.epoch, Math.ceil(MIN_EXAMPLE_PASSES / examples))),
  };
  const cutoff = Math.min(DEFAULT_TRAINING.quantize.cutoff, reachableRows(sources, request.model.preprocessing, fasttext.wordNgrams));
  const settings =
    `train-classifier's defaults, except: every example trained on (no held-out split); ${fasttext.epoch} epochs ` +
    `(at least ${MIN_EXAMPLE_PASSES.toLocaleString('en-US')} example passes, at most ${MAX_EPOCHS} epochs); quantization keeps ${cutoff.toLocaleString('en-US')} rows ` +
    `(at most the examples' distinct words and word n-grams); the replaced model's preprocessing`;
  const trained = await trainClassifier(sources, {
    name: `${request.model.name} (review)`,
    description:
      `Retrained from review labels: ${basename(request.labels.file)} (sha256 ${request.labels.sha256}), on iteration ${run.manifest.iteration ?? 0} of run ${run.manifest.run.id}, ` +
      `replacing ${basename(request.model.path)} (sha256 ${request.model.sha256}). Documents reviewers keep are \`${positive}\`, those they drop \`${negative}\`` +
      (pseudo > 0 ? `; with up to ${pseudo} pseudo-labelled documents per class (the kept documents ${request.model.name} scores highest, the dropped non-duplicates it scores lowest)` : '') +
      `. Trained on all ${examples.toLocaleString('en-US')} examples: no held-out split, so the held-out metrics below are empty; measure it with \`winnow labels\` on labels it was not trained on.`,
    positiveLabel: positive.slice(LABEL_PREFIX.length),
    negativeLabel: negative.slice(LABEL_PREFIX.length),
    preprocessing: request.model.preprocessing,
    holdout: 0,
    seed: DEFAULT_TRAINING.seed,
    threshold: DEFAULT_TRAINING.threshold,
    fasttext,
    quantize: /\.bin$/i.test(out) ? null : { ...DEFAULT_TRAINING.quantize, cutoff },
    file: basename(out),
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  });

  const review: ReviewTraining = {
    labels: { file: basename(request.labels.file), sha256: request.labels.sha256 },
    run: { id: run.manifest.run.id, iteration: run.manifest.iteration ?? 0 },
    replaces: { name: request.model.name, file: basename(request.model.path), sha256: request.model.sha256 },
    ...counts,
    examples: { positive: trained.card.data.train.positive, negative: trained.card.data.train.negative },
    settings,
  };
  const card = saveTrained(out, { ...trained, card: { ...trained.card, review } as ModelCard });
  writeFileSync(card.markdown, formatReviewCard(trained.card, review));
  return { file: out, card: cardPaths(out), sha256: trained.card.model.sha256, review, seconds: trained.seconds };
}

/**
 * How many input rows training can move: the distinct words and word n-grams of the examples (an
 * upper bound: rare words and colliding buckets share rows). A hundred documents reach a few tens
 * of thousands of train-classifier's 200,000 buckets; the rest keep their random start, noise
 * that quantization should not keep (and k-means over it is most of the time retraining takes).
 */
function reachableRows(sources: readonly LabelledSource[], preprocessing: ReplacedModel['preprocessing'], wordNgrams: number): number {
  const seen = new Set<string>();
  for (const s of sources) {
    for (const text of s.texts) {
      const words = fastTextLine(text, preprocessing).split(' ').filter((w) => w !== '');
      words.push(EOS);
      for (let i = 0; i < words.length; i++) {
        for (let n = 1; n <= wordNgrams && i + n <= words.length; n++) seen.add(words.slice(i, i + n).join(' '));
      }
    }
  }
  // Quantization needs 256 rows at least (one per centroid).
  return Math.max(KSUB, seen.size + 1);
}

/** The replaced model's two labels: its score's label is the positive class; a model with other than two labels has no single "other". */
function classLabels(model: ReplacedModel): { positive: string; negative: string } {
  let labels: string[];
  try {
    labels = modelLabels(readModelHead(readFileSync(model.path)));
  } catch (err) {
    throw new InputError(model.path, `cannot be read as a fastText model: ${(err as Error).message}`);
  }
  if (!labels.includes(model.label)) throw new InputError(model.path, `has no label ${model.label} (it has ${labels.join(', ')})`);
  if (labels.length !== 2) {
    throw new InputError(model.path, `has ${labels.length} labels (${labels.join(', ')}): retraining from keep/drop labels needs a model of two`);
  }
  return { positive: model.label, negative: labels.find((l) => l !== model.label)! };
}

/**
 * The sources trained on, in a fixed order: labelled keeps, labelled drops, then the pseudo-labels.
 * Each in winnow-key order, so the same labels give the same bytes whatever order the file lists them in.
 */
async function trainingSources(
  con: DuckDBConnection,
  run: FinishedRun,
  request: RetrainRequest,
  pseudo: number,
): Promise<{ sources: LabelledSource[]; counts: Pick<ReviewTraining, 'labelled' | 'pseudo'> }> {
  await con.run('CREATE OR REPLACE TEMP TABLE retrain_labels (id VARCHAR, label VARCHAR)');
  const appender = await con.createAppender('retrain_labels');
  for (const l of request.labels.labels) {
    appender.appendVarchar(l.id);
    appender.appendVarchar(l.label);
    appender.endRow();
  }
  appender.closeSync();
  try {
    const labelled = await queryRows<{ id: string; label: string; text: string | null }>(
      con,
      `SELECT s.id, l.label, s.text FROM retrain_labels l JOIN (SELECT id, key, text FROM ${run.signals}) s ON s.id = l.id ORDER BY s.key`,
    );
    const found = new Set(labelled.map((d) => d.id));
    const keep = labelled.filter((d) => d.label === 'keep' && d.text !== null).map((d) => d.text!);
    const drop = labelled.filter((d) => d.label === 'drop' && d.text !== null).map((d) => d.text!);
    const file = basename(request.labels.file);
    const sources: LabelledSource[] = [
      { name: `${file}: keep`, positive: true, texts: keep },
      { name: `${file}: drop`, positive: false, texts: drop },
    ];
    let pseudoCounts = { positive: 0, negative: 0 };
    if (pseudo > 0) {
      const score = `s.${sqlIdent(request.model.name)}`;
      const candidates = `SELECT s.key, s.shard, s."row", s.text, s.bad_input, ${score} AS score, r.key IS NULL AS kept
        FROM ${run.signals} s LEFT JOIN ${run.rejected} r ON r.key = s.key
        WHERE ${score} IS NOT NULL AND s.text IS NOT NULL AND (s.id IS NULL OR s.id NOT IN (SELECT id FROM retrain_labels))`;
      // Ties are broken by key: the choice is the same on every run.
      const positives = await queryRows<{ text: string }>(con, `SELECT text FROM (${candidates}) WHERE kept ORDER BY score DESC, key LIMIT ${pseudo}`);
      // Duplicates are dropped for being copies, not for their text, and bad input for its bytes: neither says what a low-quality text is.
      const negatives = await queryRows<{ text: string }>(
        con,
        `SELECT c.text FROM (${candidates}) c ANTI JOIN ${run.removed} d ON d.shard = c.shard AND d."row" = c."row"
         WHERE NOT c.kept AND c.bad_input IS NULL ORDER BY c.score, c.key LIMIT ${pseudo}`,
      );
      sources.push({ name: `pseudo: kept, highest ${request.model.name}`, positive: true, texts: positives.map((r) => r.text) });
      sources.push({ name: `pseudo: dropped, lowest ${request.model.name}`, positive: false, texts: negatives.map((r) => r.text) });
      pseudoCounts = { positive: positives.length, negative: negatives.length };
    }
    return {
      sources,
      counts: {
        labelled: {
          keep: keep.length,
          drop: drop.length,
          without_text: labelled.length - keep.length - drop.length,
          not_in_run: request.labels.labels.filter((l) => !found.has(l.id)).length,
        },
        pseudo: { asked: pseudo, ...pseudoCounts },
      },
    };
  } finally {
    await con.run('DROP TABLE IF EXISTS retrain_labels');
  }
}

/** The card as people read it, with what the review gave it. */
function formatReviewCard(card: ModelCard, review: ReviewTraining): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `${formatCard(card)}
## Review labels

- Labels: \`${review.labels.file}\`, sha256 \`${review.labels.sha256}\`
- Run: ${review.run.id}, iteration ${review.run.iteration}
- Replaces: ${review.replaces.name} (\`${review.replaces.file}\`, sha256 \`${review.replaces.sha256}\`)
- Labelled documents of the run: ${n(review.labelled.keep)} keep, ${n(review.labelled.drop)} drop` +
    `${review.labelled.without_text > 0 ? `, ${n(review.labelled.without_text)} without text (bad input, left out)` : ''}` +
    `${review.labelled.not_in_run > 0 ? `; ${n(review.labelled.not_in_run)} labelled ids not in the run` : ''}
- Pseudo-labels: ${review.pseudo.asked > 0 ? `${n(review.pseudo.positive)} positive, ${n(review.pseudo.negative)} negative (asked for ${n(review.pseudo.asked)} per class)` : 'none'}
- Examples trained on: ${n(review.examples.positive)} positive, ${n(review.examples.negative)} negative
- Settings: ${review.settings}
`;
}
