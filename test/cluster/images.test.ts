import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { k8sApplyScript, k8sJobs } from '../../src/cluster/k8s.js';
import type { ClusterPlan } from '../../src/cluster/plan.js';
import { slurmJobs } from '../../src/cluster/slurm.js';
import { ROOT } from '../helpers.js';

// Kubernetes and Docker cannot run on the development machines (no cluster, no container engine):
// these tests check what winnow writes for them against what they need, without them.

const plan: ClusterPlan = {
  version: 1,
  pipeline: { file: '/data/pipelines/medical.yaml', input: null },
  output: '/data/runs/Medical Run 7',
  config_hash: 'x',
  shards: 250,
  phases: [
    { phase: 'annotate', tasks: Array.from({ length: 250 }, (_, i) => String(i).padStart(5, '0')) },
    { phase: 'dedup', tasks: ['exact-00000', 'exact-00001'] },
    { phase: 'cluster', tasks: ['near'] },
    { phase: 'decide', tasks: Array.from({ length: 250 }, (_, i) => String(i).padStart(5, '0')) },
    { phase: 'report', tasks: ['manifest'] },
  ],
};

describe('winnow k8s', () => {
  const jobs = k8sJobs(plan, { image: 'registry.example/winnow:1', claim: 'corpus', mount: '/data', cpus: 8, memory: '16Gi', parallelism: 32, maxTasks: 100, retries: 2, namespace: 'curation' });

  it('writes one Indexed Job per phase, in run order, each pod running its slice of the phase', () => {
    expect(jobs.map((j) => [j.phase, j.tasks])).toEqual([
      ['annotate', 100],
      ['dedup', 2],
      ['cluster', 1],
      ['decide', 100],
      ['report', 1],
    ]);
    for (const [i, j] of jobs.entries()) {
      const m = j.manifest;
      // A DNS-1123 name: lower case, digits and '-', at most 63 characters, phase order in it.
      expect(m.metadata!.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(m.metadata!.name!.length).toBeLessThanOrEqual(63);
      expect(m.metadata!.name).toContain(`-0${i + 1}-${j.phase}`);
      expect(m.metadata!.namespace).toBe('curation');
      expect(m.spec).toMatchObject({ completionMode: 'Indexed', completions: j.tasks, parallelism: Math.min(j.tasks, 32), backoffLimitPerIndex: 2, maxFailedIndexes: 0, podReplacementPolicy: 'Failed' });
      const pod = m.spec!.template.spec!;
      expect(pod.restartPolicy).toBe('Never');
      const c = pod.containers[0]!;
      // The image's entry point is winnow: the arguments are a `winnow task` command line, its count the Job's completions.
      expect(c.args).toEqual(['task', j.phase, '--run', '/data/runs/Medical Run 7', '--count', String(j.tasks), '--workers', '8', '--quiet']);
      expect(c.env).toContainEqual({ name: 'WINNOW_TASK_COUNT', value: String(j.tasks) });
      expect(c.resources).toEqual({ requests: { cpu: '8', memory: '16Gi' }, limits: { memory: '16Gi' } });
      expect(c.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
      expect(pod.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'corpus' } }]);
    }
  });

  it('for a run on S3, mounts no volume, takes the store settings from a Secret, and writes where --scripts says', () => {
    const s3Plan = { ...plan, output: 's3://corpus/runs/medical' };
    expect(() => k8sJobs(s3Plan, { image: 'w', mount: '/data', cpus: 2, parallelism: 4, maxTasks: 10, retries: 1 })).toThrow(/the run is on S3 \(s3:\/\/corpus\/runs\/medical\): give --scripts DIR/);
    const s3Jobs = k8sJobs(s3Plan, { image: 'w', mount: '/data', secret: 'winnow-s3', scripts: '/tmp/jobs', cpus: 2, parallelism: 4, maxTasks: 10, retries: 1 });
    for (const j of s3Jobs) {
      const pod = j.manifest.spec!.template.spec!;
      expect(pod.volumes).toBeUndefined();
      expect(pod.containers[0]!.volumeMounts).toBeUndefined();
      expect(pod.containers[0]!.envFrom).toEqual([{ secretRef: { name: 'winnow-s3' } }]);
      expect(pod.containers[0]!.args!.slice(0, 4)).toEqual(['task', j.phase, '--run', 's3://corpus/runs/medical']);
      expect(j.file.startsWith('/tmp/jobs/')).toBe(true);
    }
  });

  it('applies the Jobs in order, each after the one before completed, with a script bash accepts', () => {
    const script = k8sApplyScript(jobs, 'curation');
    // The run folder's name has spaces: the files are quoted.
    const applied = [...script.matchAll(/create -f (.+)$/gm)].map((m) => m[1]);
    expect(applied).toEqual(jobs.map((j) => `'${j.file}'`));
    const waits = [...script.matchAll(/^finished (\S+)$/gm)].map((m) => m[1]);
    expect(waits).toEqual(jobs.map((j) => j.name));
    // Each Job made afresh: a same-named Job left complete by an earlier run must not pass the barrier.
    for (const j of jobs) expect(script.indexOf(`delete job ${j.name} --ignore-not-found --wait=true`)).toBeLessThan(script.indexOf(`create -f '${j.file}'`));
    expect(script.indexOf(`finished ${jobs[0]!.name}`)).toBeLessThan(script.indexOf(`create -f '${jobs[1]!.file}'`));
    const syntax = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
  });
});

