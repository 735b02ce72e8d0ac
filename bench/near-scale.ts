/**
 * `npm run bench:near-scale`, or `node dist/bench/near-scale.js --docs 100000,1000000`: the global
 * phase of near-dedup (candidate pairs over every band partition, exact verification, components,
 * keepers) on signals files of N documents, with its wall and CPU time and peak RSS. Each size
 * runs in a child process of its own, so its peak RSS is its own.
 *
 * The documents are 60 words drawn from MedQuAD's vocabulary (the fixtures' without ../shared);
 * 10% are near-copies of an earlier one with 1 to 3 words changed. The signals files hold what
 * annotate writes for near-dedup: keys, text, char_count, band keys and the signature.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { listValue } from '@duckdb/node-api';
import { loadPipeline } from '../src/config/load.js';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { MinHasher } from '../src/dedup/minhash.js';
import { createEngine, openEngine, queryRows, sqlString } from '../src/io/duckdb.js';
import { RunKeys, RunLayout } from '../src/io/layout.js';
import { nearClusters, nearPairsPartition } from '../src/phases/near-dedup.js';
import { tokenize } from '../src/text/tokenizer.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '100000,1000000' },
    shards: { type: 'string', default: '16' },
    partitions: { type: 'string', default: '4' },
    memory: { type: 'string', default: '1GB' },
    phase: { type: 'string' },
    shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') },
  },
});

const NEAR = { enabled: true, shingle: 5, bands: 14, rows: 8, seed: 1, threshold: 0.8, verify: 'exact' as const, keep: 'longest' as const, partitions: Number(values.partitions) };

function pipelineFile(dir: string): string {
  const file = join(dir, 'pipeline.yaml');
  writeFileSync(
    file,
    `name: near-scale\ninput: { path: ., columns: { text: text, id: id } }\ndedup:\n  exact: { enabled: false }\n  near: { enabled: true, partitions: ${NEAR.partitions} }\noutput: { path: run }\nexecution: { workers: 1, memory_per_worker: ${values.memory} }\n`,
  );
  return file;
}

async function vocabulary(): Promise<string[]> {
  const medquad = join(values.shared!, 'data', 'medquad', 'medquad.jsonl.gz');
  const text = existsSync(medquad)
    ? gunzipSync(readFileSync(medquad)).toString('utf8')
    : (await queryRows<{ t: string }>(await openEngine(), `SELECT string_agg(text, ' ') AS t FROM read_parquet(${sqlString(join(PACKAGE_ROOT, 'fixtures', 'shards', '*.parquet'))})`))[0]!.t;
  return [...new Set(text.match(/\b[a-z]{3,12}\b/g) ?? [])];
}

/** Writes the signals files of `docs` documents under dir/run/work/signals; returns their paths relative to dir/run. */
async function makeSignals(dir: string, docs: number, shards: number): Promise<string[]> {
  const words = await vocabulary();
  let seed = 99;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const hasher = new MinHasher(NEAR);
  const layout = new RunLayout(join(dir, 'run'));
  const con = await openEngine({ threads: 2 });
  const bands = Array.from({ length: NEAR.bands }, (_, b) => `minhash_band_${String(b).padStart(2, '0')}`);
  await con.run(
    `CREATE TABLE s (shard INTEGER, "row" BIGINT, key VARCHAR, id VARCHAR, text VARCHAR, char_count BIGINT, ${bands.map((b) => `${b} UBIGINT`).join(', ')}, minhash_signature INTEGER[])`,
  );
  const recent: string[] = [];
  const files: string[] = [];
  const per = Math.ceil(docs / shards);
  for (let s = 0; s < shards; s++) {
    const app = await con.createAppender('s');
    for (let r = 0; r < per && s * per + r < docs; r++) {
      let text: string;
      if (recent.length > 0 && random() < 0.1) {
        const copy = recent[Math.floor(random() * recent.length)]!.split(' ');
        for (let k = 1 + Math.floor(random() * 3); k > 0; k--) copy[Math.floor(random() * copy.length)] = words[Math.floor(random() * words.length)]!;
        text = copy.join(' ');
      } else text = Array.from({ length: 60 }, () => words[Math.floor(random() * words.length)]!).join(' ');
      if (recent.length < 1000) recent.push(text);
      else recent[Math.floor(random() * 1000)] = text;
      const sig = hasher.sign(tokenize(text))!;
      const keys = hasher.bandKeys(sig);
      const key = `part-${s}.parquet#${r}`;
      app.appendInteger(s);
      app.appendBigInt(BigInt(r));
      app.appendVarchar(key);
      app.appendVarchar(`doc-${s}-${r}`);
      app.appendVarchar(text);
      app.appendBigInt(BigInt(text.length));
      for (const k of keys) app.appendUBigInt(k);
      app.appendValue(listValue(Array.from(sig)));
      app.endRow();
    }
    app.closeSync();
    const key = `${RunKeys.signals(s, 0)}/part-0000.parquet`;
    const file = join(layout.root, key);
    mkdirSync(dirname(file), { recursive: true });
    await con.run(`COPY s TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd)`);
    await con.run('DELETE FROM s');
    files.push(key);
  }
  con.closeSync();
  return files;
}

