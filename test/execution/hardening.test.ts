import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { lockRunFolder } from '../../src/io/run-lock.js';
import { RunLayout } from '../../src/io/layout.js';
import { accounting, FIXTURE_SHARDS, FULL, ROOT, fixtureTexts, pipelineYaml, readManifest, snapshot, tempDir, winnow, winnowAsync, writePipeline, writeShard } from '../helpers.js';

// Failures a careless or hostile user meets: each must end with winnow's own one-line message and
// exit code, never a stack trace, a native abort (exit 134) or a hang, and must lose nothing.

const GOOD = join(FIXTURE_SHARDS, 'sample-04.parquet');
const BIN = join(ROOT, 'bin', 'winnow.js');

/** An input folder of `n` small fixture shards. */
function smallInput(n = 2): string {
  const input = tempDir('in-');
  for (let i = 0; i < n; i++) copyFileSync(GOOD, join(input, `s-${i}.parquet`));
  return input;
}

const pipelineFor = (input: string, output: string, extra: Partial<Parameters<typeof pipelineYaml>[0]> = {}) =>
  writePipeline(tempDir('p-'), pipelineYaml({ input, output, ...extra }));

const run = (pipeline: string, workers = 2, args: string[] = []) => winnow(['run', pipeline, '--quiet', '--workers', String(workers), ...args]);

/** The message is winnow's: one line, no stack frames, no native abort text. */
function expectOneLine(stderr: string): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines.length, stderr).toBe(1);
  expect(lines[0]).toMatch(/^winnow: /);
  expect(stderr).not.toMatch(/\n\s+at |terminate called|Napi::Error|ENOENT/);
}

const listing = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).sort();

describe('one run per run folder', () => {
  it('a run folder held by another run is refused, naming its pid and host; nothing is written', async () => {
    const output = join(tempDir(), 'run');
    const lock = await lockRunFolder(new RunLayout(output), () => undefined);
    try {
      const r = run(pipelineFor(smallInput(), output));
      expect(r.code).toBe(1);
      expectOneLine(r.stderr);
      expect(r.stderr).toContain(`is in use by another winnow run (pid ${process.pid} on host ${hostname()}, started `);
      expect(existsSync(join(output, 'curated'))).toBe(false);
      expect(existsSync(join(output, 'work'))).toBe(false);
    } finally {
      await lock.release();
    }
    expect(run(pipelineFor(smallInput(), output)).code).toBe(0);
  });

  it('two runs started together: each finishes or is refused with the lock message, and the outputs are whole', async () => {
    const input = smallInput(4);
    // A race: each round is another chance to catch it; `npm run test:full` plays more of them.
    for (let round = 0; round < (FULL ? 2 : 1); round++) {
      const output = join(tempDir(), 'run');
      const pipeline = pipelineFor(input, output);
      const started = [0, 1].map(() => {
        const child = winnowAsync(['run', pipeline, '--quiet', '--workers', '2']);
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
          child.on('close', (code, signal) => resolve({ code, signal, stderr })),
        );
      });
      const results = await Promise.all(started);
      for (const r of results) {
        expect(r.signal).toBeNull();
        expect([0, 1]).toContain(r.code);
        if (r.code === 1) {
          expectOneLine(r.stderr);
          expect(r.stderr).toMatch(/is in use by another winnow run/);
        }
      }
      expect(results.some((r) => r.code === 0)).toBe(true);
      const ids = await accounting(input, output);
      expect([...ids.curated, ...ids.rejected].sort()).toEqual([...ids.input].sort());
    }
  });

  it('a lock left by a killed run is taken over: at once on the same host, after the heartbeat timeout elsewhere', async () => {
    const input = smallInput();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const cases = [
      { owner: { pid: dead, host: hostname() }, age: 0, taken: true },
      { owner: { pid: 4242, host: 'node-17.cluster' }, age: 10 * 60, taken: true },
      { owner: { pid: 4242, host: 'node-17.cluster' }, age: 0, taken: false },
    ];
    for (const c of cases) {
      const output = join(tempDir(), 'run');
      const layout = new RunLayout(output);
      mkdirSync(layout.lock, { recursive: true });
      writeFileSync(layout.lockOwner, JSON.stringify({ ...c.owner, started_at: '2026-01-01T00:00:00.000Z', command: 'winnow run x' }));
      const then = Date.now() / 1000 - c.age;
      utimesSync(layout.lock, then, then);
      const r = run(pipelineFor(input, output));
      if (c.taken) {
        expect(r.code, r.stderr).toBe(0);
        expect(existsSync(layout.lock)).toBe(false);
      } else {
        expect(r.code).toBe(1);
        expectOneLine(r.stderr);
        expect(r.stderr).toContain('(pid 4242 on host node-17.cluster, started 2026-01-01T00:00:00.000Z)');
      }
    }
  });
});

