import { rmSync } from 'node:fs';
import { portableModel, resultConfig } from '../config/identity.js';
import type { Pipeline } from '../config/load.js';
import type { ResolvedModel } from '../config/models.js';
import { hashOf } from '../config/hash.js';
import { readPart, type InputShard } from '../io/inputs.js';
import { InputError } from '../io/errors.js';
import { partLabel, PHASE_NAMES, RunKeys, shardLabel, type PhaseName, type RunLayout } from '../io/layout.js';
import { annotatedShards, annotateShard, annotationContent, signalsExist, type AnnotateResult } from '../phases/annotate.js';
import { boilerplatePartition, type BoilerplateResult } from '../phases/boilerplate.js';
import type { RunPlan, TaskContext } from '../phases/context.js';
import { decideShard, type DecideInputs, type ShardManifest } from '../phases/decide.js';
import type { SourceInputs } from '../phases/reason-source.js';
import { exactDedupPartition, type ExactDedupResult } from '../phases/exact-dedup.js';
import { nearClusters, nearPairsPartition, type NearClustersResult, type NearPairsResult } from '../phases/near-dedup.js';
import { metCoverage } from '../phases/met-coverage.js';
import { metTallyShard, type MetTallyResult } from '../phases/met-tally.js';
import { quantileRules, quantileThresholds } from '../phases/quantiles.js';
import { scoreShard, type ScoreResult } from '../phases/score.js';
import type { ScoreFiles } from '../phases/signals-sql.js';
import type { MetCoverage } from '../met/coverage.js';
import { RUN_MANIFEST_VERSION, winnowFacts, writeRunManifest, type IterationFacts, type PhaseTiming, type ReportInput, type RunManifest } from '../phases/report.js';
import { PHASE_VERSIONS } from '../phases/versions.js';
import type { QuantileThreshold } from '../decisions/quantiles.js';
import { annotateFamilies } from '../signals/registry.js';
import { previousResult } from './markers.js';
import { fileStamp, partsOf } from './parts.js';
import type { TaskMessage } from './tasks.js';

/**
 * The phase table: every step of a run, defined once, in run order. A step plans its tasks from
 * the run plan and the results of the steps before it, and says how one of its tasks runs in a
 * worker thread. The runner runs the steps in this order (steps that share a `phase` run as one
 * executor phase, with one marker folder), and the worker dispatches a task to its step's `run`.
 */

/** What each step's tasks return (and what their completion markers hold). */
export interface StepResults {
  annotate: AnnotateResult;
  score: ScoreResult;
  exact: ExactDedupResult;
  nearPairs: NearPairsResult;
  lines: BoilerplateResult;
  cluster: NearClustersResult;
  quantiles: QuantileThreshold[];
  metTally: MetTallyResult;
  metCoverage: MetCoverage;
  decide: ShardManifest;
  report: RunManifest;
}

export type StepName = keyof StepResults;

/** A step's planned and completed tasks, in plan order, with their results. */
export interface PhaseOutcome<R> {
  tasks: TaskMessage[];
  results: R[];
}

/** The outcome of every step so far; a step not run (yet, or at all) has no tasks. */
export type Outcomes = { [K in StepName]: PhaseOutcome<StepResults[K]> };

export const emptyOutcomes = (): Outcomes => ({
  annotate: emptyPhase(),
  score: emptyPhase(),
  exact: emptyPhase(),
  nearPairs: emptyPhase(),
  lines: emptyPhase(),
  cluster: emptyPhase(),
  quantiles: emptyPhase(),
  metTally: emptyPhase(),
  metCoverage: emptyPhase(),
  decide: emptyPhase(),
  report: emptyPhase(),
});

const emptyPhase = <R>(): PhaseOutcome<R> => ({ tasks: [], results: [] });

/** One planned task: its name (its marker's file name), its fingerprint, and what the worker gets. */
export interface PlannedTask<I> {
  task: string;
  fingerprint: string;
  input: I;
}

