import { describe, expect, it } from 'vitest';
import { resultConfig } from '../../src/config/identity.js';
import { loadPipeline } from '../../src/config/load.js';
import { emptyOutcomes, phaseOrder, PHASE_TABLE, PHASE_UNITS } from '../../src/execution/phase-table.js';
import { listShards } from '../../src/io/inputs.js';
import { PHASE_NAMES } from '../../src/io/layout.js';
import type { PhaseTiming } from '../../src/phases/report.js';
import { DRY_RUN } from '../helpers.js';

describe('the phase table', () => {
  it('runs the phases PHASE_NAMES names, in that order, the report last, each with its display units', () => {
    expect(phaseOrder().map((p) => p.phase)).toEqual([...PHASE_NAMES]);
    expect(PHASE_TABLE.at(-1)!.name).toBe('report');
    expect(Object.keys(PHASE_UNITS).sort()).toEqual([...PHASE_NAMES].sort());
  });

  it("plans the report as one task whose fingerprint holds this run's start and timings, so no later run reuses it", async () => {
    const pipeline = loadPipeline(DRY_RUN);
    const inputs = await listShards(pipeline.input.path);
    const config = resultConfig(pipeline);
    const report = PHASE_TABLE.find((s) => s.name === 'report')!;
    const timing: PhaseTiming = { seconds: 1, cpu_seconds: 1, peak_rss_bytes: 1, tasks_run: 5, tasks_reused: 0 };
    const plan = (startedAt: string, annotate: PhaseTiming) =>
      report.plan({ pipeline, plan: { inputRoot: inputs.root, shards: inputs.shards }, config, startedAt, timings: { annotate } }, emptyOutcomes());

    const first = plan('2026-01-01T00:00:00.000Z', timing);
    expect(first.map((t) => t.task)).toEqual(['manifest']);
    expect(first[0]!.input).toMatchObject({ facts: { startedAt: '2026-01-01T00:00:00.000Z', workers: pipeline.execution.workers, timings: { annotate: timing } } });
    expect(plan('2026-01-01T00:00:00.000Z', { ...timing })[0]!.fingerprint).toBe(first[0]!.fingerprint);
    expect(plan('2026-01-02T00:00:00.000Z', timing)[0]!.fingerprint).not.toBe(first[0]!.fingerprint);
    expect(plan('2026-01-01T00:00:00.000Z', { ...timing, tasks_run: 0, tasks_reused: 5 })[0]!.fingerprint).not.toBe(first[0]!.fingerprint);
  });
});
