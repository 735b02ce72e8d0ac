/**
 * `npm run bench:why`: `winnow why` on a large run. The bench corpus (200,000 documents of real
 * paragraphs, 3% exact copies) is curated with the basic rules and exact dedup; then 10,000 ids
 * (half dropped, half kept, and some absent) are looked up with `why --ids` (one pass over the
 * run's files), beside the same ids asked one at a time (`why <id>`, timed on a sample and
 * scaled), in one process each. Reports wall seconds, ids per second and peak RSS.
 * Usage: node dist/bench/why.js [--docs 200000] [--shards 16] [--ids 10000] [--one-by-one 20]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { openEngine, queryRows, sqlString } from '../src/io/duckdb.js';
import { benchPipeline } from './corpus.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '200000' },
    shards: { type: 'string', default: '16' },
    ids: { type: 'string', default: '10000' },
    'one-by-one': { type: 'string', default: '20' },
    shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') },
  },
});
const { corpus, run, pipeline, dir: bench } = await benchPipeline(
  'why',
  Number(values.docs),
  Number(values.shards),
  values.shared!,
  `signals: { families: [gopher_quality] }
dedup: { exact: { enabled: true, partitions: 4 } }
rules: [basic, gopher-quality]
`,
);
const bin = join(PACKAGE_ROOT, 'bin', 'winnow.js');
const started = performance.now();
execFileSync(process.execPath, [bin, 'run', pipeline, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
const runSeconds = (performance.now() - started) / 1000;

// Ids: half from the rejected rows, half from the curated ones, and 1% that are in no output.
const con = await openEngine();
const n = Number(values.ids);
const dropped = await queryRows<{ id: string }>(con, `SELECT id FROM read_parquet(${sqlString(join(run, 'rejected', '*.parquet'))}) ORDER BY md5(id) LIMIT ${Math.floor(n / 2)}`);
const kept = await queryRows<{ id: string }>(con, `SELECT id FROM read_parquet(${sqlString(join(run, 'curated', '*.parquet'))}) ORDER BY md5(id) LIMIT ${n - dropped.length - Math.floor(n / 100)}`);
const ids = [...dropped.map((r) => r.id), ...kept.map((r) => r.id), ...Array.from({ length: n - dropped.length - kept.length }, (_, i) => `absent-${i}`)];
const idsFile = join(bench, 'ids.txt');
writeFileSync(idsFile, `${ids.join('\n')}\n`);

/** Runs winnow under /usr/bin/time when it exists (peak RSS), else alone; returns wall seconds and peak RSS in MB. */
function timed(args: string[]): { seconds: number; rssMb: number | null; stdout: string } {
  const t = performance.now();
  const gnuTime = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (gnuTime.error === undefined && gnuTime.status !== null && gnuTime.status <= 1) {
    const rss = Number(gnuTime.stderr.trim().split('\n').at(-1));
    return { seconds: (performance.now() - t) / 1000, rssMb: Number.isFinite(rss) ? rss / 1024 : null, stdout: gnuTime.stdout };
  }
  const plain = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return { seconds: (performance.now() - t) / 1000, rssMb: null, stdout: plain.stdout };
}

const batch = timed(['why', '--ids', idsFile, '--run', run]);
const answered = batch.stdout.trim().split('\n').map((l) => JSON.parse(l) as { fates: unknown[] });
const found = answered.filter((a) => a.fates.length > 0).length;
const k = Number(values['one-by-one']);
let oneSeconds = 0;
let oneRss = 0;
for (const id of ids.slice(0, k)) {
  const one = timed(['why', id, '--run', run, '--json']);
  oneSeconds += one.seconds;
  oneRss = Math.max(oneRss, one.rssMb ?? 0);
}
const perId = oneSeconds / k;

console.log(`run: ${Number(values.docs).toLocaleString('en-US')} documents in ${values.shards} shards (${corpus.source}), curated in ${runSeconds.toFixed(1)} s; machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`);
console.log('\n| lookup | ids | wall s | ids/s | peak RSS MB |\n|---|---:|---:|---:|---:|');
console.log(`| \`why --ids\` (one pass) | ${ids.length.toLocaleString('en-US')} (${found.toLocaleString('en-US')} found) | ${batch.seconds.toFixed(2)} | ${Math.round(ids.length / batch.seconds).toLocaleString('en-US')} | ${batch.rssMb?.toFixed(0) ?? 'n/a'} |`);
console.log(`| \`why <id>\`, one process per id (${k} timed, scaled) | ${ids.length.toLocaleString('en-US')} | ${(perId * ids.length).toFixed(0)} | ${(1 / perId).toFixed(2)} | ${oneRss ? oneRss.toFixed(0) : 'n/a'} |`);
con.closeSync();