export interface PlanInput {
  pipeline: Pipeline;
  plan: RunPlan;
  /** `resultConfig(pipeline)`, made once per run: it hashes every list file it names. */
  config: ReturnType<typeof resultConfig>;
  /** When this run started (ISO 8601), and the phases it has timed so far: the report records them. */
  startedAt: string;
  timings: Readonly<Record<string, PhaseTiming>>;
  /** The refinement iteration this run makes: 0 for `winnow run`. */
  iteration: IterationFacts;
}

/** What task names depend on: the pipeline and its shards, never a result. */
export type TaskNamesInput = Pick<PlanInput, 'pipeline' | 'plan' | 'config'>;

const shardNames = ({ plan }: TaskNamesInput): string[] => plan.shards.map((s) => shardLabel(s.index));

export interface Step<K extends StepName, I> {
  name: K;
  /** The executor phase the step's tasks run in: the name shown and timed, and the marker folder. */
  phase: PhaseName;
  /** Whether the step runs at all in this pipeline (default: always); a phase runs when any of its steps does. */
  when?(pipeline: Pipeline): boolean;
  /** The step's tasks, with fingerprints, from the plan and the outcomes of the steps before it. */
  plan(run: PlanInput, done: Outcomes): PlannedTask<I>[];
  /**
   * The names of the tasks `plan` can give, known before any step has run (a cluster plan sizes
   * its job arrays from them): `plan` gives these or fewer (no score tasks for a skipped shard).
   */
  names(run: TaskNamesInput): string[];
  /** Runs one task in a worker thread. */
  run(ctx: TaskContext, input: I, task: { task: string }): Promise<StepResults[K]>;
  /** Whether a completed task's result can still be reused (default: always). */
  stillValid?(result: StepResults[K], layout: RunLayout): Promise<boolean>;
}

/** Any step of the table, its task input erased (the worker gets it back from the message the step planned). */
export type AnyStep = { [K in StepName]: Step<K, unknown> }[StepName];

const step = <K extends StepName, I>(definition: Step<K, I>): Step<K, I> => definition;

/** A task's fingerprint: what it computes from, and the version of the code that computes it (src/phases/versions.ts). */
function fingerprint(code: unknown, value: unknown): string {
  return hashOf({ code, ...(value as object) });
}

/** What an annotate task gets: the content key of what it computes, its shard, and which part of it. */
interface AnnotateInput {
  contentKey: string;
  shard: InputShard;
  part: number;
}

/**
 * Annotate's tasks, one per part of each shard (src/execution/parts.ts), each with its fingerprint
 * (exported for the fingerprint tests).
 */
export function annotateTasks(pipeline: Pipeline, plan: RunPlan, config = resultConfig(pipeline)): PlannedTask<AnnotateInput>[] {
  const annotateCode = { annotate: PHASE_VERSIONS.annotate, families: annotateFamilies(pipeline).map((f) => [f.name, f.version]) };
  // Model scores are the score phase's: a new or retrained model annotates nothing again.
  const { models: _scored, ...signals } = config.signals;
  return plan.shards.flatMap((shard) => {
    // A shard on S3 has its listed size and version; a local file its size and mtime when planned.
    const file = shard.object ? { bytes: shard.object.bytes, etag: shard.object.etag } : (shard.stamp ?? fileStamp(shard.path));
    const parts = partsOf(shard);
    return parts.map((part, p) => {
      // Everything annotate computes from but the file: the part's rows, the text passes, the
      // signal families and their settings, and the MinHash signature near-dedup needs (but not
      // its global settings).
      const computed = {
        phase: 'annotate',
        shard: { name: shard.name, index: shard.index },
        part: part ? { index: p, rows: part.rows } : null,
        input: config.input,
        normalize: config.normalize,
        c4: config.c4,
        pii: config.pii,
        signals,
        minhash: minhashSettings(config.dedup.near),
        met_tree: config.met?.tree_sha256 ?? null,
        row_group_rows: config.output.row_group_rows,
      };
      return {
        task: partLabel(shard.index, p),
        // The quick check: size and version (mtime, ETag). When only they changed, the task hashes
        // what it reads and keeps its annotation if the content is the same (its `run`); later
        // phases key on content.
        fingerprint: fingerprint(annotateCode, { ...computed, file }),
        input: { contentKey: fingerprint(annotateCode, computed), shard, part: p },
      };
    });
  });
}


