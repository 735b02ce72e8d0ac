/**
 * `npm run bench` (part), or `node dist/bench/models.js`: model-scored filtering on one core, no
 * I/O. Scoring: each shipped classifier (fixtures/models/) on whole real documents of three kinds
 * (MedQuAD answers, State of the Union passages, raw SpamAssassin e-mails), through what annotate
 * runs per document: the card's preprocessing (first 10,000 characters, lower-cased, whitespace
 * folded) and fastText's prediction in WebAssembly. Best of three interleaved rounds; throughput is
 * text bytes (of the whole documents) per CPU second. Training: `trainClassifier` on MedQuAD answers
 * against e-mails, its stages timed once.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { cardPreprocessing } from '../src/config/models.js';
import { loadClassifier } from '../src/models/fasttext-runtime.js';
import { fastTextLine } from '../src/models/preprocess.js';
import { writeModelFile } from '../src/models/fasttext-file.js';
import { trainSupervised } from '../src/models/fasttext-train.js';
import { quantizeModel } from '../src/models/quantize.js';
import { DEFAULT_TRAINING } from '../src/training/defaults.js';
import { medquadAnswers, sotuDocuments, spamAssassin } from '../scripts/corpora.js';

const { values } = parseArgs({ options: { shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') } } });
const sets: Record<string, string[]> = {
  medquad: medquadAnswers(values.shared!).map((d) => d.text),
  sotu: sotuDocuments(),
  email: spamAssassin().map((m) => m.raw),
};
const bytesOf = (texts: readonly string[]) => texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
const cpu = (f: () => void): number => {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};
const names = Object.keys(sets);
console.log(`corpora: ${names.map((n) => `${n} ${sets[n]!.length.toLocaleString('en-US')} docs, ${(bytesOf(sets[n]!) / 1e6).toFixed(1)} MB`).join('; ')}; one core, best of 3 interleaved rounds`);

const results: Record<string, unknown>[] = [];
console.log(`\n| model | ${names.map((n) => `${n} MB/s (docs/s)`).join(' | ')} | all MB/s (docs/s) |\n|---|${names.map(() => '---:').join('|')}|---:|`);
for (const model of ['medical', 'quality']) {
  const file = join(PACKAGE_ROOT, 'fixtures', 'models', `${model}.ftz`);
  const classifier = await loadClassifier(readFileSync(file));
  const { preprocessing } = cardPreprocessing(file)!;
  const best = Object.fromEntries(names.map((n) => [n, Infinity]));
  for (let round = 0; round < 3; round++) {
    for (const n of names) best[n] = Math.min(best[n]!, cpu(() => sets[n]!.forEach((t) => classifier.predict(fastTextLine(t, preprocessing)))));
  }
  const cells = names.map((n) => `${(bytesOf(sets[n]!) / 1e6 / best[n]!).toFixed(1)} (${Math.round(sets[n]!.length / best[n]!).toLocaleString('en-US')})`);
  const seconds = names.reduce((a, n) => a + best[n]!, 0);
  const docs = names.reduce((a, n) => a + sets[n]!.length, 0);
  const mb = names.reduce((a, n) => a + bytesOf(sets[n]!), 0) / 1e6;
  console.log(`| ${model}.ftz | ${cells.join(' | ')} | ${(mb / seconds).toFixed(1)} (${Math.round(docs / seconds).toLocaleString('en-US')}) |`);
  results.push({ model, mbps: mb / seconds, docsPerSec: docs / seconds, perSet: Object.fromEntries(names.map((n) => [n, bytesOf(sets[n]!) / 1e6 / best[n]!])) });
}

const p = DEFAULT_TRAINING.preprocessing;
const lines = [
  ...sets.medquad!.map((t) => `__label__medical ${fastTextLine(t, p)}`),
  ...sets.email!.map((t) => `__label__general ${fastTextLine(t, p)}`),
];
const trainBytes = bytesOf(lines);
const tokens = lines.reduce((a, l) => a + l.split(' ').length + 1, 0);
let dense!: ReturnType<typeof trainSupervised>;
const trainCpu = cpu(() => (dense = trainSupervised(lines, DEFAULT_TRAINING.fasttext)));
const quantizeCpu = cpu(() => writeModelFile(quantizeModel(dense, DEFAULT_TRAINING.quantize)));
const epochs = DEFAULT_TRAINING.fasttext.epoch;
console.log(
  `\ntraining (MedQuAD answers against e-mails, ${lines.length.toLocaleString('en-US')} examples, ${(trainBytes / 1e6).toFixed(1)} MB, ${epochs} epochs): ` +
    `${trainCpu.toFixed(1)} CPU s, ${Math.round((tokens * epochs) / trainCpu).toLocaleString('en-US')} tokens/s; quantization (cutoff ${DEFAULT_TRAINING.quantize.cutoff.toLocaleString('en-US')}): ${quantizeCpu.toFixed(1)} CPU s`,
);
results.push({ training: { examples: lines.length, bytes: trainBytes, cpuSeconds: trainCpu, tokensPerSec: (tokens * epochs) / trainCpu, quantizeCpuSeconds: quantizeCpu } });
mkdirSync(join(PACKAGE_ROOT, '.bench'), { recursive: true });
writeFileSync(join(PACKAGE_ROOT, '.bench', 'models.json'), `${JSON.stringify({ results, date: new Date().toISOString() }, null, 2)}\n`);
