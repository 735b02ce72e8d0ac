import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadPipeline, type Pipeline } from '../config/load.js';
import { ConfigError, WinnowError } from '../config/errors.js';
import { hashOf } from '../config/hash.js';
import { resolveModel, type ResolvedModel } from '../config/models.js';
import { runPipeline, type RunEvents } from '../execution/runner.js';
import { RunKeys, RunLayout } from '../io/layout.js';
import type { IterationFacts, IterationRecord, RunManifest } from '../phases/report.js';

/** A refinement request: what changes from the run's latest iteration. */
export interface RefineRequest {
  /** The run folder. */
  run: string;
  /** A changed pipeline file; by default the one the latest iteration ran. */
  pipeline?: string;
  /** Models replaced by name: a retrained classifier, another checkpoint. */
  models?: Record<string, string>;
  /** Review labels the iteration learns from, and the models retrained from them (src/refinement/review.ts). */
  review?: { labels: { file: string; sha256: string }; retrained: { name: string; path: string }[] };
  workers?: number;
  events?: RunEvents;
  signal?: AbortSignal;
}

/** What `winnow refine` keeps in work/refine.json while an iteration is unfinished. */
interface RefineState {
  iteration: number;
  /** The request's identity: a different request may not finish this iteration. */
  request: string;
  /** How the request was made, for the message that refuses another. */
  described: string;
  stage: 'archive' | 'run';
}

export class RefineError extends WinnowError {
  constructor(message: string) {
    super(message);
    this.name = 'RefineError';
  }
}

/** The latest finished iteration's manifest: at the top of the run folder, or archived once a new iteration began. */
export async function latestManifest(layout: RunLayout, state?: { iteration: number; stage: string }): Promise<RunManifest> {
  const key = state && state.stage !== 'archive' ? `${RunKeys.iteration(state.iteration - 1)}/${RunKeys.manifest}` : RunKeys.manifest;
  const manifest = await layout.storage.readJson<RunManifest>(key);
  if (!manifest) throw new RefineError(`${layout.root} is not a finished run (no ${key}): run the pipeline first (winnow run)`);
  if (manifest.iteration === undefined) {
    throw new RefineError(`${layout.root} was made by an older winnow (its manifest has no iteration): run it again with this version to refine it`);
  }
  return manifest;
}

/**
 * The models the new iteration scores with in place of the pipeline's: those an earlier iteration
 * replaced or retrained (a retrained model stays until replaced again), then this request's
 * `--model`s, then the models retrained from its review.
 */
export function replacedModels(request: RefineRequest, parent: RunManifest): Record<string, string> {
  const carried = parent.iterations?.at(-1)?.replaced_models ?? [];
  return {
    ...Object.fromEntries(carried.map((r) => [r.name, r.path])),
    ...Object.fromEntries(Object.entries(request.models ?? {}).map(([name, path]) => [name, resolve(path)])),
    ...Object.fromEntries((request.review?.retrained ?? []).map((r) => [r.name, r.path])),
  };
}

/** The pipeline the new iteration runs: the request's file or the latest iteration's, into the same run folder, with models replaced. */
export function iterationPipeline(request: RefineRequest, parent: RunManifest, replaced = replacedModels(request, parent)): Pipeline {
  const file = request.pipeline ?? parent.config.file;
  if (!existsSync(file)) {
    throw new RefineError(
      request.pipeline ? `--pipeline ${file}: no such file` : `the pipeline the latest iteration ran, ${file}, is gone: give the pipeline to refine with --pipeline`,
    );
  }
  const pipeline = loadPipeline(file, { output: request.run, ...(request.workers ? { workers: request.workers } : {}) });
  const unknown = Object.keys(replaced).filter((name) => !pipeline.models.some((m) => m.name === name));
  if (unknown.length > 0) {
    throw new ConfigError(file, [`--model ${unknown.join(', ')}: not a model of this pipeline (it has ${pipeline.models.map((m) => m.name).join(', ') || 'none'})`]);
  }
  return { ...pipeline, models: pipeline.models.map((m) => (replaced[m.name] ? replaceModel(m, replaced[m.name]!) : m)) };
}

/**
 * A model file in place of a pipeline model: same signal name and label; the preprocessing of its
 * own card when it has one (a retrained model records its own), otherwise the replaced model's,
 * so the score reads the text as before.
 */
