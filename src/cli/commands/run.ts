import { loadPipeline } from '../../config/load.js';
import { runPipeline } from '../../execution/runner.js';
import { progressReporter } from '../progress.js';
import { stoppable } from '../signals.js';
import { formatSummary } from '../summary.js';

export interface RunFlags {
  input?: string;
  output?: string;
  workers?: number;
  quiet?: boolean;
}

export async function runCommand(pipelineFile: string, flags: RunFlags): Promise<void> {
  const pipeline = loadPipeline(pipelineFile, { input: flags.input, output: flags.output, workers: flags.workers });
  const events = progressReporter({ quiet: !!flags.quiet, tty: !!process.stderr.isTTY });
  const { manifest, layout, report } = await stoppable((signal) => runPipeline(pipeline, { events, signal }));
  process.stdout.write(`${formatSummary(manifest, layout, report)}\n`);
}
