import { resolve } from 'node:path';
import { openEngine } from '../../io/duckdb.js';
import { RunLayout } from '../../io/layout.js';
import type { IterationRecord, RunManifest } from '../../phases/report.js';
import { diffIterations, formatDiff } from '../../refinement/diff.js';
import { latestManifest, refine, RefineError } from '../../refinement/refine.js';
import { checkRetrain, concludeReview, defaultRetrain, prepareReview, type PreparedReview, type ReviewOutcome } from '../../refinement/review.js';
import { RunKeys } from '../../io/layout.js';
import { progressReporter } from '../progress.js';
import { formatSummary } from '../summary.js';

export interface RefineFlags {
  run: string;
  pipeline?: string;
  model?: string[];
  workers?: number;
  quiet?: boolean;
  stopChange: number;
  labels?: string;
  /** A model name, false for --no-retrain, undefined for the default (defaultRetrain). */
  retrain?: string | false;
  pseudo?: number;
}

/** `--model name=path`, repeatable. */
function modelOverrides(specs: readonly string[] = []): Record<string, string> {
  const models: Record<string, string> = {};
  for (const spec of specs) {
    const at = spec.indexOf('=');
    if (at <= 0 || at === spec.length - 1) throw new RefineError(`--model ${spec}: expected name=path (a model of the pipeline, and the file to score with)`);
    models[spec.slice(0, at)] = spec.slice(at + 1);
  }
  return models;
}

const n = (x: number): string => x.toLocaleString('en-US');

/** What the iteration recomputed and reused, phase by phase, in the run's order. */
function recomputedLine(record: IterationRecord): string {
  const ran = Object.entries(record.recomputed).filter(([, t]) => t.run > 0).map(([phase, t]) => `${phase} ${t.run}`);
  const reused = Object.entries(record.recomputed).filter(([, t]) => t.run === 0).map(([phase]) => phase);
  return `  recomputed: ${ran.join(', ') || 'nothing'} (tasks)${reused.length > 0 ? `; reused ${reused.join(', ')}` : ''}`;
}

/**
 * Whether the loop has settled: the kept set changed by less than `stopChange` of the documents
 * (and, with review labels, agreement stopped improving: src/refinement/review.ts adds that).
 */
export function stopLine(record: IterationRecord, stopChange: number, review?: ReviewOutcome): string {
  const changed = record.changed;
  if (!changed) return '';
  const share = `${(100 * changed.fraction).toFixed(2)}%`;
  const settled = changed.fraction < stopChange;
  const why = [`the kept set changed by ${share} of the documents (${settled ? '<' : '>='} ${(100 * stopChange).toFixed(2)}%, --stop-change)`];
  const improved = review?.change.improved ?? false;
  if (review) {
    const [a, b] = [review.before.agreement.rate, review.after.agreement.rate];
    why.push(`agreement with the labels ${improved ? 'improved' : 'stopped improving'} (${pct(a)} -> ${pct(b)})`);
  }
  return `  ${settled && !improved ? 'converged' : 'not converged'}: ${why.join(' and ')}`;
}

const pct = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);

/** With --labels: the iteration's number, agreement before it, and the model retrained for it. */
async function review(flags: RefineFlags): Promise<PreparedReview | undefined> {
  if (!flags.labels) return undefined;
  const layout = new RunLayout(resolve(flags.run));
  const state = await layout.storage.readJson<{ iteration: number; stage: string }>(RunKeys.refineState);
  const parent = await latestManifest(layout, state);
  const retrain = flags.retrain === false ? undefined : (flags.retrain ?? defaultRetrain(parent));
  if (retrain) checkRetrain(parent, retrain);
  return prepareReview(flags.run, state?.iteration ?? parent.iteration + 1, { labels: flags.labels, ...(retrain ? { retrain } : {}), ...(flags.pseudo ? { pseudo: flags.pseudo } : {}) });
}

