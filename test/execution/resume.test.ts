import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureSlice, fixtureTexts, pipelineYaml, readManifest, rows, snapshot, tempDir, winnow, winnowAsync, writePipeline, writeShard } from '../helpers.js';

// Ten shards of 400 long documents: each annotate and decide task takes long enough (half a second
// or so, and a fifth of that) for a kill to land while others are still to do; more only costs
// the suite time (checked with three busy loops beside it).
const SHARDS = 10;
const DOCS_PER_SHARD = 400;

/** Starts a run and SIGKILLs it as soon as `ready` says so; returns whether it was killed mid-way. */
async function killWhen(pipeline: string, ready: () => boolean): Promise<boolean> {
  const child = winnowAsync(['run', pipeline, '--quiet', '--workers', '2']);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let killed = false;
  for (;;) {
    if (child.exitCode !== null) break;
    if (ready()) {
      killed = child.kill('SIGKILL');
      break;
    }
    await sleep(5);
  }
  await exited;
  return killed;
}

const markers = (run: string, phase: string) => {
  const dir = join(run, 'work', 'markers', phase);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).length : 0;
};

describe('resume after a real kill', () => {
  let input = '';
  /** The five sample shards, every fourth row: for the tests of what is reused and what runs again. */
  let small = '';
  let finished: { dir: string; pipeline: string } | undefined;
  /**
   * A copy of one finished run over `small` with the default settings, made the first time a test
   * asks: the tests that start from a finished run share its cost, and each changes a copy of its own.
   */
  const finishedRun = () => {
    if (!finished) {
      const dir = join(tempDir(), 'finished');
      const pipeline = writePipeline(tempDir(), pipelineYaml({ input: small, output: dir }));
      const r = winnow(['run', pipeline, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      finished = { dir, pipeline };
    }
    const copy = join(tempDir(), 'run');
    cpSync(finished.dir, copy, { recursive: true });
    return { out: copy, pipeline: finished.pipeline, manifest: readManifest(finished.dir) };
  };
  beforeAll(async () => {
    small = await fixtureSlice(4);
    // Unique documents made of paragraphs from three real texts each, plus some exact copies.
    const texts = (await fixtureTexts()).map((t) => t.text);
    input = tempDir();
    let n = 0;
    for (let s = 0; s < SHARDS; s++) {
      const docs = Array.from({ length: DOCS_PER_SHARD }, (_, i) => {
        const k = s * DOCS_PER_SHARD + i;
        const text = i % 50 === 0 ? texts[k % 97]! : [texts[k % texts.length], texts[(k * 7 + 3) % texts.length], texts[(k * 13 + 5) % texts.length]].join('\n\n');
        return { id: `doc-${n++}`, text };
      });
      await writeShard(join(input, `shard-${String(s).padStart(2, '0')}.parquet`), docs);
    }
  });

  it('a run killed in annotate and again in decide finishes with the outputs of an uninterrupted run', async () => {
    const straight = join(tempDir(), 'straight');
    const resumed = join(tempDir(), 'resumed');
    const cleanRun = winnow(['run', writePipeline(tempDir(), pipelineYaml({ input, output: straight })), '--quiet', '--workers', '2']);
    expect(cleanRun.code).toBe(0);

    const pipeline = writePipeline(tempDir(), pipelineYaml({ input, output: resumed }));
    const killedInAnnotate = await killWhen(pipeline, () => markers(resumed, 'annotate') >= 1);
    expect(killedInAnnotate).toBe(true);
    const annotatedBeforeKill = markers(resumed, 'annotate');
    expect(annotatedBeforeKill).toBeLessThan(SHARDS);

    const killedInDecide = await killWhen(pipeline, () => markers(resumed, 'decide') >= 1);
    expect(killedInDecide).toBe(true);
    expect(markers(resumed, 'decide')).toBeLessThan(SHARDS);

    const last = winnow(['run', pipeline, '--quiet', '--workers', '2']);
    expect(last.stderr).toBe('');
    expect(last.code).toBe(0);
    const manifest = readManifest(resumed);
    expect(manifest.timings.annotate.tasks_reused).toBe(SHARDS);
    expect(manifest.timings.decide.tasks_reused).toBeGreaterThanOrEqual(1);

    const a = snapshot(straight);
    const b = snapshot(resumed);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [file, bytes] of a) expect(bytes.equals(b.get(file)!), file).toBe(true);
    expect(manifest.counts).toEqual(readManifest(straight).counts);
    expect(manifest.counts.documents.input).toBe(SHARDS * DOCS_PER_SHARD);
  });

  it('a finished run started again reuses every task and changes nothing', () => {
    const { out, pipeline } = finishedRun();
    const before = snapshot(out);
    expect(winnow(['run', pipeline, '--quiet', '--output', out]).code).toBe(0);
    const manifest = readManifest(out);
    for (const phase of ['annotate', 'dedup', 'decide']) expect(manifest.timings[phase].tasks_run).toBe(0);
    const after = snapshot(out);
    for (const [file, bytes] of before) expect(bytes.equals(after.get(file)!), file).toBe(true);
  });

  it('annotates again when what annotate computes changes: signal families, or near-dedup turned on', async () => {
    const { out, manifest: first } = finishedRun(); // 5 shards, no signal families
    const dir = tempDir();
    const run = (families: string, extra = '') => {
      const r = winnow(['run', writePipeline(dir, pipelineYaml({ input: small, output: out, families, extra })), '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      return readManifest(out);
    };
    expect(first.config.resolved.signals.families).toEqual([]);
    expect(first.timings.annotate.tasks_run).toBe(5);
    const withFineweb = run('[fineweb]');
    expect(withFineweb.timings.annotate.tasks_run).toBe(5);
    const columns = await rows<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet('${out}/work/signals/*/*/*.parquet')`);
    expect(columns.map((c) => c.column_name)).toContain('fineweb_line_punct_ratio');
    const near = run('[fineweb]', 'dedup:\n  near: { enabled: true }\n');
    expect(near.timings.annotate.tasks_run).toBe(5);
    expect(near.counts.dedup.near.enabled).toBe(true);
    // A near-dedup setting the signatures do not depend on re-runs only the global phases and decide.
    const threshold = run('[fineweb]', 'dedup:\n  near: { enabled: true, threshold: 0.9 }\n');
    expect(threshold.timings.annotate.tasks_run).toBe(0);
    expect(threshold.timings.cluster.tasks_run).toBe(1);
  });

  it('refuses to resume a run folder over different inputs', () => {
    const { out } = finishedRun();
    const fewer = join(small, 'sample-0[0-2].parquet');
    const r = winnow(['run', writePipeline(tempDir(), pipelineYaml({ input: fewer, output: out })), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^winnow: .* holds a run over other inputs \(5 shards under .*\); choose another --output/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
