/**
 * `npm run bench:forecast`: how close `winnow forecast` comes to the run it forecasts. The bench
 * corpus (generated from real text, with exact and near copies across shards) is forecast from a
 * sample of its shards, then run whole, both with one worker thread; the table compares each
 * phase's CPU time and the outputs' size.
 * Usage: node dist/bench/forecast.js [--docs 60000] [--shards 16] [--sample 3]
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Forecast } from '../src/cluster/forecast.js';
import { PACKAGE_ROOT } from '../src/config/version.js';
import type { RunManifest } from '../src/phases/report.js';
import { benchPipeline } from './corpus.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '60000' },
    shards: { type: 'string', default: '16' },
    sample: { type: 'string', default: '3' },
    shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') },
  },
});
const { run, pipeline } = await benchPipeline(
  'forecast',
  Number(values.docs),
  Number(values.shards),
  values.shared!,
  `signals:
  families: [gopher_quality, gopher_repetition, c4, fineweb]
  models: [{ name: quality_score, path: quality, label: high }]
c4: { terminal_punctuation: false }
dedup:
  exact: { enabled: true, partitions: 4 }
  near: { enabled: true, partitions: 4 }
rules: [gopher-repetition, gopher-quality, c4, fineweb]
execution: { workers: 1 }
`,
);
const winnow = (args: string[]) => execFileSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'winnow.js'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const forecast = JSON.parse(winnow(['forecast', pipeline, '--sample', values.sample!, '--json'])) as Forecast;
winnow(['run', pipeline, '--quiet']);
const manifest = JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8')) as RunManifest;
const bytes = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((a, e) => a + (e.isDirectory() ? bytes(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
const outputs = ['curated', 'rejected', 'manifests'].reduce((a, d) => a + bytes(join(run, d)), 0);

const pct = (forecast: number, actual: number) => (actual === 0 ? 'n/a' : `${forecast >= actual ? '+' : ''}${(((forecast - actual) / actual) * 100).toFixed(0)}%`);
console.log(`corpus: ${forecast.input.shards} shards, ${forecast.input.rows.toLocaleString('en-US')} documents, ${(forecast.input.text_bytes / 1e6).toFixed(1)} MB of text; sample ${forecast.sample.shards.length} shards (x${forecast.scale}); machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`);
console.log('\n| phase | forecast CPU s | measured CPU s | error |\n|---|---:|---:|---:|');
let f = 0;
let m = 0;
for (const p of forecast.phases) {
  const actual = manifest.timings[p.phase]?.cpu_seconds ?? 0;
  const predicted = p.core_seconds;
  f += predicted;
  m += actual;
  console.log(`| ${p.phase} | ${predicted.toFixed(1)} | ${actual.toFixed(1)} | ${pct(predicted, actual)} |`);
}
console.log(`| **all phases** | **${f.toFixed(1)}** | **${m.toFixed(1)}** | **${pct(f, m)}** |`);
console.log(`| outputs (MB) | ${(forecast.outputs_bytes / 1e6).toFixed(1)} | ${(outputs / 1e6).toFixed(1)} | ${pct(forecast.outputs_bytes, outputs)} |`);
console.log(`| work folder (MB) | ${(forecast.work_bytes / 1e6).toFixed(1)} | ${(bytes(join(run, 'work')) / 1e6).toFixed(1)} | ${pct(forecast.work_bytes, bytes(join(run, 'work')))} |`);