/** What of near-dedup's settings the signatures depend on: nothing when it is off. */
function minhashSettings(near: Pipeline['dedup']['near']) {
  if (!near.enabled) return null;
  const { shingle, bands, rows, seed, verify } = near;
  return { shingle, bands, rows, seed, signature: verify !== 'none' };
}

const annotate = step({
  name: 'annotate',
  phase: 'annotate',
  plan: ({ pipeline, plan, config }) => annotateTasks(pipeline, plan, config),
  names: ({ plan }) => plan.shards.flatMap((s) => partsOf(s).map((_, p) => partLabel(s.index, p))),
  /**
   * A shard whose file changed by mtime only (touched, copied) is hashed, and when its content and
   * everything else annotate computes from are what the last annotation was made of, that
   * annotation stands: its signals are kept and no later phase runs again.
   */
  async run(ctx, { contentKey, shard, part: p }, { task }) {
    const parts = partsOf(shard);
    const part = parts[p];
    // A shard on S3 is downloaded (its part's bytes alone, when it has several) into a scratch folder removed after.
    const download = await ctx.layout.scratch('annotate', `${task}-input`);
    try {
      let read;
      try {
        read = await readPart(shard, part, parts.length === 1, download, p === 0);
      } catch (err) {
        if (!(err instanceof InputError) || ctx.pipeline.input.on_error !== 'skip') throw err;
        const input = { path: shard.name, rows: null, bytes: shard.object?.bytes ?? shard.stamp?.bytes ?? 0, sha256: '' };
        return { shard: shard.index, part: p, ...(part && parts.length > 1 ? { range: part.rows } : {}), status: 'skipped', input, rows: 0, textBytes: 0, badRows: 0, signalFiles: [], error: err.toJSON(), content: contentKey };
      }
      const content = annotationContent(contentKey, read.digest);
      const previous = await previousResult<AnnotateResult>(ctx.layout, 'annotate', task);
      if (previous?.content === content && (await signalsExist(ctx.layout.storage, previous.signalFiles))) {
        // The part's bytes are as before, but the shard's may not be (another row group changed):
        // the first part records the shard's sha256 as it is now.
        return read.sha256 === undefined ? previous : { ...previous, input: { ...previous.input, sha256: read.sha256 } };
      }
      return await annotateShard(ctx, shard, read.path, { sha256: read.sha256 ?? '', content }, { index: p, ...(part && parts.length > 1 ? { rows: part.rows } : {}) });
    } finally {
      rmSync(download, { recursive: true, force: true });
    }
  },
  stillValid: (result, layout) => signalsExist(layout.storage, result.signalFiles),
});

interface ScoreInput {
  shard: InputShard;
  part: number;
  signalFiles: string[];
  model: ResolvedModel;
}

/**
 * One task per model and annotated part of a shard: the model's scores of its final texts. Keyed
 * on the model's content and the part's annotation, so a changed model scores again alone.
 */
const score = step({
  name: 'score',
  phase: 'score',
  when: (pipeline) => pipeline.models.length > 0,
  names: ({ pipeline, plan }) => pipeline.models.flatMap((model) => plan.shards.flatMap((s) => partsOf(s).map((_, p) => `${model.name}-${partLabel(s.index, p)}`))),
  plan: ({ pipeline, plan }, done): PlannedTask<ScoreInput>[] => {
    // Parts of a skipped shard are not scored: the shard is in no output.
    const kept = new Set(annotated(done).flatMap((r) => (r.status === 'done' ? [r.shard] : [])));
    return pipeline.models.flatMap((model) =>
      done.annotate.results.flatMap((part) =>
        part.status === 'done' && kept.has(part.shard)
          ? [
              {
                task: `${model.name}-${partLabel(part.shard, part.part)}`,
                fingerprint: fingerprint(PHASE_VERSIONS.score, { phase: 'score', model: portableModel(model), upstream: part.content }),
                input: { shard: plan.shards[part.shard]!, part: part.part, signalFiles: part.signalFiles, model },
              },
            ]
          : [],
      ),
    );
  },
  run: (ctx, { shard, part, signalFiles, model }) => scoreShard(ctx, shard, part, signalFiles, model),
  stillValid: (result, layout) => layout.storage.exists(result.file),
});