/** In the child: the global phase alone, as the worker runs it. */
async function globalPhase(dir: string): Promise<void> {
  const files = JSON.parse(readFileSync(join(dir, 'files.json'), 'utf8')) as string[];
  const pipeline = loadPipeline(pipelineFile(dir));
  const layout = new RunLayout(join(dir, 'run'));
  const engine = await createEngine({ memoryLimit: pipeline.execution.memory_per_worker, tempDir: layout.spillDir('bench', 0) });
  const ctx = {
    con: await engine.connect(),
    reader: await engine.connect(),
    pipeline,
    layout,
    progress: () => undefined,
    annotator: () => Promise.reject(new Error('not needed')),
    checkAborted: () => undefined,
  };
  const started = { wall: performance.now(), cpu: process.cpuUsage() };
  const pairs = [];
  for (let p = 0; p < NEAR.partitions; p++) pairs.push(await nearPairsPartition(ctx, p, NEAR.partitions, files));
  const pairsDone = { wall: performance.now(), cpu: process.cpuUsage(started.cpu) };
  const clusters = await nearClusters(ctx, pairs.map((p) => p.file), files);
  const cpu = process.cpuUsage(started.cpu);
  process.stdout.write(
    JSON.stringify({
      pairs_seconds: (pairsDone.wall - started.wall) / 1000,
      pairs_cpu_seconds: (pairsDone.cpu.user + pairsDone.cpu.system) / 1e6,
      seconds: (performance.now() - started.wall) / 1000,
      cpu_seconds: (cpu.user + cpu.system) / 1e6,
      peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
      linked_pairs: clusters.pairs,
      clusters: clusters.clusters,
      duplicates: clusters.duplicates,
      rounds: clusters.rounds,
    }),
  );
}

if (values.phase) {
  await globalPhase(values.phase);
} else {
  console.log(`near-dedup global phase, ${NEAR.partitions} band partitions run one after another, DuckDB budget ${values.memory}, one worker\n`);
  console.log('| documents | pairs s (CPU s) | whole phase s (CPU s) | peak RSS MB | RSS per 1k docs MB | linked pairs | clusters | duplicates |\n|---:|---:|---:|---:|---:|---:|---:|---:|');
  const rows = [];
  for (const docs of values.docs!.split(',').map(Number)) {
    // The signals files are made once per size and shard count, and reused.
    const dir = join(PACKAGE_ROOT, '.bench', `near-scale-${docs}-${values.shards}`);
    if (!existsSync(join(dir, 'files.json'))) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'files.json.tmp'), JSON.stringify(await makeSignals(dir, docs, Number(values.shards))));
      renameSync(join(dir, 'files.json.tmp'), join(dir, 'files.json'));
    }
    rmSync(join(dir, 'run', 'work', 'dedup'), { recursive: true, force: true });
    const child = spawnSync(process.execPath, [new URL(import.meta.url).pathname, '--phase', dir, '--memory', values.memory!, '--partitions', values.partitions!], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    const r = JSON.parse(child.stdout) as Record<string, number>;
    const mb = r.peak_rss_bytes! / 1e6;
    console.log(
      `| ${docs.toLocaleString('en-US')} | ${r.pairs_seconds!.toFixed(1)} (${r.pairs_cpu_seconds!.toFixed(1)}) | ${r.seconds!.toFixed(1)} (${r.cpu_seconds!.toFixed(1)}) | ${mb.toFixed(0)} | ${((mb / docs) * 1000).toFixed(2)} | ${r.linked_pairs!.toLocaleString('en-US')} | ${r.clusters!.toLocaleString('en-US')} | ${r.duplicates!.toLocaleString('en-US')} |`,
    );
    rows.push({ docs, ...r });
  }
  writeFileSync(join(PACKAGE_ROOT, '.bench', `near-scale-${values.memory}.json`), `${JSON.stringify({ memory: values.memory, rows, date: new Date().toISOString() }, null, 2)}\n`);
}