function replaceModel(old: ResolvedModel, file: string): ResolvedModel {
  if (!existsSync(file)) throw new RefineError(`model ${old.name}: ${file} is gone (an earlier iteration's, or --model's); give the file to score with as --model ${old.name}=PATH`);
  const fresh = resolveModel({ name: old.name, path: file, label: old.label, ...(old.description ? { description: old.description } : {}) }, file);
  return fresh.card ? fresh : { ...fresh, preprocessing: old.preprocessing, preprocessing_from: `the model it replaces (${old.preprocessing_from})` as ResolvedModel['preprocessing_from'] };
}

export interface RefineResult {
  manifest: RunManifest;
  parent: RunManifest;
  record: IterationRecord;
  layout: RunLayout;
  resumed: boolean;
  /** Where the iteration's report.html is, when the pipeline draws one. */
  report?: string;
}

/**
 * Makes iteration N+1 of a run: the latest iteration's outputs move under iterations/N/, then the
 * pipeline runs again in the same folder as iteration N+1. Every task whose fingerprint still
 * matches is reused, so only what the change touches runs: decide for a new threshold, quantiles
 * for a new quantile, the score phase for a new model, dedup for new dedup settings, annotate for
 * new text passes or families. A killed refine is finished by the same command.
 */
export async function refine(request: RefineRequest, describe: string): Promise<RefineResult> {
  const layout = new RunLayout(resolve(request.run));
  const found = await layout.storage.readJson<RefineState>(RunKeys.refineState);
  const parent = await latestManifest(layout, found);
  const replaced = replacedModels(request, parent);
  const identity = hashOf({ pipeline: request.pipeline ? resolve(request.pipeline) : parent.config.file, models: replaced, review: request.review ?? null });
  if (found && found.request !== identity) {
    throw new RefineError(`iteration ${found.iteration} of ${layout.root} is unfinished (started by: ${found.described}); run that again to finish it first`);
  }
  const n = found?.iteration ?? parent.iteration + 1;
  const pipeline = iterationPipeline(request, parent, replaced);
  const state: RefineState = found ?? { iteration: n, request: identity, described: describe, stage: 'archive' };
  // Under the run's lock: what was read above may have changed since (another refine finished
  // or began), and only one refine may move the latest outputs aside.
  const beforeRun = async () => {
    const now = await layout.storage.readJson<RefineState>(RunKeys.refineState);
    const latest = now ? undefined : await layout.storage.readJson<RunManifest>(RunKeys.manifest);
    if (hashOf(now ?? null) !== hashOf(found ?? null) || (!now && latest?.iteration !== parent.iteration)) {
      throw new RefineError(`${layout.root} changed while this refine started (another winnow refine finished or began there): run it again`);
    }
    if (state.stage === 'archive') {
      await layout.storage.writeJson(RunKeys.refineState, state);
      await archiveOutputs(layout, n - 1);
      state.stage = 'run';
      await layout.storage.writeJson(RunKeys.refineState, state);
    }
  };
  const iteration: IterationFacts = {
    n,
    ...(request.review ? { labels: request.review.labels, ...(request.review.retrained.length > 0 ? { retrained: request.review.retrained } : {}) } : {}),
    replaced: Object.entries(replaced).map(([name, path]) => ({ name, path })),
  };
  const { manifest, report } = await runPipeline(pipeline, { iteration, beforeRun, ...(request.events ? { events: request.events } : {}), ...(request.signal ? { signal: request.signal } : {}) });
  await layout.storage.remove(RunKeys.refineState);
  return { manifest, parent, record: manifest.iterations.at(-1)!, layout, resumed: found !== undefined, ...(report ? { report } : {}) };
}

/**
 * Moves an iteration's outputs from the top of the run folder to iterations/<n>/, file by file
 * (a rename locally). Safe to repeat after a kill: it runs before the new iteration writes
 * anything, so whatever is still at the top belongs to iteration n.
 */
async function archiveOutputs(layout: RunLayout, n: number): Promise<void> {
  const { storage } = layout;
  for (const prefix of RunKeys.iterationOutputs) {
    for (const key of await storage.list(prefix)) {
      await storage.commitFile(await storage.localPath(key), `${RunKeys.iteration(n)}/${key}`);
      if (await storage.exists(key)) await storage.remove(key);
    }
  }
}
