import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Forecast } from '../../src/cluster/forecast.js';
import { FIXTURE_SHARDS, FULL, pipelineYaml, readManifest, tempDir, winnow, writePipeline } from '../helpers.js';

const bytes = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((a, e) => a + (e.isDirectory() ? bytes(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);

describe('winnow forecast', () => {
  const extra = 'dedup:\n  exact: { enabled: true, partitions: 2 }\n';
  const pipelineFor = (output: string) => writePipeline(tempDir(), pipelineYaml({ input: FIXTURE_SHARDS, output, extra, families: '[gopher_quality]', rules: '[basic, gopher-quality]' }));

  it('runs a sample of the shards and scales it to the whole input, with task counts, Slurm settings and its assumptions', () => {
    const r = winnow(['forecast', pipelineFor(join(tempDir(), 'unused')), '--sample', '2', '--cpus-per-task', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const f = JSON.parse(r.stdout) as Forecast;
    expect(f.input.shards).toBe(5);
    expect(f.input.rows).toBe(3710);
    // Two shards spread over the sorted five: the second and the fourth.
    expect(f.sample.shards).toEqual(['sample-01.parquet', 'sample-03.parquet']);
    expect(f.scale).toBeCloseTo(f.input.text_bytes / f.sample.text_bytes, 2);
    expect(f.phases.map((p) => [p.phase, p.tasks])).toEqual([
      ['annotate', 5],
      ['dedup', 2],
      ['decide', 5],
    ]);
    for (const p of f.phases) expect(p.core_seconds).toBeGreaterThan(0);
    expect(f.slurm).toMatchObject({ cpus_per_task: 2, array_tasks: { annotate: 5, dedup: 2, decide: 5 } });
    expect(f.slurm.mem).toMatch(/^\d+G$/);
    expect(f.slurm.time).toMatch(/^\d+:\d\d:00$/);
    expect(f.assumptions.length).toBeGreaterThanOrEqual(4);
  });

  it.skipIf(!FULL)('comes within its stated error of the run it forecasts: outputs and work folder within 25%, CPU within 2x (npm run test:full)', () => {
    const out = join(tempDir(), 'whole');
    const pipeline = pipelineFor(out);
    const f = JSON.parse(winnow(['forecast', pipeline, '--sample', '2', '--json']).stdout) as Forecast;
    const r = winnow(['run', pipeline, '--quiet', '--workers', '1']);
    expect(r.code, r.stderr).toBe(0);
    const outputs = ['curated', 'rejected', 'manifests'].reduce((a, d) => a + bytes(join(out, d)), 0);
    expect(Math.abs(f.outputs_bytes - outputs) / outputs).toBeLessThan(0.25);
    expect(Math.abs(f.work_bytes - bytes(join(out, 'work'))) / bytes(join(out, 'work'))).toBeLessThan(0.25);
    const measured = f.phases.reduce((a, p) => a + (readManifest(out).timings[p.phase]?.cpu_seconds ?? 0), 0);
    const forecast = f.phases.reduce((a, p) => a + p.core_seconds, 0);
    expect(forecast / measured).toBeGreaterThan(0.5);
    expect(forecast / measured).toBeLessThan(2);
  });
});
