import { join, resolve } from 'node:path';
import { calibrate, formatCalibration } from '../../refinement/calibrate.js';
import { openReviewEngine, readFinishedRun, ReviewError } from '../../refinement/finished-run.js';

export interface CalibrateFlags {
  run: string;
  keep?: string;
  budget?: string[];
  rules?: string[];
  out?: string;
  json?: boolean;
}

/** `--keep`: a share of the input documents in (0, 1]. Checked here rather than by the option parser, so the error is one line. */
function keepShare(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1) throw new ReviewError(`--keep ${value}: expected the share of the input documents to keep, above 0 and at most 1 (e.g. 0.30)`);
  return n;
}

/** `--budget RULE=FRACTION`, repeatable. */
function budgets(specs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const spec of specs) {
    const m = /^([^=]+)=(.+)$/.exec(spec);
    const f = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(f) || f < 0 || f > 1) throw new ReviewError(`--budget ${spec}: expected RULE=FRACTION, the share of the deduplicated documents (0 to 1) the rule may drop alone`);
    if (m[1]! in out) throw new ReviewError(`--budget ${spec}: rule ${m[1]} has two budgets`);
    out[m[1]!] = f;
  }
  return out;
}

/** `winnow calibrate --run DIR (--keep K | --budget RULE=F ...)`: proposed thresholds, written as a rule set. */
export async function calibrateCommand(flags: CalibrateFlags): Promise<number> {
  const hasBudget = (flags.budget ?? []).length > 0;
  if ((flags.keep === undefined) === !hasBudget) throw new ReviewError('give either --keep SHARE (one target keep rate) or --budget RULE=FRACTION (repeatable), not both and not neither');
  if (hasBudget && flags.rules) throw new ReviewError('--rules goes with --keep; with --budget the rules calibrated are the ones the budgets name');
  const keep = flags.keep === undefined ? undefined : keepShare(flags.keep);
  const budgetMap = hasBudget ? budgets(flags.budget!) : undefined;
  const run = readFinishedRun(flags.run);
  const rules = flags.rules?.flatMap((r) => r.split(',')).map((r) => r.trim()).filter((r) => r !== '');
  const out = resolve(flags.out ?? join(run.root, 'review', 'calibrated.yaml'));
  const command = ['winnow calibrate --run', flags.run, ...(keep !== undefined ? ['--keep', String(keep)] : []), ...(flags.budget ?? []).flatMap((b) => ['--budget', b]), ...(rules ? ['--rules', rules.join(',')] : [])].join(' ');
  const { con, close } = await openReviewEngine();
  try {
    const result = await calibrate(con, run, {
      ...(keep !== undefined ? { keep } : { budgets: budgetMap! }),
      ...(rules ? { rules } : {}),
      out,
      command,
    });
    process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatCalibration(result)}\n`);
    return 0;
  } finally {
    close();
  }
}