describe('winnow slurm scripts', () => {
  it('are job arrays for the parallel phases with the count written in, and bash accepts them', () => {
    const options = { command: 'winnow', cpusPerTask: 8, maxArrayTasks: 100, requeue: false, extra: [] };
    // #SBATCH lines take no quoting, and '%' is a pattern in --output: such run folders are refused.
    expect(() => slurmJobs(plan, options)).toThrow(/has a space, quote, backslash or '%'/);
    expect(() => slurmJobs({ ...plan, output: '/data/runs/100%' }, options)).toThrow(/sbatch's --output cannot hold/);
    const jobs = slurmJobs({ ...plan, output: '/data/runs/medical-7' }, { command: 'winnow', cpusPerTask: 8, mem: '16G', time: '4:00:00', partition: 'cpu', maxArrayTasks: 100, requeue: true, extra: ['--constraint=avx2'] });
    expect(jobs.map((j) => [j.phase, j.tasks])).toEqual([
      ['annotate', 100],
      ['dedup', 2],
      ['cluster', 1],
      ['decide', 100],
      ['report', 1],
    ]);
    const annotate = jobs[0]!.script;
    for (const line of ['#SBATCH --array=0-99', '#SBATCH --cpus-per-task=8', '#SBATCH --mem=16G', '#SBATCH --time=4:00:00', '#SBATCH --partition=cpu', '#SBATCH --requeue', '#SBATCH --constraint=avx2']) {
      expect(annotate).toContain(line);
    }
    expect(annotate).toContain(`exec winnow task annotate --run /data/runs/medical-7 --count 100 --workers "\${SLURM_CPUS_PER_TASK:-8}" --quiet`);
    expect(jobs[2]!.script).not.toContain('--array');
    // A run on S3: the scripts and logs where --scripts says, on storage every node sees.
    const s3Plan = { ...plan, output: 's3://corpus/runs/medical' };
    expect(() => slurmJobs(s3Plan, options)).toThrow(/the run is on S3 \(s3:\/\/corpus\/runs\/medical\): give --scripts DIR, a folder for the job scripts and logs/);
    const s3Jobs = slurmJobs(s3Plan, { ...options, scripts: '/shared/jobs/medical' });
    expect(s3Jobs[0]!.file).toBe('/shared/jobs/medical/01-annotate.sbatch');
    expect(s3Jobs[0]!.script).toContain('#SBATCH --output=/shared/jobs/medical/logs/annotate-%A_%a.log');
    expect(s3Jobs[0]!.script).toContain('exec winnow task annotate --run s3://corpus/runs/medical --count 100');
    expect(jobs[2]!.script).toContain('--index 0 --count 1');
    for (const j of jobs) expect(spawnSync('bash', ['-n'], { input: j.script, encoding: 'utf8' }).status).toBe(0);
  });
});

describe('the Dockerfile', () => {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const stages = text.split(/^FROM /m).slice(1);

  it('builds on the Node major version winnow supports, and its entry point is winnow', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const major = /(\d+)/.exec(pkg.engines.node)![1];
    for (const from of lines.filter((l) => l.startsWith('FROM '))) expect(from).toMatch(new RegExp(`^FROM node:${major}-`));
    expect(lines.find((l) => l.startsWith('ENTRYPOINT'))).toBe('ENTRYPOINT ["node", "/opt/winnow/bin/winnow.js"]');
  });

  it('copies files that exist, and the run stage has everything winnow reads at run time', () => {
    for (const l of lines.filter((x) => x.startsWith('COPY ') && !x.includes('--from='))) {
      const sources = l.split(/\s+/).slice(1, -1);
      for (const s of sources) expect(existsSync(join(ROOT, s)), l).toBe(true);
    }
    const run = stages.at(-1)!;
    // What src/ finds beside the package at run time (PACKAGE_ROOT): built code, rules, shipped models and trees.
    for (const path of ['package.json', 'bin', 'rules', 'fixtures', 'pipelines']) expect(run).toMatch(new RegExp(`^COPY ${path} `, 'm'));
    expect(run).toMatch(/^COPY --from=build \/opt\/winnow\/dist \.\/dist$/m);
    expect(run).toMatch(/^COPY --from=build \/opt\/winnow\/node_modules \.\/node_modules$/m);
    // The build stage compiles every folder tsconfig.json includes, and keeps only the run-time dependencies.
    const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { include: string[] };
    for (const dir of tsconfig.include) expect(stages[0]).toMatch(new RegExp(`^COPY ${dir} \\./${dir}$`, 'm'));
    expect(stages[0]).toMatch(/npm prune --omit=dev/);
    // Nothing the build needs is left out by .dockerignore.
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').filter(Boolean);
    for (const needed of ['src', 'bin', 'rules', 'fixtures', 'package-lock.json']) expect(ignored).not.toContain(needed);
    expect(readdirSync(join(ROOT, 'fixtures', 'models')).length).toBeGreaterThan(0);
  });
});

describe('generated YAML', () => {
  it('parses back to the manifests, with no YAML aliases', async () => {
    const { stringify } = await import('yaml');
    const [job] = k8sJobs(plan, { image: 'w', claim: 'c', mount: '/data', cpus: 1, parallelism: 1, maxTasks: 4, retries: 0 });
    const text = stringify(job!.manifest, { aliasDuplicateObjects: false });
    expect(text).not.toMatch(/[&*]a\d/);
    expect(parse(text)).toEqual(job!.manifest);
  });
});