describe('output and input never mix', () => {
  it('refuses a run folder equal to, inside, linked into or matched by the input, and writes nothing there', () => {
    const input = smallInput();
    const before = listing(input);
    const linkParent = tempDir();
    symlinkSync(input, join(linkParent, 'link'));
    const holder = tempDir();
    mkdirSync(join(holder, 'shards'));
    copyFileSync(GOOD, join(holder, 'shards', 'a.parquet'));
    const cases: [string, string, RegExp][] = [
      [input, input, /is the input folder/],
      [input, join(input, 'runs', 'r1'), /is inside the input folder/],
      [input, join(linkParent, 'link', 'out'), /is inside the input folder/],
      [`${input}/**/*.parquet`, join(input, 'out'), /is matched by the input pattern/],
      [join(holder, 'shards'), holder, /holds input shard/],
    ];
    for (const [from, output, why] of cases) {
      const r = run(pipelineFor(from, output));
      expect(r.code, `${from} -> ${output}`).toBe(1);
      expectOneLine(r.stderr);
      expect(r.stderr).toMatch(why);
      expect(r.stderr).toMatch(/choose a run folder \(--output\) outside the input/);
      expect(r.stderr).not.toMatch(/delete/);
    }
    expect(listing(input)).toEqual(before);
  });

  it('refuses an existing folder holding files winnow did not write', () => {
    const output = tempDir();
    for (const name of ['thesis.tex', 'data.csv', 'notes.md', 'z.txt']) writeFileSync(join(output, name), 'mine');
    const r = run(pipelineFor(smallInput(), output));
    expect(r.code).toBe(1);
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/already holds files winnow did not write \("data.csv", "notes.md", "thesis.tex" and 1 more\)/);
    expect(readdirSync(output).sort()).toEqual(['data.csv', 'notes.md', 'thesis.tex', 'z.txt']);
  });

  it('sees a run that has just taken the lock as a run in use, not as somebody else\'s files', async () => {
    // The moment CI caught: the first run holds the lock and is writing its note (write-file-atomic's
    // `.winnow.lock.json.<n>` temporary); the second must be refused with the lock message.
    const output = tempDir();
    const layout = new RunLayout(output);
    const lock = await lockRunFolder(layout, () => undefined);
    try {
      writeFileSync(`${layout.lockOwner}.470839929`, '{');
      const r = run(pipelineFor(smallInput(1), output));
      expect(r.code).toBe(1);
      expectOneLine(r.stderr);
      expect(r.stderr).toMatch(/is in use by another winnow run/);
    } finally {
      await lock.release();
    }
  });
});

