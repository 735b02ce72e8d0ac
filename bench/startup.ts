/**
 * `npm run bench:startup` (and part of `npm run bench`): what a `winnow` process costs before it
 * does any work. Clusters start one process per task and the test suite hundreds, so start-up is
 * measured like throughput: each row is a fresh process, wall and CPU (user + system, every thread)
 * as the process itself counts them at exit, the median of --rounds.
 *
 * Side by side: the modules a command loads now (each command's own, DuckDB required) against what
 * loading every command and importing DuckDB as ESM costs, and a worker thread's modules against
 * the configuration parsers it leaves out.
 * Usage: node dist/bench/startup.js [--rounds 7]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/config/version.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' } } });
const rounds = Number(values.rounds);
const dir = join(PACKAGE_ROOT, '.bench', 'startup');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

// Preloaded into each measured process: its own wall and CPU time at exit, into a file.
const probe = join(dir, 'probe.mjs');
writeFileSync(
  probe,
  `import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  const cpu = process.cpuUsage();
  writeFileSync(process.env.WINNOW_BENCH_PROBE, JSON.stringify({ wall: performance.now() / 1e3, cpu: (cpu.user + cpu.system) / 1e6 }));
});
`,
);
const dist = (path: string) => join(PACKAGE_ROOT, 'dist', path);
const bin = join(PACKAGE_ROOT, 'bin', 'winnow.js');

function measure(argsOf: (round: number) => string[]): { wall: number; cpu: number } {
  const samples: { wall: number; cpu: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    const out = join(dir, `probe-${r}.json`);
    try {
      execFileSync(process.execPath, ['--import', probe, ...argsOf(r)], { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, WINNOW_BENCH_PROBE: out } });
    } catch (err) {
      // `why` of an id the run does not hold exits 1 after the whole lookup; anything else is a failure.
      if ((err as { status?: number }).status !== 1) throw err;
    }
    samples.push(JSON.parse(readFileSync(out, 'utf8')) as { wall: number; cpu: number });
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
}

// The worker module throws without a pool to serve (no workerData); its own imports have run by then.
const importing = (...modules: string[]) => ['--input-type=module', '-e', modules.map((m) => `try { await import(${JSON.stringify(m)}); } catch {}`).join(' ')];
const requiring = (module: string) => ['--input-type=module', '-e', `import { createRequire } from 'node:module'; createRequire(${JSON.stringify(`${PACKAGE_ROOT}/`)})(${JSON.stringify(module)});`];
const everyCommand = ['run', 'validate', 'why', 'met', 'met-run', 'refine', 'sample', 'calibrate', 'labels', 'train-classifier'].map((c) => dist(`src/cli/commands/${c}.js`));

// A small run: one shard of the fixtures (1.2 MB of Parquet), basic rules, one worker.
const shard = join(PACKAGE_ROOT, 'fixtures', 'shards', 'sample-01.parquet');
const pipeline = join(dir, 'pipeline.yaml');
const run = join(dir, 'run');
writeFileSync(
  pipeline,
  `name: bench-startup\ninput: { path: ${JSON.stringify(shard)}, columns: { text: text, id: id, source: source } }\n` +
    `rules: [basic]\nexecution: { workers: 1 }\noutput: { path: ${JSON.stringify(run)} }\n`,
);
execFileSync(process.execPath, [bin, 'run', pipeline, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });

const rows: [string, string[] | ((round: number) => string[])][] = [
  ['node, nothing loaded', ['-e', '0']],
  ['`winnow --version`', [bin, '--version']],
  ['`winnow why <id> --run <small run>`', [bin, 'why', 'no-such-document', '--run', run]],
  ['`winnow run`, every task reused (no worker started)', [bin, 'run', pipeline, '--quiet']],
  ['`winnow run`, a fresh run (one worker thread)', (r) => [bin, 'run', pipeline, '--quiet', '--output', join(dir, `fresh-${r}`)]],
  ['main thread: `run` command modules', importing(dist('src/cli/commands/run.js'))],
  ['main thread: every command module (all loaded up front, as before)', importing(...everyCommand)],
  ['worker thread modules', importing(dist('src/execution/worker.js'))],
  ['worker thread modules + zod and yaml (what it loaded before)', importing(dist('src/execution/worker.js'), 'zod', 'yaml', 'hyparquet', 'hyparquet-compressors')],
  ['DuckDB client, required', requiring('@duckdb/node-api')],
  ['DuckDB client, imported as ESM', importing('@duckdb/node-api')],
];

console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}; median of ${rounds} processes each`);
console.log('\n| process | wall ms | CPU ms |\n|---|---:|---:|');
for (const [what, args] of rows) {
  const r = measure((round) => (typeof args === 'function' ? args(round) : args));
  console.log(`| ${what} | ${Math.round(r.wall * 1000)} | ${Math.round(r.cpu * 1000)} |`);
}
