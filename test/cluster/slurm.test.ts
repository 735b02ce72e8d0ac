import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { FIXTURE_SHARDS, fixtureTexts, FULL, pipelineYaml, readManifest, ROOT, snapshot, tempDir, winnow, writePipeline, writeShard } from '../helpers.js';

/**
 * A real Slurm of one node (scripts/slurm-single-node.sh starts it: root, Debian's slurm-wlm and
 * munge; `.ci/run` installs them). Started once, for `npm run test:full`; the default suite skips it.
 */
function startSlurm(): string | undefined {
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'slurm-single-node.sh')], { encoding: 'utf8' });
  if (r.status === 0) return undefined;
  return (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0];
}

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' }).trim();

/** The array tasks and jobs of these ids still queued or running, as `<id>[_<index>] <state>`. */
const queued = (ids: string[]): string[] =>
  sh('squeue', ['-h', '-r', '-o', '%i %T'])
    .split('\n')
    .filter((l) => l !== '' && ids.some((id) => l.startsWith(`${id}_`) || l.startsWith(`${id} `)));

async function waitUntil(what: string, ready: () => boolean, seconds = 300): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!ready()) {
    if (Date.now() > end) throw new Error(`timed out after ${seconds} s waiting for ${what}; squeue:\n${sh('squeue', [])}`);
    await sleep(50);
  }
}

describe('winnow slurm on a real Slurm', () => {
  it.skipIf(!FULL)(
    'runs a pipeline as chained job arrays with the bytes of a local run; an array task killed mid-way, submitted again alone, and the phases after it give the same (npm run test:full; skipped where Slurm cannot be started)',
    async (ctx) => {
      const why = startSlurm();
      if (why) {
        console.warn(`skipped: Slurm could not be started here (${why})`);
        ctx.skip();
      }
      // The sample shards and a sixth, larger one (4,000 documents of three texts each, 30 MB):
      // its annotate task takes long enough for a kill to land while it works.
      const input = tempDir();
      cpSync(FIXTURE_SHARDS, input, { recursive: true });
      const texts = (await fixtureTexts()).map((t) => t.text);
      const big = Array.from({ length: 4000 }, (_, i) => ({ id: `big-${i}`, text: [texts[i % texts.length], texts[(i * 7 + 1) % texts.length], texts[(i * 13 + 2) % texts.length]].join('\n\n') }));
      await writeShard(join(input, 'sample-05.parquet'), big);
      const extra = 'dedup:\n  exact: { enabled: true, partitions: 3 }\n  near: { enabled: true, partitions: 2 }\n';
      const families = '[gopher_quality, gopher_repetition, fineweb]';
      const rules = '[basic, gopher-quality, gopher-repetition, fineweb]';
      const local = join(tempDir(), 'local');
      const l = winnow(['run', writePipeline(tempDir(), pipelineYaml({ input, output: local, extra, families, rules })), '--quiet']);
      expect(l.code, l.stderr).toBe(0);

      const out = join(tempDir(), 'slurm');
      const pipeline = writePipeline(tempDir(), pipelineYaml({ input, output: out, extra, families, rules }));
      const submitted = winnow(['slurm', pipeline, '--cpus-per-task', '1']);
      expect(submitted.code, submitted.stderr).toBe(0);
      const jobs = JSON.parse(readFileSync(join(out, 'work', 'cluster', 'slurm', 'jobs.json'), 'utf8')) as { phase: string; job: string; tasks: number; script: string }[];
      expect(jobs.map((j) => [j.phase, j.tasks])).toEqual([
        ['annotate', 6],
        ['dedup', 5],
        ['cluster', 1],
        ['decide', 6],
        ['report', 1],
      ]);

      // The large shard's annotate task, killed once it is at work on its shard (its scratch
      // folder made), as a node that dies takes it.
      const annotate = jobs[0]!;
      await waitUntil('annotate task 5 to start on its shard', () => existsSync(join(out, 'work', 'tmp', 'annotate-5-0')));
      sh('scancel', ['--signal=KILL', `${annotate.job}_5`]);
      await waitUntil('the first chain to end', () => queued(jobs.map((j) => j.job)).length === 0);
      const marker = join(out, 'work', 'markers', 'annotate', '00005-0000.json');
      expect(existsSync(marker), 'the killed task committed nothing').toBe(false);
      expect(existsSync(join(out, 'manifest.json')), 'no later phase ran').toBe(false);

      // That task again, alone, and the phases after it once it succeeded.
      const again = sh('sbatch', ['--parsable', '--array=5', annotate.script]).split(';')[0]!;
      const rest = winnow(['slurm', pipeline, '--cpus-per-task', '1', '--from', 'dedup', '--after', again]);
      expect(rest.code, rest.stderr).toBe(0);
      const later = (JSON.parse(readFileSync(join(out, 'work', 'cluster', 'slurm', 'jobs.json'), 'utf8')) as { job: string }[]).map((j) => j.job);
      await waitUntil('the re-submitted chain to end', () => queued([again, ...later]).length === 0);

      expect(existsSync(marker)).toBe(true);
      const a = snapshot(local);
      const b = snapshot(out);
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [f, bytes] of a) expect(bytes.equals(b.get(f)!), f).toBe(true);
      const manifest = readManifest(out);
      expect(manifest.counts).toEqual(readManifest(local).counts);
      // The re-submitted annotate task ran only its own shard; the others' were kept.
      expect(manifest.timings.annotate.tasks_run).toBe(6);
    },
  );
});