export async function refineCommand(flags: RefineFlags): Promise<void> {
  const describe = [
    'winnow refine --run',
    flags.run,
    ...(flags.pipeline ? ['--pipeline', flags.pipeline] : []),
    ...(flags.model ?? []).flatMap((m) => ['--model', m]),
    ...(flags.labels ? ['--labels', flags.labels] : []),
    ...(flags.retrain === false ? ['--no-retrain'] : flags.retrain ? ['--retrain', flags.retrain] : []),
    ...(flags.pseudo ? ['--pseudo', String(flags.pseudo)] : []),
  ].join(' ');
  const events = progressReporter({ quiet: !!flags.quiet, tty: !!process.stderr.isTTY });
  const models = modelOverrides(flags.model);
  const prepared = await review(flags);
  const result = await refine(
    {
      run: flags.run,
      ...(flags.pipeline ? { pipeline: flags.pipeline } : {}),
      models,
      ...(flags.workers ? { workers: flags.workers } : {}),
      ...(prepared ? { review: { labels: { file: prepared.labels.file, sha256: prepared.labels.sha256 }, retrained: prepared.retrained } } : {}),
      events,
    },
    describe,
  );
  const outcome = prepared ? await concludeReview(flags.run, result.record.iteration, prepared) : undefined;
  const { manifest, parent, record, layout } = result;
  const changed = record.changed!;
  const lines = [
    formatSummary(manifest, layout, result.report),
    '',
    `iteration ${record.iteration} of ${layout.root}${result.resumed ? ' (finished after an interruption)' : ''}: config ${record.config_hash.slice(0, 12)}` +
      `${record.config_hash === parent.config.hash ? ' (unchanged)' : ` (was ${parent.config.hash.slice(0, 12)})`}, ${record.seconds.toFixed(1)} s`,
    recomputedLine(record),
    `  kept ${n(parent.counts.documents.curated)} -> ${n(manifest.counts.documents.curated)}: ${n(changed.newly_dropped)} newly dropped, ${n(changed.newly_kept)} newly kept`,
    ...(outcome ? reviewLines(outcome, flags.run) : []),
    stopLine(record, flags.stopChange, outcome),
    `  what changed: winnow diff --run ${flags.run} ${record.iteration - 1} ${record.iteration}`,
  ];
  process.stdout.write(`${lines.filter((l) => l !== '').join('\n')}\n`);
}

function reviewLines(o: ReviewOutcome, run: string): string[] {
  const { before, after, change } = o;
  const lines = [
    `  review ${o.labels.file} (${n(after.documents)} labelled documents): agreement ${pct(before.agreement.rate)} -> ${pct(after.agreement.rate)}, ` +
      `false drops ${n(before.false_drops)} -> ${n(after.false_drops)}, false keeps ${n(before.false_keeps)} -> ${n(after.false_keeps)}` +
      (change.kappa !== null ? `, kappa ${before.kappa!.toFixed(3)} -> ${after.kappa!.toFixed(3)}` : ''),
  ];
  for (const r of o.retrained) lines.push(`  retrained ${r.name} from the labels: ${r.path} (its card beside it)`);
  lines.push(`  per rule: winnow labels --run ${run} --labels ${o.labels.file}`);
  return lines;
}

export async function diffCommand(a: string | undefined, b: string | undefined, flags: { run: string; json?: boolean; examples: number }): Promise<void> {
  const layout = new RunLayout(resolve(flags.run));
  const latest = await layout.storage.readJson<RunManifest>('manifest.json');
  if (!latest) throw new RefineError(`${flags.run} is not a finished run (no manifest.json)`);
  const number = (s: string, what: string) => {
    if (!/^\d+$/.test(s)) throw new RefineError(`${what} iteration ${JSON.stringify(s)}: expected a number from 0 to ${latest.iteration}`);
    return Number(s);
  };
  const to = b !== undefined ? number(b, 'the second') : latest.iteration;
  const from = a !== undefined ? number(a, 'the first') : to - 1;
  if (from < 0) throw new RefineError(`${flags.run} has one iteration (0): nothing to compare yet (winnow refine makes the next)`);
  const con = await openEngine();
  try {
    const diff = await diffIterations(con, layout, from, to, flags.examples);
    process.stdout.write(flags.json ? `${JSON.stringify(diff, null, 2)}\n` : `${formatDiff(diff)}\n`);
  } finally {
    con.closeSync();
  }
}
