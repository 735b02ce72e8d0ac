import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipeline, type Pipeline } from '../../src/config/load.js';
import { SIGNAL_FAMILIES } from '../../src/config/pipeline.js';
import { planRun } from '../../src/execution/plan.js';
import { annotateTasks } from '../../src/execution/runner.js';
import { listShards } from '../../src/io/inputs.js';
import { RunLayout } from '../../src/io/layout.js';
import { PHASE_VERSIONS } from '../../src/phases/versions.js';
import { createAnnotator } from '../../src/signals/annotator.js';
import { gopherQualityFamily } from '../../src/signals/gopher-quality.js';
import { pipelineFamilies } from '../../src/signals/registry.js';
import { DRY_RUN, FIXTURE_SHARDS, fixtureTexts, pipelineYaml, readManifest, ROOT, sharedDryRun, snapshot, tempDir, winnow, writePipeline, writeShard } from '../helpers.js';

// Task markers key on code versions (src/phases/versions.ts, SignalFamily.version), not on the
// git revision. These tests hold the versions to the outputs: the recorded digests of what each
// family measures, what the text passes produce and what the dry run writes change only together
// with a version. After a change that changes outputs on purpose, raise the version(s) and run
//   WINNOW_UPDATE_CODE_VERSIONS=1 npx vitest run test/execution/code-versions.test.ts

const TABLE = join(ROOT, 'test', 'code-versions.json');
const UPDATE = process.env.WINNOW_UPDATE_CODE_VERSIONS === '1';

interface Entry {
  version: unknown;
  sha256: string;
}
type Table = Record<string, Entry>;

const table: Table = existsSync(TABLE) ? JSON.parse(readFileSync(TABLE, 'utf8')) : {};
const found: Table = {};

function check(key: string, version: unknown, sha256: string): void {
  found[key] = { version, sha256 };
  if (UPDATE) {
    writeFileSync(TABLE, `${JSON.stringify({ ...table, ...found }, null, 2)}\n`);
    return;
  }
  const recorded = table[key];
  expect(recorded, `${key} is not in test/code-versions.json: run with WINNOW_UPDATE_CODE_VERSIONS=1`).toBeDefined();
  if (JSON.stringify(recorded!.version) === JSON.stringify(version)) {
    expect(sha256, `${key}'s outputs changed but its version (${JSON.stringify(version)}) did not: raise it (src/phases/versions.ts or the family's version), then update the table`).toBe(recorded!.sha256);
  } else {
    expect.fail(`${key}'s version changed to ${JSON.stringify(version)}: update test/code-versions.json (WINNOW_UPDATE_CODE_VERSIONS=1)`);
  }
}

const digest = (value: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v)))
    .digest('hex');

/** The dry run's pipeline with every family on, so each is measured. */
function everyFamily(): Pipeline {
  const p = loadPipeline(DRY_RUN);
  const tree = join(ROOT, 'fixtures', 'met', 'met.json.gz');
  const metTree = { path: tree, sha256: createHash('sha256').update(readFileSync(tree)).digest('hex') };
  return { ...p, metTree, signals: { ...p.signals, families: [...SIGNAL_FAMILIES] } };
}

describe('fingerprints by code version', () => {
  it('each family measures what its version recorded, and the text passes what annotate\'s did', async () => {
    const pipeline = everyFamily();
    const annotator = await createAnnotator(pipeline);
    const texts = (await fixtureTexts()).filter((_, i) => i % 8 === 0);
    const annotated = texts.map((t) => annotator.annotate(t.text, null));
    check('annotate: text passes', PHASE_VERSIONS.annotate, digest(annotated.map((a) => a.text)));
    let at = 0;
    for (const family of pipelineFamilies(pipeline)) {
      const width = family.signals.length;
      const from = at;
      check(`family ${family.name}`, family.version, digest(annotated.map((a) => a.values.slice(from, from + width))));
      at += width;
    }
  });

  it('the dry run writes what the phase and family versions recorded', async () => {
    const { dir, code } = await sharedDryRun();
    expect(code).toBe(0);
    const files: [string, string][] = [];
    for (const sub of ['curated', 'rejected', 'manifests']) {
      for (const f of readdirSync(join(dir, sub)).sort()) files.push([`${sub}/${f}`, createHash('sha256').update(readFileSync(join(dir, sub, f))).digest('hex')]);
    }
    const families = Object.fromEntries(pipelineFamilies(loadPipeline(DRY_RUN)).map((f) => [f.name, f.version]));
    check('dry run outputs', { phases: PHASE_VERSIONS, families }, digest(files));
  });

  it('an annotate fingerprint changes when a family version does, and is stable otherwise', async () => {
    const pipeline = loadPipeline(DRY_RUN);
    const plan = await planRun(await listShards(pipeline.input.path), new RunLayout(join(tempDir(), 'run')), pipeline);
    const prints = () => annotateTasks(pipeline, plan).map((t) => t.fingerprint);
    const before = prints();
    expect(prints()).toEqual(before);
    const version = gopherQualityFamily.version;
    try {
      (gopherQualityFamily as { version: number }).version = version + 1;
      const after = prints();
      for (let i = 0; i < before.length; i++) expect(after[i]).not.toBe(before[i]);
    } finally {
      (gopherQualityFamily as { version: number }).version = version;
    }
    expect(prints()).toEqual(before);
  });
});

describe('fingerprints by content', () => {
  it('a shard touched but unchanged is hashed again and nothing after annotate runs; a changed one re-decides', async () => {
    const input = tempDir();
    for (const name of ['sample-00.parquet', 'sample-04.parquet']) copyFileSync(join(FIXTURE_SHARDS, name), join(input, name));
    const output = join(tempDir(), 'run');
    const pipeline = writePipeline(tempDir(), pipelineYaml({ input, output, families: '[gopher_quality]', extra: 'dedup:\n  exact: { enabled: true, partitions: 2 }\n' }));
    const run = () => {
      const r = winnow(['run', pipeline, '--quiet', '--workers', '2']);
      expect(r.code, r.stderr).toBe(0);
      return readManifest(output).timings as Record<string, { tasks_run: number; tasks_reused: number }>;
    };
    run();
    const before = snapshot(output);

    const later = Date.now() / 1000 + 3600;
    for (const name of readdirSync(input)) utimesSync(join(input, name), later, later);
    const touched = run();
    expect(touched.annotate!.tasks_run).toBe(2); // hashed, annotation kept
    expect(touched.dedup!.tasks_run).toBe(0);
    expect(touched.decide!.tasks_run).toBe(0);
    const after = snapshot(output);
    for (const [file, bytes] of before) expect(bytes.equals(after.get(file)!), file).toBe(true);

    const texts = await fixtureTexts();
    await writeShard(join(input, 'sample-04.parquet'), texts.slice(0, 30).map((t) => ({ id: `new-${t.id}`, text: t.text })));
    const changed = run();
    expect(changed.annotate!.tasks_run).toBe(1); // the other shard's marker now holds its new mtime
    expect(changed.annotate!.tasks_reused).toBe(1);
    expect(changed.decide!.tasks_reused).toBe(0); // exact dedup spans shards: every shard re-decides
  });
});