const merged = new WeakMap<readonly AnnotateResult[], AnnotateResult[]>();
/** Annotate's results by shard (its parts merged: annotatedShards), in shard order: what every step after annotate reads. */
function annotated(done: Outcomes): AnnotateResult[] {
  let shards = merged.get(done.annotate.results);
  if (!shards) merged.set(done.annotate.results, (shards = annotatedShards(done.annotate.results)));
  return shards;
}

/** A shard's merged annotation, found by its index (never by position: a shard must not borrow another's). */
function annotatedShard(done: Outcomes, index: number): AnnotateResult {
  const found = annotated(done).find((r) => r.shard === index);
  if (!found) throw new Error(`shard ${index} has no annotation: the plan gave it no annotate task`);
  return found;
}

/** Each model's score files: of one shard, or of every shard. */
function scoreFiles(done: Outcomes, shard?: number): ScoreFiles[] {
  const byModel = new Map<string, string[]>();
  for (const r of done.score.results) {
    if (!byModel.has(r.model)) byModel.set(r.model, []);
    if (shard === undefined || r.shard === shard) byModel.get(r.model)!.push(r.file);
  }
  return [...byModel].map(([model, files]) => ({ model, files }));
}

/** The fingerprints of the score tasks of one shard, or of every shard. */
const scoreUpstream = (done: Outcomes, shard?: number): string[] =>
  done.score.tasks.flatMap((t, i) => (shard === undefined || done.score.results[i]!.shard === shard ? [t.fingerprint] : []));

interface PartitionInput {
  partition: number;
  partitions: number;
  signalFiles: string[];
}

/**
 * One kind of the dedup phase: exact dedup's hash-range partitions, near-dedup's band-key
 * partitions, boilerplate's line-hash partitions. Its tasks are `<kind>-<partition>`.
 */
function dedupStep<K extends 'exact' | 'nearPairs' | 'lines'>(
  name: K,
  kind: 'exact' | 'near' | 'lines',
  run: (ctx: TaskContext, partition: number, partitions: number, signalFiles: string[]) => Promise<StepResults[K]>,
): Step<K, PartitionInput> {
  return step({
    name,
    phase: 'dedup',
    names: ({ config }) => (config.dedup[kind].enabled ? Array.from({ length: config.dedup[kind].partitions }, (_, p) => `${kind}-${shardLabel(p)}`) : []),
    plan: (run, done) => {
      const config = run.config.dedup[kind];
      if (!config.enabled) return [];
      const signalFiles = annotated(done).flatMap((r) => r.signalFiles);
      const upstream = annotated(done).map((r) => r.content);
      const { partitions } = config;
      return Array.from({ length: partitions }, (_, partition) => ({
        task: `${kind}-${shardLabel(partition)}`,
        fingerprint: fingerprint(PHASE_VERSIONS.dedup[kind], { phase: 'dedup', kind, partition, config, upstream }),
        input: { partition, partitions, signalFiles },
      }));
    },
    run: (ctx, { partition, partitions, signalFiles }) => run(ctx, partition, partitions, signalFiles),
  });
}

const cluster = step({
  name: 'cluster',
  phase: 'cluster',
  when: (pipeline) => pipeline.dedup.near.enabled,
  names: () => ['near'],
  plan: ({ config }, done) => [
    {
      task: 'near',
      fingerprint: fingerprint(PHASE_VERSIONS.cluster, { phase: 'cluster', near: config.dedup.near, upstream: done.nearPairs.tasks.map((t) => t.fingerprint) }),
      input: { pairFiles: done.nearPairs.results.map((r) => r.file), signalFiles: annotated(done).flatMap((r) => r.signalFiles) },
    },
  ],
  run: (ctx, { pairFiles, signalFiles }) => nearClusters(ctx, pairFiles, signalFiles),
});

