import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { isDynamicPattern } from 'tinyglobby';
import { compileGlob } from '../io/glob.js';
import { listShards, type InputShard } from '../io/inputs.js';
import { isRunEntry, RunKeys, type RunLayout } from '../io/layout.js';
import type { RunPlan } from '../phases/context.js';
import { isS3Url } from '../storage/s3.js';
import { planParts } from './parts.js';
import { RunError } from './tasks.js';
import type { Pipeline } from '../config/load.js';

export interface Inputs {
  root: string;
  shards: InputShard[];
}

/** Lists the input shards; an input with none is an error here, where the user can fix it. */
export async function listInputs(input: string): Promise<Inputs> {
  const inputs = await listShards(input);
  if (inputs.shards.length === 0) throw new RunError(`no Parquet shards found in ${input}`);
  return inputs;
}

/**
 * Refuses run folders that would mix outputs with inputs: the run folder inside the input folder
 * (the next run would read its outputs as shards), an input glob that matches files the run
 * writes, or inputs inside the run folder (the run would write beside or over them). Paths are
 * compared after resolving symbolic links, so a link cannot hide either case.
 */
export function checkSeparate(input: string, inputs: Inputs, runRoot: string): void {
  const refuse = (why: string) => {
    throw new RunError(`the run folder ${runRoot} ${why}; choose a run folder (--output) outside the input`);
  };
  if (isS3Url(input) || isS3Url(runRoot)) {
    // On a store, addresses are prefixes: neither may hold the other (a local run of S3 inputs, or the reverse, cannot mix).
    if (!isS3Url(input) || !isS3Url(runRoot)) return;
    const [run, root] = [withSlash(runRoot), withSlash(inputs.root)];
    if (run === root) refuse('is the input folder');
    if (run.startsWith(root)) refuse(`is inside the input folder ${inputs.root} (the next run would read its outputs as shards)`);
    const held = inputs.shards.find((s) => s.path.startsWith(run));
    if (held) refuse(`holds input shard ${held.path}`);
    return;
  }
  const out = realish(runRoot);
  if (isDynamicPattern(input)) {
    const glob = compileGlob(toPosix(resolve(input)));
    const matches = (path: string) => glob.matches(path);
    const written = sampleRunFiles(runRoot).find((f) => matches(toPosix(f)) || matches(toPosix(join(out, relative(runRoot, f)))));
    if (written) refuse(`is matched by the input pattern ${input} (it would read ${written} as a shard on the next run)`);
  } else if (existsSync(input) && statSync(input).isDirectory()) {
    const root = realish(input);
    if (root === out) refuse('is the input folder');
    if (within(out, root)) refuse(`is inside the input folder ${input} (the next run would read its outputs as shards)`);
  }
  const held = inputs.shards.find((s) => within(realish(s.path), out));
  if (held) refuse(`holds input shard ${held.path}`);
}

/**
 * A run folder is new, empty, or a winnow run (it has work/plan.json). A folder holding other
 * files is refused: winnow replaces files by name in curated/ and rejected/, which must not be
 * anybody else's.
 */
export async function checkRunFolder(layout: RunLayout): Promise<void> {
  let foreign: string[];
  if (layout.isLocal) {
    if (!existsSync(layout.root) || existsSync(layout.plan)) return;
    foreign = readdirSync(layout.root).filter((e) => !isRunEntry(e)).sort();
  } else {
    if (await layout.storage.exists(RunKeys.plan)) return;
    foreign = [...new Set((await layout.storage.list('')).map((k) => k.split('/')[0]!))].filter((e) => !isRunEntry(e)).sort();
  }
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).map((e) => JSON.stringify(e.length > 40 ? `${e.slice(0, 39)}…` : e));
    throw new RunError(
      `${layout.root} already holds files winnow did not write (${shown.join(', ')}${foreign.length > 3 ? ` and ${foreign.length - 3} more` : ''}); ` +
        'give a new or empty folder as the run folder (--output)',
    );
  }
}

/**
 * Pins the run's shards in work/plan.json. A run folder belongs to one set of inputs: resuming
 * with different shards would mix outputs of two corpora, so it is refused.
 */
export async function planRun(inputs: Inputs, layout: RunLayout, pipeline: Pipeline): Promise<RunPlan> {
  const shards = await planParts(inputs.shards, pipeline.input.columns.text, pipeline.execution.part_bytes);
  const plan: RunPlan = { inputRoot: inputs.root, shards };
  const previous = await layout.storage.readJson<RunPlan>(RunKeys.plan);
  if (previous !== undefined) {
    const names = (p: RunPlan) => p.shards.map((s) => s.name).join('\n');
    if (names(previous) !== names(plan)) {
      throw new RunError(
        `${layout.root} holds a run over other inputs (${previous.shards.length} shards under ${previous.inputRoot}); ` +
          `choose another --output, or remove that run's outputs (manifest.json, curated/, rejected/, manifests/, work/) to start over`,
      );
    }
  }
  await layout.storage.writeJson(RunKeys.plan, plan);
  return plan;
}

/** Paths of each kind a run writes, for matching against an input pattern. */
function sampleRunFiles(root: string): string[] {
  return [
    'curated/part-00000-0000.parquet',
    'rejected/part-00000-0000.parquet',
    'work/signals/00000/0000/part-0000.parquet',
    'work/scores/model/part-00000-0000.parquet',
    'work/dedup/exact/part-00000.parquet',
    'work/dedup/near/pairs/part-00000.parquet',
    'work/dedup/near/duplicates.parquet',
    'work/dedup/lines/part-00000.parquet',
    'work/tmp/decide-0/curated/part-0.parquet',
  ].map((f) => join(root, f));
}

/** The real path of the longest existing prefix, with the rest appended: symbolic links resolved. */
function realish(path: string): string {
  const absolute = resolve(path);
  const rest: string[] = [];
  let at = absolute;
  while (!existsSync(at)) {
    const parent = dirname(at);
    if (parent === at) return absolute;
    rest.unshift(basename(at));
    at = parent;
  }
  return join(realpathSync(at), ...rest);
}

const withSlash = (address: string): string => (address.endsWith('/') ? address : `${address}/`);

const within = (path: string, folder: string): boolean => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);

const toPosix = (p: string): string => p.split(sep).join('/');
