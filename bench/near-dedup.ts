/**
 * `npm run bench:near`, or `node dist/bench/near-dedup.js`: near-dedup quality on planted
 * near-duplicates of real documents (bench/near-duplicates.ts), scored against exact Jaccard.
 * Options: --bases (documents given near-copies), --variants (copies of each), --background
 * (unrelated documents), --workers, --shared (the ../shared folder).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { openEngine, queryRows, sqlString } from '../src/io/duckdb.js';
import { measureNearDedup, plantNearDuplicates } from './near-duplicates.js';
import { medquadAnswers } from '../scripts/corpora.js';

const { values } = parseArgs({
  options: {
    bases: { type: 'string', default: '1000' },
    variants: { type: 'string', default: '4' },
    background: { type: 'string', default: '20000' },
    workers: { type: 'string', default: '2' },
    shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') },
  },
});

async function texts(): Promise<{ list: string[]; source: string }> {
  const medquad = join(values.shared!, 'data', 'medquad', 'medquad.jsonl.gz');
  if (existsSync(medquad)) {
    return { list: medquadAnswers(values.shared!).map((d) => d.text), source: 'MedQuAD answers' };
  }
  const con = await openEngine();
  const rows = await queryRows<{ text: string }>(con, `SELECT text FROM read_parquet(${sqlString(join(PACKAGE_ROOT, 'fixtures', 'shards', '*.parquet'))}) ORDER BY id`);
  return { list: rows.map((r) => r.text), source: 'fixtures/shards (no ../shared found)' };
}

const { list, source } = await texts();
const corpus = plantNearDuplicates(list, { bases: Number(values.bases), variants: Number(values.variants), background: Number(values.background), seed: 7 });
const dir = join(PACKAGE_ROOT, '.bench', 'near-dedup');
const result = await measureNearDedup(corpus, dir, { shards: 8, workers: Number(values.workers) });
console.log(`corpus: ${result.documents.toLocaleString('en-US')} documents from ${source}, ${result.planted_pairs.toLocaleString('en-US')} planted pairs`);
console.log(`threshold ${result.threshold}; pipeline ${result.seconds.toFixed(1)} s\n`);
console.log(`recall, planted pairs with Jaccard >= 0.9: ${result.recall_at_0_9.found} / ${result.recall_at_0_9.pairs} = ${result.recall_at_0_9.recall.toFixed(4)}`);
console.log(`precision, linked pairs with Jaccard >= ${result.threshold}: ${result.linked_precision.correct} / ${result.linked_precision.linked} = ${result.linked_precision.precision.toFixed(4)}`);
console.log(`precision, removals with Jaccard >= ${result.threshold} to their keeper: ${result.removal_precision.correct} / ${result.removal_precision.removed} = ${result.removal_precision.precision.toFixed(4)}`);
console.log('\n| exact Jaccard | planted pairs | found in one cluster |\n|---|---:|---:|');
for (const [band, b] of Object.entries(result.recall_by_jaccard)) console.log(`| ${band} | ${b.pairs} | ${b.found} (${((100 * b.found) / b.pairs).toFixed(1)}%) |`);
mkdirSync(join(PACKAGE_ROOT, '.bench'), { recursive: true });
writeFileSync(join(PACKAGE_ROOT, '.bench', 'near-dedup.json'), `${JSON.stringify({ source, ...result, date: new Date().toISOString() }, null, 2)}\n`);