interface QuantilesInput {
  signalFiles: string[];
  scores: ScoreFiles[];
  dedupFiles: string[];
  nearFile?: string;
}

/** One task: the corpus-wide thresholds of quantile rules, over the documents dedup keeps. */
const quantiles = step({
  name: 'quantiles',
  phase: 'quantiles',
  when: (pipeline) => quantileRules(pipeline).length > 0,
  names: () => ['all'],
  plan: ({ pipeline }, done): PlannedTask<QuantilesInput>[] => {
    const nearFile = done.cluster.results[0]?.file;
    return [
      {
        task: 'all',
        fingerprint: fingerprint(PHASE_VERSIONS.quantiles, {
          phase: 'quantiles',
          rules: quantileRules(pipeline),
          upstream: [...annotated(done).map((r) => r.content), ...[...done.exact.tasks, ...done.cluster.tasks].map((t) => t.fingerprint), ...scoreUpstream(done)],
        }),
        input: {
          signalFiles: annotated(done).flatMap((r) => r.signalFiles),
          scores: scoreFiles(done),
          dedupFiles: done.exact.results.map((r) => r.file),
          ...(nearFile ? { nearFile } : {}),
        },
      },
    ];
  },
  run: (ctx, { signalFiles, scores, dedupFiles, nearFile }) => quantileThresholds(ctx, signalFiles, scores, { exact: dedupFiles, ...(nearFile ? { near: nearFile } : {}) }),
});

interface DecideInput extends DecideInputs {
  shard: InputShard;
  annotated: AnnotateResult;
}

/** What each reason source gets from the steps before decide (src/phases/reason-sources.ts); absent when the source is off. */
function sourceInputs(done: Outcomes): Partial<SourceInputs> {
  const nearFile = done.cluster.results[0]?.file;
  return {
    bad_input: {},
    rules: { quantiles: done.quantiles.results[0] ?? [] },
    ...(done.exact.tasks.length > 0 ? { exact_duplicate: { files: done.exact.results.map((r) => r.file) } } : {}),
    ...(nearFile ? { near_duplicate: { file: nearFile } } : {}),
    ...(done.lines.tasks.length > 0 ? { boilerplate: { files: done.lines.results.map((r) => r.file) } } : {}),
  };
}

/** What decide's judgement of a shard rests on: its annotation by content and the global dedup results. */
function judgementUpstream(done: Outcomes, index: number): string[] {
  const shard = annotatedShard(done, index);
  return [shard.content, ...[...done.exact.tasks, ...done.cluster.tasks, ...done.lines.tasks].map((t) => t.fingerprint), ...scoreUpstream(done, shard.shard)];
}

/** Everything of the config a shard's judgement depends on (with `sourceInputs`'s quantiles). */
function judgementConfig(config: PlanInput['config'], done: Outcomes) {
  return {
    columns: config.input.columns,
    rules: config.rules,
    exact: config.dedup.exact.enabled,
    near: config.dedup.near.enabled ? config.dedup.near.threshold : false,
    lines: config.dedup.lines.enabled ? config.dedup.lines : false,
    quantiles: done.quantiles.results[0] ?? [],
  };
}

interface TallyInput {
  shard: InputShard;
  annotated: AnnotateResult;
  sources: Partial<SourceInputs>;
  scores: ScoreFiles[];
}

/** The entity tally of each shard, judged as decide will judge it (src/phases/met-tally.ts). */
const metTally = step({
  name: 'metTally',
  phase: 'entities',
  when: (pipeline) => pipeline.metTree !== undefined,
  names: shardNames,
  plan: ({ plan, config }, done): PlannedTask<TallyInput>[] => {
    const sources = sourceInputs(done);
    return plan.shards.map((shard) => ({
      task: shardLabel(shard.index),
      fingerprint: fingerprint(PHASE_VERSIONS.metTally, { phase: 'entities', upstream: judgementUpstream(done, shard.index), judgement: judgementConfig(config, done) }),
      input: { shard, annotated: annotatedShard(done, shard.index), sources, scores: scoreFiles(done, shard.index) },
    }));
  },
  run: (ctx, { shard, annotated, sources, scores }) => metTallyShard(ctx, shard, annotated, sources, scores),
  stillValid: (result, layout) => layout.storage.exists(result.file),
});

