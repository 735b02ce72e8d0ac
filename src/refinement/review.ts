import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { RunKeys, RunLayout } from '../io/layout.js';
import type { RunManifest } from '../phases/report.js';
import { agreementChange, labelAgreement, type Agreement, type AgreementChange } from './agreement.js';
import { openReviewEngine, readFinishedRun, ReviewError } from './finished-run.js';
import { readLabels, type LabelFile } from './labels.js';
import { retrainFromLabels, runModel } from './retrain.js';
import { makeDirs } from '../storage/dirs.js';

/** `refine --labels`: what the iteration learns from review labels. */
export interface ReviewRequest {
  labels: string;
  /** The model to retrain from the labels; none to only measure agreement. */
  retrain?: string;
  /** Confident unlabelled documents per class added to the retraining (src/refinement/retrain.ts). */
  pseudo?: number;
}

/** Prepared before the iteration runs: the labels, agreement with the latest iteration, the retrained model. */
export interface PreparedReview {
  labels: LabelFile;
  before: Agreement;
  retrained: { name: string; path: string }[];
}

/** What an iteration records of its review (`iterations/<n>/review.json`), and what refine prints. */
export interface ReviewOutcome {
  labels: { file: string; sha256: string };
  retrained: { name: string; path: string }[];
  before: Agreement;
  after: Agreement;
  change: AgreementChange;
}

const reviewKey = (n: number) => `${RunKeys.iteration(n)}/review.json`;
const beforeKey = (n: number) => `${RunKeys.iteration(n)}/review-before.json`;

/**
 * The model a review retrains when none is named: the pipeline's model whose name says quality,
 * or its only model. Relevance models (medical) are not what reviewers of quality judge.
 */
export function defaultRetrain(manifest: RunManifest): string | undefined {
  const names = manifest.models.map((m) => m.name);
  return names.find((n) => /quality/.test(n)) ?? (names.length === 1 ? names[0] : undefined);
}

/**
 * Before iteration n runs: agreement of the latest iteration with the labels, and the retrained
 * model written to iterations/<n>/models/<name>.ftz. A refine resumed after a kill finds both from
 * its first attempt (the request's identity includes the labels' content, and retraining is
 * deterministic), because the latest iteration's outputs have moved by then.
 */
export async function prepareReview(runDir: string, n: number, request: ReviewRequest): Promise<PreparedReview> {
  const layout = new RunLayout(resolve(runDir));
  const labels = readLabels(request.labels);
  const model = request.retrain;
  const out = model ? join(layout.root, RunKeys.iteration(n), 'models', `${model}.ftz`) : undefined;
  const saved = await layout.storage.readJson<Agreement>(beforeKey(n));
  if (saved && saved.labels.sha256 === labels.sha256 && (!out || existsSync(out))) {
    return { labels, before: saved, retrained: model && out ? [{ name: model, path: out }] : [] };
  }
  const run = readFinishedRun(layout.root);
  const { con, close } = await openReviewEngine();
  let before: Agreement;
  try {
    before = await labelAgreement(con, run, labels);
  } finally {
    close();
  }
  const retrained: PreparedReview['retrained'] = [];
  if (model && out) {
    // Written aside, then renamed with its card: a kill never leaves a half-written model that a resume would take as done.
    const tmp = join(layout.root, RunKeys.scratch, `retrain-${n}`, basename(out));
    rmSync(dirname(tmp), { recursive: true, force: true });
    makeDirs(dirname(tmp));
    const result = await retrainFromLabels({ run: layout.root, labels, model: runModel(run.manifest, model), pseudo: request.pseudo ?? 0, out: tmp });
    makeDirs(dirname(out));
    for (const [from, to] of [
      [result.card.json, out.replace(/\.ftz$/, '.card.json')],
      [result.card.markdown, out.replace(/\.ftz$/, '.card.md')],
      [result.file, out],
    ] as const) {
      renameSync(from, to);
    }
    rmSync(dirname(tmp), { recursive: true, force: true });
    retrained.push({ name: model, path: out });
  }
  await layout.storage.writeJson(beforeKey(n), before);
  return { labels, before, retrained };
}

/** After iteration n: agreement with the same labels, how it moved, recorded beside the iteration. */
export async function concludeReview(runDir: string, n: number, prepared: PreparedReview): Promise<ReviewOutcome> {
  const layout = new RunLayout(resolve(runDir));
  const { con, close } = await openReviewEngine();
  let after: Agreement;
  try {
    after = await labelAgreement(con, readFinishedRun(layout.root), prepared.labels);
  } finally {
    close();
  }
  const outcome: ReviewOutcome = {
    labels: { file: prepared.labels.file, sha256: prepared.labels.sha256 },
    retrained: prepared.retrained,
    before: prepared.before,
    after,
    change: agreementChange(prepared.before, after),
  };
  await layout.storage.writeJson(reviewKey(n), outcome);
  return outcome;
}

/** A retrain request naming a model the run does not have, found before anything is written. */
export function checkRetrain(manifest: RunManifest, name: string): void {
  if (!manifest.models.some((m) => m.name === name)) {
    throw new ReviewError(`--retrain ${name}: the run has no model of that name (it has ${manifest.models.map((m) => m.name).join(', ') || 'none'})`);
  }
}
