import { InvalidArgumentError } from 'commander';
import { DEFAULT_LEVEL, formatAgreement, labelAgreement } from '../../refinement/agreement.js';
import { openReviewEngine, readFinishedRun } from '../../refinement/finished-run.js';
import { readLabels } from '../../refinement/labels.js';

export { DEFAULT_LEVEL };

export interface LabelsFlags {
  run: string;
  labels: string;
  level: number;
  json?: boolean;
}

/** `--level`: a share in [0, 1). */
export function labelsLevel(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x < 0 || x >= 1) throw new InvalidArgumentError('expected a share from 0 to below 1');
  return x;
}

/** `winnow labels --run DIR --labels FILE`: how the run's latest decisions agree with review labels, overall and per rule. */
export async function labelsCommand(flags: LabelsFlags): Promise<number> {
  // The label file first: its errors are the likelier ones, and cheap to find.
  const labels = readLabels(flags.labels);
  const run = readFinishedRun(flags.run);
  const { con, close } = await openReviewEngine();
  try {
    const agreement = await labelAgreement(con, run, labels, { level: flags.level });
    process.stdout.write(flags.json ? `${JSON.stringify(agreement, null, 2)}\n` : `${formatAgreement(agreement)}\n`);
    return 0;
  } finally {
    close();
  }
}
