import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config/errors.js';
import { WINNOW_VERSION } from '../config/version.js';
import { RunError } from '../execution/tasks.js';
import { InputError } from '../io/errors.js';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { whyCommand } from './commands/why.js';

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
};

const program = new Command()
  .name('winnow')
  .description('Curate sharded Parquet text corpora: deduplicate, filter, and explain every decision.')
  .version(WINNOW_VERSION)
  .showHelpAfterError();

program
  .command('run')
  .description('run a pipeline: annotate, deduplicate, decide, report')
  .argument('<pipeline>', 'pipeline YAML file')
  .option('-i, --input <path>', 'input folder, Parquet file or glob (overrides input.path)')
  .option('-o, --output <dir>', 'run folder (overrides output.path)')
  .option('-w, --workers <n>', 'worker threads (overrides execution.workers)', positiveInt)
  .option('-q, --quiet', 'no progress output')
  .action(async (pipeline: string, flags) => runCommand(pipeline, flags));

program
  .command('validate')
  .description('check a pipeline, its rule sets and its input shards without running')
  .argument('<pipeline>', 'pipeline YAML file')
  .option('-i, --input <path>', 'input folder, Parquet file or glob (overrides input.path)')
  .option('--no-inputs', 'check the files only, not the input shards')
  .action(async (pipeline: string, flags) => {
    process.exitCode = await validateCommand(pipeline, flags);
  });

program
  .command('why')
  .description("explain a document's fate in a run: kept, or every reason it was dropped")
  .argument('<id>', 'document id, or winnow key (<shard>#<row>)')
  .requiredOption('-r, --run <dir>', 'run folder')
  .option('--json', 'print JSON')
  .action(async (id: string, flags) => {
    process.exitCode = await whyCommand(id, flags);
  });

try {
  await program.parseAsync();
} catch (err) {
  if (err instanceof ConfigError || err instanceof InputError || err instanceof RunError) {
    process.stderr.write(`winnow: ${err.message}\n`);
    process.exitCode = err instanceof ConfigError ? 2 : 1;
  } else {
    process.stderr.write(`winnow: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
}