/** One task: coverage of the entity tree, its per-node counts and index, and the gap report (src/met/coverage.ts). */
const metCoverageStep = step({
  name: 'metCoverage',
  phase: 'coverage',
  when: (pipeline) => pipeline.metTree !== undefined,
  names: () => ['met'],
  plan: ({ config }, done): PlannedTask<{ tallies: MetTallyResult[] }>[] => [
    {
      task: 'met',
      fingerprint: fingerprint(PHASE_VERSIONS.metCoverage, { phase: 'coverage', met: config.met, upstream: done.metTally.tasks.map((t) => t.fingerprint) }),
      input: { tallies: done.metTally.results },
    },
  ],
  run: (ctx, { tallies }) => metCoverage(ctx, tallies),
  stillValid: (_, layout) => layout.storage.exists(RunKeys.met.coverage),
});

/** Balancing weights for decide, from coverage's scale, when the pipeline has them on. */
function weightsInput(done: Outcomes): Pick<DecideInputs, 'weights'> {
  const balance = done.metCoverage.results[0]?.balance;
  return balance ? { weights: { nodes: RunKeys.met.nodes, scale: balance.scale, settings: balance.settings } } : {};
}

const decide = step({
  name: 'decide',
  phase: 'decide',
  names: shardNames,
  plan: ({ plan, config, iteration }, done): PlannedTask<DecideInput>[] => {
    const sources = sourceInputs(done);
    const upstreamDedup = [...done.exact.tasks, ...done.cluster.tasks, ...done.lines.tasks].map((t) => t.fingerprint);
    return plan.shards.map((shard) => ({
      task: shardLabel(shard.index),
      // Rejected rows record their iteration: each iteration decides again (decide is the cheap phase).
      fingerprint: fingerprint(PHASE_VERSIONS.decide, {
        phase: 'decide',
        iteration: iteration.n,
        upstream: [annotatedShard(done, shard.index).content, ...upstreamDedup, ...scoreUpstream(done, shard.index)],
        columns: config.input.columns,
        rules: config.rules,
        output: config.output,
        exact: config.dedup.exact.enabled,
        near: config.dedup.near.enabled ? config.dedup.near.threshold : false,
        lines: config.dedup.lines.enabled ? config.dedup.lines : false,
        quantiles: sources.rules!.quantiles,
        // Weights depend on the whole run's entity counts: the coverage task's fingerprint holds them.
        ...(weightsInput(done).weights ? { weights: done.metCoverage.tasks.map((t) => t.fingerprint) } : {}),
      }),
      input: { shard, annotated: annotatedShard(done, shard.index), sources, scores: scoreFiles(done, shard.index), iteration: iteration.n, ...weightsInput(done) },
    }));
  },
  run: (ctx, { shard, annotated, sources, scores, iteration, weights }) =>
    decideShard(ctx, shard, annotated, { sources, scores, iteration, ...(weights ? { weights } : {}) }),
});

/**
 * One task at the end: check the outputs and write manifest.json from every step's outcome. Its
 * fingerprint holds all the manifest is made of: the tasks before it, what it records of the
 * pipeline and of winnow, and this run's facts. Those include this run's start and timings, so
 * the report runs in every run and is never reused: a run that reuses every other task still
 * writes a manifest of its own, whose timings say that everything was reused.
 */
