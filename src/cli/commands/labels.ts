import { formatAgreement, labelAgreement } from '../../refinement/agreement.js';
import { openReviewEngine, readFinishedRun } from '../../refinement/finished-run.js';
import { readLabels } from '../../refinement/labels.js';

export interface LabelsFlags {
  run: string;
  labels: string;
  level: number;
  json?: boolean;
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
