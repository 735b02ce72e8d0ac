/**
 * `npm run bench` (part), or `node dist/bench/models.js`: model-scored filtering on one core, no
 * I/O, on whole real documents of three kinds (MedQuAD answers, State of the Union addresses, raw
 * SpamAssassin e-mails).
 *
 * Scoring, side by side on the same texts: lid.176 (language ID on whole documents, the first
 * 100,000 characters, as the language family reads them) and each shipped classifier (through its
 * card's preprocessing: the first 10,000 characters, lower-cased), by
 *  - winnow: its fastText kernel (src/models/fasttext-model.ts), from the text as annotate has it;
 *  - fastText's WebAssembly build (fasttext.wasm.js: what winnow scored with before the kernel);
 *  - native fastText (Debian's `fasttext predict-prob`, C++), when installed: the same lines in a
 *    file, one process per set, its CPU time (user + system) less that of loading the model alone.
 * Throughput is the bytes of the text each model reads (UTF-8) per CPU second; best of three
 * interleaved rounds. Training: `trainClassifier` on MedQuAD answers against e-mails, its stages
 * timed once.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { getFastTextModule, getLIDModel } from 'fasttext.wasm.js';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { cardPreprocessing } from '../src/config/models.js';
import { readModelFile, writeModelFile } from '../src/models/fasttext-file.js';
import { FastTextModel } from '../src/models/fasttext-model.js';
import { fastTextLine, fastTextWords } from '../src/models/preprocess.js';
import { trainSupervised } from '../src/models/fasttext-train.js';
import { quantizeModel } from '../src/models/quantize.js';
import { lid176Path } from '../src/signals/language.js';
import { firstChars } from '../src/text/chars.js';
import { DEFAULT_TRAINING } from '../src/training/defaults.js';
import { medquadAnswers, sotuDocuments, spamAssassin } from '../scripts/corpora.js';

const { values } = parseArgs({ options: { shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') } } });
const sets: Record<string, string[]> = {
  medquad: medquadAnswers(values.shared!).map((d) => d.text),
  sotu: sotuDocuments(),
  email: spamAssassin().map((m) => m.raw),
};
const bytesOf = (texts: readonly string[]) => texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
// A full collection before each measurement: the process holds hundreds of MB of text, and V8's
// concurrent marking of that heap, run on other threads, would be charged to whatever is timed.
v8.setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const cpu = (f: () => void): number => {
  gc();
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};
const names = Object.keys(sets);
console.log(`corpora: ${names.map((n) => `${n} ${sets[n]!.length.toLocaleString('en-US')} docs, ${(bytesOf(sets[n]!) / 1e6).toFixed(1)} MB`).join('; ')}; one core, best of 3 interleaved rounds`);

const hasNative = !spawnSync('fasttext', [], { encoding: 'utf8' }).error;
const scratch = join(tmpdir(), `winnow-bench-models-${process.pid}`);
mkdirSync(scratch, { recursive: true });

/** Native fastText's CPU seconds for predict-prob over a file of lines (k labels), less a one-line run's (the model's loading). */
function nativeSeconds(model: string, lines: readonly string[], k: number, name: string): number {
  const file = join(scratch, `${name}.txt`);
  const one = join(scratch, `${name}-one.txt`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  writeFileSync(one, `${lines[0]}\n`);
  const run = (f: string) => {
    const r = spawnSync('bash', ['-c', `TIMEFORMAT='%3U %3S'; time fasttext predict-prob "$0" "$1" ${k} > /dev/null`, model, f], { encoding: 'utf8' });
    const [user, system] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    if (r.status !== 0 || !Number.isFinite(user)) throw new Error(`fasttext predict-prob failed: ${r.stderr}`);
    return user! + system!;
  };
  return Math.max(1e-3, run(file) - run(one));
}

interface Engine {
  name: string;
  /** CPU seconds for one set; `lines` are the lines native fastText reads. */
  seconds(set: string): number;
}

interface Scored {
  model: string;
  /** The line fastText's builds read of each document (its bytes are the throughput's). */
  lines: Record<string, string[]>;
  engines: Engine[];
}

const lidBytes = readFileSync(lid176Path());
const lidModel = new FastTextModel(readModelFile(lidBytes));
const lidWasm = await (await getLIDModel()).load();
const firstOf = (n: number) => (t: string) => firstChars(t, n);
const lidTexts = Object.fromEntries(names.map((n) => [n, sets[n]!.map(firstOf(100_000))]));
const lidLines = Object.fromEntries(names.map((n) => [n, lidTexts[n]!.map((t) => t.replace(/[\n\r\t\v\f\0]+/g, ' ').trim() || '.')]));
const scored: Scored[] = [
  {
    model: 'lid.176.ftz (language ID, k = 1)',
    lines: lidLines,
    engines: [
      { name: 'winnow', seconds: (n) => cpu(() => lidTexts[n]!.forEach((t) => lidModel.top(t))) },
      {
        name: 'wasm',
        seconds: (n) =>
          cpu(() =>
            lidLines[n]!.forEach((l) => {
              const p = lidWasm.predict(l, 1, 0) as unknown as { delete(): void };
              p.delete();
            }),
          ),
      },
    ],
  },
];
for (const name of ['medical', 'quality']) {
  const file = join(PACKAGE_ROOT, 'fixtures', 'models', `${name}.ftz`);
  const bytes = readFileSync(file);
  const { preprocessing } = cardPreprocessing(file)!;
  const model = new FastTextModel(readModelFile(bytes));
  const module = await getFastTextModule();
  const wasm = new module.FastText();
  module.FS.writeFile(`${name}.bin`, bytes);
  wasm.loadModel(`${name}.bin`);
  const texts = Object.fromEntries(names.map((n) => [n, sets[n]!]));
  const lines = Object.fromEntries(names.map((n) => [n, sets[n]!.map((t) => fastTextLine(t, preprocessing) || '.')]));
  scored.push({
    model: `${name}.ftz (all labels)`,
    lines,
    engines: [
      // What annotate does per document: the card's preprocessing (cut, lower-case) and the kernel.
      { name: 'winnow', seconds: (n) => cpu(() => texts[n]!.forEach((t) => model.probabilities(fastTextWords(t, preprocessing), true))) },
      // What annotate did before: the folded line through fastText's WebAssembly build.
      {
        name: 'wasm',
        seconds: (n) =>
          cpu(() =>
            texts[n]!.forEach((t) => {
              const p = wasm.predict(fastTextLine(t, preprocessing), -1, 0) as unknown as { delete(): void };
              p.delete();
            }),
          ),
      },
    ],
  });
  if (hasNative) writeFileSync(join(scratch, `${name}.ftz`), bytes);
}

const results: Record<string, unknown>[] = [];
console.log(`\n| model | set | MB read | winnow MB/s (docs/s) | fastText WebAssembly MB/s | native fastText MB/s | winnow / native |\n|---|---|---:|---:|---:|---:|---:|`);
for (const s of scored) {
  const best: Record<string, Record<string, number>> = {};
  for (const e of [...s.engines.map((e) => e.name), 'native']) best[e] = Object.fromEntries(names.map((n) => [n, Infinity]));
  const isLid = s.model.startsWith('lid');
  const nativeModel = isLid ? lid176Path() : join(scratch, s.model.split(' ')[0]!);
  for (let round = 0; round < 3; round++) {
    for (const n of names) {
      for (const e of s.engines) best[e.name]![n] = Math.min(best[e.name]![n]!, e.seconds(n));
      if (hasNative) best.native![n] = Math.min(best.native![n]!, nativeSeconds(nativeModel, s.lines[n]!, isLid ? 1 : -1, `${n}-${round}`));
    }
  }
  const mbOf = (n: string) => bytesOf(s.lines[n]!) / 1e6;
  const row = (label: string, mb: number, docs: number, sec: (e: string) => number) => {
    const rate = (e: string) => mb / sec(e);
    const native = hasNative ? rate('native').toFixed(1) : 'not installed';
    const ratio = hasNative ? `${(rate('winnow') / rate('native')).toFixed(1)}x` : '';
    console.log(`| ${s.model} | ${label} | ${mb.toFixed(1)} | ${rate('winnow').toFixed(1)} (${Math.round(docs / sec('winnow')).toLocaleString('en-US')}) | ${rate('wasm').toFixed(1)} | ${native} | ${ratio} |`);
    return { set: label, mb, winnow: rate('winnow'), wasm: rate('wasm'), native: hasNative ? rate('native') : null };
  };
  const rows = names.map((n) => row(n, mbOf(n), sets[n]!.length, (e) => best[e]![n]!));
  const total = (e: string) => names.reduce((a, n) => a + best[e]![n]!, 0);
  rows.push(row('all', names.reduce((a, n) => a + mbOf(n), 0), names.reduce((a, n) => a + sets[n]!.length, 0), total));
  results.push({ model: s.model, rows });
}
if (!hasNative) console.log('\n(native fastText: the `fasttext` command is not installed (Debian: apt-get install fasttext); its column is left out.)');

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