const report = step({
  name: 'report',
  phase: 'report',
  names: () => ['manifest'],
  plan: ({ pipeline, plan, config, startedAt, timings, iteration }, done): PlannedTask<ReportInput>[] => {
    const near = done.cluster.results[0];
    const input: ReportInput = {
      config,
      inputRoot: plan.inputRoot,
      shards: done.decide.results,
      dedups: { exact: done.exact.results, ...(near ? { near } : {}), boilerplate: done.lines.results },
      quantiles: done.quantiles.results[0] ?? [],
      textBytes: annotated(done).reduce((a, r) => a + r.textBytes, 0),
      ...(done.metCoverage.results[0] ? { met: done.metCoverage.results[0] } : {}),
      facts: { startedAt, workers: pipeline.execution.workers, timings: { ...timings }, winnow: winnowFacts(), iteration },
    };
    // Annotate by content, as the steps after it key on it; every other step by its tasks' fingerprints.
    const others = (Object.keys(done) as StepName[]).filter((name) => name !== 'annotate');
    const upstream = [...annotated(done).map((r) => r.content), ...others.flatMap((name) => done[name].tasks.map((t) => t.fingerprint))];
    const recorded = { name: pipeline.name, file: pipeline.file, models: pipeline.models, inputRoot: plan.inputRoot, config };
    return [{ task: 'manifest', fingerprint: fingerprint(RUN_MANIFEST_VERSION, { phase: 'report', upstream, recorded, facts: input.facts }), input }];
  },
  run: (ctx, input) => writeRunManifest(ctx, input),
  // Never reused as things are (see above); were a fingerprint to match, the manifest must still be there.
  stillValid: (_, layout) => layout.storage.exists(RunKeys.manifest),
});

/** The run's steps in order; the report, last, plans from the outcome of every step before it. */
export const PHASE_TABLE: readonly AnyStep[] = [
  annotate,
  score,
  dedupStep('exact', 'exact', exactDedupPartition),
  dedupStep('nearPairs', 'near', nearPairsPartition),
  dedupStep('lines', 'lines', boilerplatePartition),
  cluster,
  quantiles,
  metTally,
  metCoverageStep,
  decide,
  report,
];

/** How progress displays count each phase's tasks (one, many); none for the report, a single task at the end. */
export const PHASE_UNITS: Readonly<Record<PhaseName, readonly [string, string] | null>> = {
  annotate: ['part', 'parts'],
  score: ['task', 'tasks'],
  dedup: ['partition', 'partitions'],
  cluster: ['task', 'tasks'],
  quantiles: ['task', 'tasks'],
  entities: ['shard', 'shards'],
  coverage: ['task', 'tasks'],
  decide: ['shard', 'shards'],
  report: null,
};

/** Each phase this pipeline runs, in order, with the names of its tasks (at most these): what a cluster plan and a forecast size from. */
export function phaseTaskNames(run: TaskNamesInput): { phase: PhaseName; tasks: string[] }[] {
  return phaseOrder()
    .map(({ phase, steps }) => ({ phase, tasks: steps.filter((s) => s.when?.(run.pipeline) ?? true).flatMap((s) => s.names(run)) }))
    .filter((p) => p.tasks.length > 0);
}

/** The step a task message was planned by. */
export function stepOf(task: TaskMessage): AnyStep {
  const found = PHASE_TABLE.find((s) => s.name === task.step);
  if (!found) throw new Error(`no step named ${task.step} in the phase table`);
  return found;
}

/** The table's executor phases in run order, each with its steps (consecutive steps sharing a phase). */
export function phaseOrder(): { phase: PhaseName; steps: AnyStep[] }[] {
  const phases: { phase: PhaseName; steps: AnyStep[] }[] = [];
  for (const s of PHASE_TABLE) {
    const last = phases.at(-1);
    if (last?.phase === s.phase) last.steps.push(s);
    else phases.push({ phase: s.phase, steps: [s] });
  }
  return phases;
}

// Markers, timings and progress go by PHASE_NAMES (src/io/layout.ts): the table must run exactly
// those phases, in that order, each in one stretch of consecutive steps.
const tableOrder = phaseOrder().map((p) => p.phase);
if (tableOrder.join() !== PHASE_NAMES.join()) {
  throw new Error(`the phase table runs the phases ${tableOrder.join(', ')}; PHASE_NAMES says ${PHASE_NAMES.join(', ')}`);
}