describe('faults end with a message, not a crash', () => {
  it('several unreadable shards with two workers: always exit 1 with a message naming a shard (repeated for the race)', () => {
    const input = smallInput(1);
    const bytes = readFileSync(GOOD);
    for (const name of ['b', 'c', 'd']) {
      const broken = Buffer.from(bytes);
      for (let i = Math.floor(broken.length * 0.2); i < broken.length * 0.7; i++) broken[i]! ^= 0x5a;
      writeFileSync(join(input, `${name}-corrupt.parquet`), broken);
    }
    const pipeline = pipelineFor(input, join(tempDir(), 'run'));
    // Before the fix, 5 runs in 6 of this setup aborted natively: 2 runs catch that 35 times in
    // 36, the 6 of `npm run test:full` nearly always.
    for (let i = 0; i < (FULL ? 6 : 2); i++) {
      const r = run(pipeline, 2);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(/terminate called|Napi::Error|\n\s+at /);
      expect(r.stderr).toMatch(/^winnow: .*-corrupt\.parquet/);
    }
  });

  it('a read-only run folder: one line naming the folder and the cause', () => {
    const parent = tempDir();
    const input = smallInput();
    const pipeline = pipelineFor(input, join(parent, 'run'));
    let r;
    if (process.getuid?.() === 0) {
      // root writes anywhere: run as nobody, with the test's files readable by all.
      for (const dir of [dirname(parent), parent, input, dirname(pipeline)]) chmodSync(dir, 0o755);
      chmodSync(pipeline, 0o644);
      chmodSync(parent, 0o555);
      const res = spawnSync(process.execPath, [BIN, 'run', pipeline, '--quiet'], { encoding: 'utf8', uid: 65534, gid: 65534, env: { ...process.env, HOME: parent } });
      r = { code: res.status, stderr: res.stderr };
    } else {
      chmodSync(parent, 0o555);
      r = run(pipeline);
    }
    expect(r.code).toBe(1);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain(`cannot create the folder ${join(parent, 'run')}: permission denied (EACCES)`);
  });

  it('why with a run folder that does not exist: one line', () => {
    const r = winnow(['why', 'doc-1', '--run', join(tempDir(), 'nowhere')]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/nowhere/);
  });

  it('a 1 MB id is shortened in the summary', async () => {
    const input = tempDir();
    const id = `id-${'x'.repeat(1 << 20)}`;
    await writeShard(join(input, 'a.parquet'), [
      { id, text: 'too short to keep' },
      { id: 'ok', text: 'A document with enough words to be kept by the basic rules. '.repeat(10) },
    ]);
    const r = winnow(['run', pipelineFor(input, join(tempDir(), 'run')), '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeLessThan(4000);
    expect(r.stdout).toMatch(/e\.g\. id-x{30,40}…/);
  });
});

describe('a stopped run', () => {
  let input = '';
  beforeAll(async () => {
    const texts = (await fixtureTexts()).map((t) => t.text);
    input = tempDir();
    for (let s = 0; s < 4; s++) {
      const docs = Array.from({ length: 400 }, (_, i) => ({ id: `d-${s}-${i}`, text: `${texts[(s * 400 + i) % texts.length]}\n\n${texts[(s * 7 + i * 3) % texts.length]}` }));
      await writeShard(join(input, `shard-${s}.parquet`), docs);
    }
  });

  it('SIGTERM stops between tasks with exit 143, and the resumed run equals an uninterrupted one', async () => {
    const families = '[gopher_quality]';
    const straight = join(tempDir(), 'straight');
    expect(run(pipelineFor(input, straight, { families }), 1).code).toBe(0);

    const output = join(tempDir(), 'stopped');
    const pipeline = pipelineFor(input, output, { families });
    const child = winnowAsync(['run', pipeline, '--quiet', '--workers', '1']);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const markers = join(output, 'work', 'markers', 'annotate');
    while (child.exitCode === null && !(existsSync(markers) && readdirSync(markers).some((f) => f.endsWith('.json')))) await sleep(5);
    child.kill('SIGTERM');
    const code = await exited;
    expect(code, stderr).toBe(143);
    expect(stderr).toMatch(/SIGTERM received, stopping/);
    expect(stderr).toMatch(/winnow: stopped by SIGTERM: completed tasks are kept; run the same command again to resume/);
    expect(stderr).not.toMatch(/\n\s+at |terminate called/);
    expect(existsSync(join(output, '.winnow.lock'))).toBe(false);
    expect(existsSync(join(output, 'manifest.json'))).toBe(false);

    const resumed = run(pipeline, 2);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readManifest(output).timings.annotate.tasks_reused).toBeGreaterThanOrEqual(1);
    const a = snapshot(straight);
    const b = snapshot(output);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [file, bytes] of a) expect(bytes.equals(b.get(file)!), file).toBe(true);
  });
});
