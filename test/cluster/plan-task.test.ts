import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sliceFrom } from '../../src/cluster/slice-env.js';
import { fixtureSlice, pipelineYaml, readManifest, ROOT, snapshot, tempDir, winnow, writePipeline } from '../helpers.js';

// The slices run in this process from the built code (dist/): the worker pool starts its threads
// from the compiled worker module next to it, and a process per slice would cost the suite a
// second of start-up each (`winnow task` itself is run below for what it adds: arguments, messages).
const dist = (path: string) => join(ROOT, 'dist', 'src', path);
const { runPhaseSlice } = (await import(dist('execution/slice.js'))) as typeof import('../../src/execution/slice.js');
const { phaseName, planCluster, plannedPipeline } = (await import(dist('cluster/plan.js'))) as typeof import('../../src/cluster/plan.js');
const { loadPipeline } = (await import(dist('config/load.js'))) as typeof import('../../src/config/load.js');

/** Exact and near dedup and a rule, over every fourth row of the sample shards: every kind of phase but the models'. */
const extra = 'dedup:\n  exact: { enabled: true, partitions: 3 }\n  near: { enabled: true, partitions: 2 }\n';

describe('a planned run, phase by phase in slices', () => {
  let input = '';
  let local = '';
  beforeAll(async () => {
    input = await fixtureSlice(4);
    local = join(tempDir(), 'local');
    const r = winnow(['run', writePipeline(tempDir(), pipelineYaml({ input, output: local, extra })), '--quiet']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('plans the same tasks twice, the tasks a run makes, and gives the outputs of a local run from 2 slices per phase', async () => {
    const out = join(tempDir(), 'planned');
    const file = writePipeline(tempDir(), pipelineYaml({ input, output: out, extra }));
    const plan = await planCluster(loadPipeline(file), undefined);
    const first = readFileSync(join(out, 'work', 'cluster', 'plan.json'));
    await planCluster(loadPipeline(file), undefined);
    expect(readFileSync(join(out, 'work', 'cluster', 'plan.json'))).toEqual(first);
    expect(plan.phases.map((p) => p.phase)).toEqual(['annotate', 'dedup', 'cluster', 'decide', 'report']);

    const { pipeline } = await plannedPipeline(out, 1);
    // Slices of a phase in reverse order: which process runs which slice, and when, must not matter.
    for (const { phase } of plan.phases) for (const index of [1, 0]) await runPhaseSlice(pipeline, phase, { index, count: 2 });

    const a = snapshot(local);
    const b = snapshot(out);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [f, bytes] of a) expect(bytes.equals(b.get(f)!), f).toBe(true);
    expect(readManifest(out).counts).toEqual(readManifest(local).counts);
    // The plan named every task the phases ran, and no other.
    for (const { phase, tasks } of plan.phases) {
      const markers = readdirSync(join(out, 'work', 'markers', phase)).map((f) => f.replace(/\.json$/, ''));
      expect(markers.sort(), phase).toEqual([...tasks].sort());
    }
    // The manifest's timings sum the slices: every task of each phase run once.
    expect(readManifest(out).timings.annotate).toMatchObject({ tasks_run: 5, tasks_reused: 0 });
    expect(readManifest(out).timings.dedup).toMatchObject({ tasks_run: 5 });
    // Decide again in one slice: its timing replaces the two slices' (not added to them).
    await runPhaseSlice(pipeline, 'decide', { index: 0, count: 1 });
    await runPhaseSlice(pipeline, 'report', { index: 0, count: 1 });
    expect(readManifest(out).timings.decide).toMatchObject({ tasks_run: 0, tasks_reused: 5 });
  });

  it('refuses, in one line, what a batch job must not do', async () => {
    const out = join(tempDir(), 'refused');
    const file = writePipeline(tempDir(), pipelineYaml({ input, output: out, extra }));
    const task = (...args: string[]) => winnow(['task', ...args]);
    const oneLine = (r: { code: number | null; stderr: string }, code: number, pattern: RegExp) => {
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    };
    oneLine(task('annotate', '--run', out), 1, /has been planned|holds no cluster plan/);
    expect(winnow(['plan', file]).code).toBe(0);
    oneLine(task('dedup', '--run', out), 1, /the annotate phase of .* is not complete: 5 of its 5 task\(s\) have not finished .*winnow task annotate/);
    // Commander's own message, with its pointer to --help.
    expect(task('annotate', '--run', out, '--index', '-1').stderr).toMatch(/expected a whole number from 0/);
    // The rest in this process: the command line prints each as the two above.
    expect(() => phaseName('sort')).toThrow(/no phase named "sort"; the phases are annotate, score, dedup/);
    const { pipeline } = await plannedPipeline(out, 1);
    await expect(runPhaseSlice(pipeline, 'annotate', { index: 3, count: 3 })).rejects.toThrow(/task index 3 of 3/);
    writeFileSync(file, pipelineYaml({ input, output: out, extra, rules: '[basic, gopher-quality]', families: '[gopher_quality]' }));
    await expect(plannedPipeline(out, 1)).rejects.toThrow(/has changed since .* was planned: plan again/);
  });
});

describe('the slice a task runs', () => {
  it('comes from --index and --count, else from Slurm, Kubernetes or winnow variables, else is the whole phase', () => {
    expect(sliceFrom({}, {})).toEqual({ index: 0, count: 1 });
    expect(sliceFrom({ index: 2, count: 5 }, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 2, count: 5 });
    expect(sliceFrom({}, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 3, count: 4 });
    // A Slurm task re-submitted alone (--array=3) has a count of 1: the script's --count wins.
    expect(sliceFrom({ count: 4 }, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '1' })).toEqual({ index: 3, count: 4 });
    expect(sliceFrom({}, { JOB_COMPLETION_INDEX: '6', WINNOW_TASK_COUNT: '8' })).toEqual({ index: 6, count: 8 });
    expect(sliceFrom({}, { WINNOW_TASK_INDEX: '1', WINNOW_TASK_COUNT: '2' })).toEqual({ index: 1, count: 2 });
    expect(() => sliceFrom({}, { JOB_COMPLETION_INDEX: '6' })).toThrow(/without a count: give --count \(or WINNOW_TASK_COUNT\)/);
    // Index 0 of an unknown count is not the whole phase (index 0 would run every task, the others fail).
    expect(() => sliceFrom({}, { JOB_COMPLETION_INDEX: '0' })).toThrow(/without a count/);
    expect(() => sliceFrom({ index: 0 }, {})).toThrow(/without a count/);
    expect(() => sliceFrom({}, { SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '4' })).toThrow(/SLURM_ARRAY_TASK_ID="x" is not a task index/);
    expect(() => sliceFrom({ index: 4, count: 4 }, {})).toThrow(/task index 4 of 4/);
  });
});
