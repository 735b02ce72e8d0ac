import { basename, resolve } from 'node:path';
import { openEngine } from '../../io/duckdb.js';
import { InputError } from '../../io/errors.js';
import type { ModelCard } from '../../models/card.js';
import type { ClassifierMetrics } from '../../models/metrics.js';
import { DEFAULT_TRAINING } from '../../training/defaults.js';
import { parseSource, readLabelledTexts, readSourceTexts } from '../../training/sources.js';
import { saveTrained, trainClassifier, type LabelledSource } from '../../training/train.js';

export interface TrainFlags {
  positive?: string[];
  negative?: string[];
  labelled?: string[];
  labelColumn: string;
  positiveValues?: string;
  evalPositive?: string[];
  evalNegative?: string[];
  out: string;
  name?: string;
  description?: string;
  positiveLabel: string;
  negativeLabel: string;
  textColumn: string;
  holdout: number;
  seed: number;
  threshold: number;
  lowercase: boolean;
  maxChars: number;
  epoch: number;
  lr: number;
  dim: number;
  wordNgrams: number;
  minCount: number;
  bucket: number;
  cutoff: number;
  qnorm: boolean;
  keepDense?: boolean;
  quiet?: boolean;
}

/** `winnow train-classifier`: read the sources, train, quantize, and write the model with its card. */
export async function trainClassifierCommand(flags: TrainFlags): Promise<void> {
  const out = resolve(flags.out);
  const quantized = !/\.bin$/i.test(out);
  if (!/\.(ftz|bin)$/i.test(out)) throw new InputError(out, '--out must name a .ftz (quantized) or .bin (dense) file');
  if ((flags.labelled?.length ?? 0) > 0 && !flags.positiveValues) {
    throw new InputError(flags.labelled![0]!, '--labelled needs --positive-values: the label values that count as positive');
  }
  const con = await openEngine();
  const read = async (args: string[] | undefined, positive: boolean): Promise<LabelledSource[]> => {
    const sources: LabelledSource[] = [];
    for (const arg of args ?? []) {
      const spec = parseSource(arg, flags.textColumn);
      sources.push({ name: `${arg}`, positive, texts: await readSourceTexts(con, spec) });
    }
    return sources;
  };
  const sources = [...(await read(flags.positive, true)), ...(await read(flags.negative, false))];
  for (const arg of flags.labelled ?? []) {
    const spec = parseSource(arg, flags.textColumn);
    const values = flags.positiveValues!.split(',').map((v) => v.trim());
    const { positive, negative } = await readLabelledTexts(con, spec, flags.labelColumn, values);
    sources.push({ name: `${arg} (${flags.labelColumn} in ${values.join(', ')})`, positive: true, texts: positive });
    sources.push({ name: `${arg} (other ${flags.labelColumn})`, positive: false, texts: negative });
  }
  const evaluation = [...(await read(flags.evalPositive, true)), ...(await read(flags.evalNegative, false))];
  con.closeSync();
  if (!sources.some((s) => s.positive && s.texts.length > 0) || !sources.some((s) => !s.positive && s.texts.length > 0)) {
    throw new InputError(out, 'training needs positive and negative documents: give --positive and --negative, or --labelled with --positive-values');
  }

  const say = (line: string) => {
    if (!flags.quiet) process.stderr.write(`${line}\n`);
  };
  let shown = -1;
  const trained = await trainClassifier(sources, {
    name: flags.name ?? basename(out).replace(/\.(ftz|bin)$/i, ''),
    description: flags.description ?? `A fastText classifier trained by \`winnow train-classifier\`: the score is the probability of \`__label__${flags.positiveLabel}\`.`,
    positiveLabel: flags.positiveLabel,
    negativeLabel: flags.negativeLabel,
    preprocessing: { lowercase: flags.lowercase, max_chars: flags.maxChars },
    holdout: flags.holdout,
    seed: flags.seed,
    threshold: flags.threshold,
    fasttext: { ...DEFAULT_TRAINING.fasttext, epoch: flags.epoch, lr: flags.lr, dim: flags.dim, wordNgrams: flags.wordNgrams, minCount: flags.minCount, bucket: flags.bucket, seed: flags.seed },
    quantize: quantized ? { ...DEFAULT_TRAINING.quantize, cutoff: flags.cutoff, qnorm: flags.qnorm } : null,
    evaluations: evaluation.length > 0 ? [{ name: 'further held-out sources', description: 'Sources given with --eval-positive and --eval-negative, never trained on.', sources: evaluation }] : [],
    file: basename(out),
    onProgress: (stage, p) => {
      if (p === undefined) return say(`winnow train-classifier: ${stage}`);
      const step = Math.floor(p * 10);
      if (step > shown) say(`winnow train-classifier: ${stage} ${Math.round(p * 100)}%`);
      shown = step;
    },
  });

  const card = saveTrained(out, trained, flags.keepDense);
  process.stdout.write(`${summary(trained.card, out, card, trained.seconds)}\n`);
}

function summary(card: ModelCard, out: string, paths: { json: string; markdown: string }, seconds: number): string {
  const d = card.data;
  const row = (name: string, m: ClassifierMetrics) =>
    `  ${name.padEnd(28)} ROC AUC ${fmt(m.roc_auc)}  accuracy ${fmt(m.accuracy)}  precision ${fmt(m.precision)}  recall ${fmt(m.recall)}  (${m.positives.toLocaleString('en-US')} positive, ${m.negatives.toLocaleString('en-US')} negative)`;
  const lines = [
    `winnow train-classifier: ${card.name}, trained in ${seconds.toFixed(1)} s on ${(d.train.positive + d.train.negative).toLocaleString('en-US')} examples; ` +
      `${(d.test.positive + d.test.negative).toLocaleString('en-US')} held out (${Math.round(d.split.holdout * 100)}%)`,
    `held-out metrics at threshold ${card.metrics.threshold}:`,
    row('dense model', card.metrics.holdout.dense),
    row(card.quantization ? 'quantized model (shipped)' : 'model', card.metrics.holdout.model),
    ...card.evaluations.map((e) => row(e.name, e.metrics)),
    `  model  ${out} (${card.model.bytes.toLocaleString('en-US')} bytes${card.quantization ? `; dense ${card.quantization.bin_bytes.toLocaleString('en-US')}` : ''})`,
    `  card   ${paths.markdown} and ${basename(paths.json)}`,
  ];
  return lines.join('\n');
}

const fmt = (x: number | null): string => (x === null ? '-' : x.toFixed(4));
