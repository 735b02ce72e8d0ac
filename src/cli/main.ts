import { Command } from 'commander';
import { MAX_WORKERS } from '../config/limits.js';
import { WINNOW_VERSION } from '../config/version.js';
import { DEFAULT_LEVEL } from '../refinement/defaults.js';
import { DEFAULT_TRAINING } from '../training/defaults.js';
import { reportError } from './errors.js';
import { collect, localRun, labelsLevel, number, positiveInt, sampleSeed, sampleSize, wholeNumber, workerCount } from './options.js';

// Each command's module is imported when the command runs: loading every command's engine for
// any one of them cost a third of a second per `winnow` process.

const T = DEFAULT_TRAINING;

const program = new Command()
  .name('winnow')
  .description('Curate sharded Parquet text corpora: deduplicate, filter, and explain every decision.')
  .version(WINNOW_VERSION)
  .option('--debug', 'print the stack trace of an error (or set WINNOW_DEBUG=1)')
  .showHelpAfterError('(winnow <command> --help lists the options)');

program
  .command('run')
  .description('run a pipeline: annotate, deduplicate, decide, report')
  .argument('<pipeline>', 'pipeline YAML file')
  .option('-i, --input <path>', 'input folder, Parquet file or glob, local or s3://bucket/prefix (overrides input.path)')
  .option('-o, --output <dir>', 'run folder, local or s3://bucket/prefix (overrides output.path)')
  .option('-w, --workers <n>', `worker threads, 1 to ${MAX_WORKERS} (overrides execution.workers)`, workerCount)
  .option('-q, --quiet', 'no progress output')
  .action(async (pipeline: string, flags) => (await import('./commands/run.js')).runCommand(pipeline, flags));

program
  .command('plan')
  .description("plan a run for batch jobs: check it as run does, pin its shards and write each phase's tasks (work/cluster/plan.json)")
  .argument('<pipeline>', 'pipeline YAML file')
  .option('-i, --input <path>', 'input folder, Parquet file or glob, local or s3://bucket/prefix (overrides input.path)')
  .option('-o, --output <dir>', 'run folder, local or s3://bucket/prefix (overrides output.path)')
  .option('--json', 'print the plan as JSON')
  .action(async (pipeline: string, flags) => (await import('./commands/cluster.js')).planCommand(pipeline, flags));

program
  .command('task')
  .description("run one slice of one phase of a planned run (a batch job's command); the phases before it must be complete")
  .argument('<phase>', 'annotate, score, dedup, cluster, quantiles, entities, coverage, decide or report')
  .requiredOption('-r, --run <dir>', 'run folder, planned with winnow plan')
  .option('--index <i>', 'this slice, from 0 (default: SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or WINNOW_TASK_INDEX, else 0)', wholeNumber)
  .option('--count <n>', 'slices the phase is split into (default: SLURM_ARRAY_TASK_COUNT or WINNOW_TASK_COUNT, else 1)', positiveInt)
  .option('-w, --workers <n>', `worker threads, 1 to ${MAX_WORKERS} (overrides execution.workers)`, workerCount)
  .option('-q, --quiet', 'no progress output')
  .action(async (phase: string, flags) => (await import('./commands/cluster.js')).taskCommand(phase, flags));

program
  .command('slurm')
  .description('run a pipeline on Slurm: plan it, write one sbatch script per phase (job arrays for the parallel ones) and submit them, each after the one before succeeded')
  .argument('<pipeline>', 'pipeline YAML file')
  .option('-i, --input <path>', 'input folder, Parquet file or glob, local or s3://bucket/prefix (overrides input.path)')
  .option('-o, --output <dir>', 'run folder on storage every node sees, or s3://bucket/prefix (overrides output.path)')
  .option('--scripts <dir>', "where to write the sbatch scripts and logs, on storage every node sees (default: the run folder's work/cluster/slurm/; required for a run on S3)")
  .option('-p, --partition <name>', 'Slurm partition')
  .option('-A, --account <name>', 'Slurm account')
  .option('--qos <name>', 'Slurm quality of service')
  .option('-c, --cpus-per-task <n>', "CPUs of each task: its worker threads", positiveInt, 4)
  .option('--mem <size>', 'memory of each task, as sbatch reads it (8G)')
  .option('-t, --time <limit>', 'time limit of each task, as sbatch reads it (2:00:00)')
  .option('--max-array-tasks <n>', 'the most array tasks a phase is split into', positiveInt, 100)
  .option('--requeue', 'let Slurm requeue a task whose node fails or is preempted')
  .option('--sbatch <option>', 'a further #SBATCH option for every job, as written after #SBATCH (repeatable)', collect)
  .option('--command <words>', 'how compute nodes start winnow (default: this node and this winnow, by absolute path)')
  .option('--from <phase>', 'submit the phases from this one on (the earlier ones done, or submitted with --after)')
  .option('--after <job>', "make the first submitted job wait for this Slurm job id (ids joined by ':') to succeed")
  .option('--dry-run', 'write and print the scripts and the sbatch commands; submit nothing')
  .action(async (pipeline: string, flags) => (await import('./commands/cluster.js')).slurmCommand(pipeline, flags));

program
  .command('k8s')
  .description('run a pipeline on Kubernetes: plan it and write one Indexed Job per phase, with the script that applies them in order (docs/cluster.md)')
  .argument('<pipeline>', 'pipeline YAML file, on the volume the pods mount')
  .option('-i, --input <path>', 'input folder, Parquet file or glob, local or s3://bucket/prefix (overrides input.path)')
  .option('-o, --output <dir>', 'run folder on the volume, or s3://bucket/prefix (overrides output.path)')
  .requiredOption('--image <image>', 'the winnow image (docker build -t <image> . in this repository)')
  .option('--claim <name>', 'the PersistentVolumeClaim every pod mounts: inputs, pipeline and run folder (none when they are on S3 and the pipeline in the image)')
  .option('--secret <name>', "a Secret whose keys become each pod's environment: S3 credentials and endpoint")
  .option('--scripts <dir>', "where to write the manifests and apply.sh (default: the run folder's work/cluster/k8s/; required for a run on S3)")
  .option('--mount <path>', 'where pods mount it, the same path as here', '/data')
  .option('-n, --namespace <name>', 'Kubernetes namespace')
  .option('-c, --cpus <n>', "CPUs of each pod: its worker threads", positiveInt, 4)
  .option('--memory <size>', 'memory of each pod (8Gi)')
  .option('--parallelism <n>', 'the most pods of one phase at a time', positiveInt, 16)
  .option('--max-tasks <n>', 'the most indexes a phase is split into', positiveInt, 100)
  .option('--retries <n>', 'retries of each index before its phase fails', wholeNumber, 2)
  .action(async (pipeline: string, flags) => (await import('./commands/cluster.js')).k8sCommand(pipeline, flags));

program
  .command('forecast')
  .description('what a whole run will take (core-hours and memory per phase, output and work sizes, Slurm settings), from a sample of its shards run for real')
  .argument('<pipeline>', 'pipeline YAML file')
  .option('-i, --input <path>', 'input folder, Parquet file or glob, local or s3://bucket/prefix (overrides input.path)')
  .option('-s, --sample <k>', 'shards to run, spread over the input', positiveInt, 3)
  .option('-c, --cpus-per-task <n>', 'worker threads of each cluster task, for the suggested settings', positiveInt, 4)
  .option('--json', 'print JSON')
  .action(async (pipeline: string, flags) => (await import('./commands/cluster.js')).forecastCommand(pipeline, flags));

program
  .command('validate')
  .description('check a pipeline, its rule sets and its input shards without running')
  .argument('<pipeline>', 'pipeline YAML file')
  .option('-i, --input <path>', 'input folder, Parquet file or glob, local or s3://bucket/prefix (overrides input.path)')
  .option('--no-inputs', 'check the files only, not the input shards')
  .action(async (pipeline: string, flags) => {
    process.exitCode = await (await import('./commands/validate.js')).validateCommand(pipeline, flags);
  });

program
  .command('why')
  .description("explain a document's fate in a run: kept, or every reason it was dropped; by id or key, for a file of ids, or by a snippet of its text")
  .argument('[id]', 'document id, or winnow key (<shard>#<row>)')
  .requiredOption('-r, --run <dir>', 'run folder', localRun)
  .option('--ids <file>', 'a file of ids or keys, one per line: one JSON line per id, in one pass over the run')
  .option('--text <snippet>', 'the documents whose text (as winnow measured it: normalized) contains this snippet')
  .option('--limit <n>', 'with --text: the most documents shown', positiveInt, 20)
  .option('--json', 'print JSON')
  .action(async (id: string | undefined, flags) => {
    process.exitCode = await (await import('./commands/why.js')).whyCommand(id, flags);
  });

program
  .command('audit')
  .description("a sample of a run's dropped (or kept) documents, with every reason, value and threshold, their source and text")
  .requiredOption('-r, --run <dir>', 'run folder', localRun)
  .option('--reason <rule>', 'dropped documents with this reason among theirs')
  .option('--primary', 'with --reason: only those for which it is the primary reason')
  .option('--source <source>', 'documents of this source (or its sub-sources: udhr matches udhr/fr)')
  .option('--kept', 'kept documents instead of dropped ones')
  .option('-n, --sample <n>', 'how many documents', sampleSize, 10)
  .option('--seed <n>', 'the sample is a function of the seed', sampleSeed, 0)
  .option('-i, --iteration <n>', 'an earlier iteration of a refined run (default: the latest)', wholeNumber)
  .option('--json', 'print JSON lines, one per document')
  .action(async (flags) => {
    process.exitCode = await (await import('./commands/audit.js')).auditCommand(flags);
  });

program
  .command('report')
  .description("write a run's report.html again: one self-contained page of charts and samples (opens from a file, no network)")
  .requiredOption('-r, --run <dir>', 'run folder, or s3://bucket/prefix')
  .option('-i, --iteration <n>', 'an earlier iteration of a refined run (default: the latest)', wholeNumber)
  .option('--out <file>', "where to write it (default: report.html beside the iteration's manifest.json)")
  .action(async (flags) => {
    process.exitCode = await (await import('./commands/audit.js')).reportCommand(flags);
  });

program
  .command('inspect')
  .description("a Parquet file's schema, rows, row groups, codecs and first rows: any input shard or output file")
  .argument('<file>', 'a Parquet file')
  .option('--rows <n>', 'how many first rows to show', wholeNumber, 3)
  .option('--json', 'print JSON')
  .action(async (file: string, flags) => {
    process.exitCode = await (await import('./commands/audit.js')).inspectCommand(file, flags);
  });

const met = program.command('met').description('the Medical Entity Tree: build one, and read what a run tagged');
met
  .command('build')
  .description('compile an entity tree from the ontologies a sources file lists (fixtures/met/sources.yaml builds the shipped one)')
  .argument('<sources>', 'sources YAML file')
  .requiredOption('-o, --out <file>', 'the tree to write: .json.gz (gzip-compressed) or .json')
  .option('--json', 'print the build report as JSON')
  .option('-q, --quiet', 'print nothing')
  .action(async (sources: string, flags: { out: string; quiet?: boolean; json?: boolean }) => {
    process.exitCode = (await import('./commands/met.js')).metBuildCommand(sources, flags);
  });
met
  .command('coverage')
  .description("a run's coverage of the entity tree: documents per node rolled up, rare diseases, concentration, per source, before and after filtering")
  .requiredOption('-r, --run <dir>', 'run folder', localRun)
  .option('--json', 'print JSON (the run\'s met/coverage.json)')
  .action(async (flags: { run: string; json?: boolean }) => {
    process.exitCode = await (await import('./commands/met-run.js')).metCoverageCommand(flags);
  });
met
  .command('docs')
  .description('every kept document that mentions a node or any node under it, from the run\'s index')
  .argument('<node>', 'node id (DOID:1612) or label ("breast cancer")')
  .requiredOption('-r, --run <dir>', 'run folder', localRun)
  .option('-l, --limit <n>', 'documents to list', positiveInt, 50)
  .option('-o, --out <file>', 'write every one of them, as curated rows with a met_node column, to this Parquet file')
  .option('--json', 'print JSON')
  .action(async (node: string, flags: { run: string; limit: number; out?: string; json?: boolean }) => {
    process.exitCode = await (await import('./commands/met-run.js')).metDocsCommand(node, flags);
  });

program
  .command('refine')
  .description("make the run's next iteration: run again what a changed pipeline, model or review touches, reusing everything else")
  .requiredOption('-r, --run <dir>', 'run folder', localRun)
  .option('-p, --pipeline <file>', "the changed pipeline (default: the one the latest iteration ran)")
  .option('-m, --model <name=path>', 'score with another model file in place of a pipeline model (repeatable)', collect)
  .option('-l, --labels <file>', 'review labels (CSV or JSON lines: id, label keep|drop): agreement before and after, and the model retrained from them')
  .option('--retrain <model>', 'the model to retrain from --labels (default: the model named like quality, or the only one)')
  .option('--no-retrain', 'with --labels, only measure agreement')
  .option('--pseudo <n>', 'add this many confident unlabelled documents per class to the retraining', positiveInt)
  .option('--stop-change <share>', 'the loop has converged when fewer documents than this share change fate', number(0, 1), 0.005)
  .option('-w, --workers <n>', `worker threads, 1 to ${MAX_WORKERS} (overrides execution.workers)`, workerCount)
  .option('-q, --quiet', 'no progress output')
  .action(async (flags) => (await import('./commands/refine.js')).refineCommand(flags));

program
  .command('diff')
  .description("documents whose fate changed between two iterations of a run, by the rule that changed it")
  .argument('[a]', 'the earlier iteration (default: the one before b)')
  .argument('[b]', 'the later iteration (default: the latest)')
  .requiredOption('-r, --run <dir>', 'run folder', localRun)
  .option('-e, --examples <n>', 'examples per rule', positiveInt, 3)
  .option('--json', 'print JSON')
  .action(async (a: string | undefined, b: string | undefined, flags) => (await import('./commands/refine.js')).diffCommand(a, b, flags));

program
  .command('sample')
  .description("a stratified review set of a run (kept, dropped, by primary reason, source and score band), as JSON lines and CSV for annotators")
  .requiredOption('-r, --run <dir>', 'run folder', localRun)
  .option('-n, --size <n>', 'documents in the set', sampleSize, 200)
  .option('--seed <n>', 'seed of the choice: the same seed gives the same set', sampleSeed, 1)
  .option('-o, --out <prefix>', 'write PREFIX.jsonl and PREFIX.csv (default: <run>/review/sample)')
  .action(async (flags) => {
    process.exitCode = await (await import('./commands/sample.js')).sampleCommand(flags);
  });

program
  .command('calibrate')
  .description("propose thresholds from a run's cached signals that reach a keep rate or per-rule drop budgets, written as a rule set")
  .requiredOption('-r, --run <dir>', 'run folder', localRun)
  .option('-k, --keep <share>', 'the share of input documents the pipeline should keep, in (0, 1]')
  .option('-b, --budget <rule=fraction>', 'the most of the deduplicated documents this rule may drop alone (repeatable)', collect)
  .option('--rules <names>', 'with --keep: the rules to calibrate, comma-separated (default: every rule with a numeric or quantile threshold)', collect)
  .option('-o, --out <file>', 'the rule set to write (default: <run>/review/calibrated.yaml)')
  .option('--json', 'print JSON')
  .action(async (flags) => {
    process.exitCode = await (await import('./commands/calibrate.js')).calibrateCommand(flags);
  });

program
  .command('labels')
  .description("how a run's latest decisions agree with review labels (id,label[,note] CSV or JSON lines): overall, per rule with confidence intervals, per source")
  .requiredOption('-r, --run <dir>', 'run folder', localRun)
  .requiredOption('-l, --labels <file>', 'the review labels: .csv with a header id,label[,note], or .jsonl; labels keep or drop')
  .option('--level <share>', "flag a rule when its false-drop rate is above this with 95% confidence", labelsLevel, DEFAULT_LEVEL)
  .option('--json', 'print JSON')
  .action(async (flags) => {
    process.exitCode = await (await import('./commands/labels.js')).labelsCommand(flags);
  });

program
  .command('train-classifier')
  .description('train a fastText classifier from Parquet or JSON-lines sources; writes the model (.ftz quantized, or .bin) and its card')
  .requiredOption('-o, --out <file>', 'the model to write: .ftz (quantized) or .bin (dense); the card goes beside it')
  .option('-p, --positive <source>', 'documents of the positive class: a Parquet file, folder or glob, or JSON lines (.jsonl[.gz]); path#column names the text column (repeatable)', collect)
  .option('-n, --negative <source>', 'documents of the negative class (repeatable)', collect)
  .option('--labelled <source>', 'documents that carry their label in --label-column (repeatable)', collect)
  .option('--label-column <name>', 'the label column of --labelled sources', 'label')
  .option('--positive-values <list>', 'comma-separated label values of --labelled sources that count as positive')
  .option('--eval-positive <source>', 'further positives to evaluate on, never trained on (repeatable)', collect)
  .option('--eval-negative <source>', 'further negatives to evaluate on, never trained on (repeatable)', collect)
  .option('--text-column <name>', 'the text column of every source without #column', 'text')
  .option('--name <name>', "the model's name in its card")
  .option('--description <text>', "the card's description")
  .option('--positive-label <name>', 'label of the positive class (the score is its probability)', 'positive')
  .option('--negative-label <name>', 'label of the negative class', 'negative')
  .option('--holdout <share>', 'share of examples held out for testing', number(0.01, 0.5), T.holdout)
  .option('--seed <n>', 'seed of the split, the training order and the initial weights', positiveInt, T.seed)
  .option('--threshold <p>', 'score at or above which the metrics call a document positive', number(0, 1), T.threshold)
  .option('--no-lowercase', 'keep case (the default lower-cases)')
  .option('--max-chars <n>', 'characters of each document the model reads', positiveInt, T.preprocessing.max_chars)
  .option('--epoch <n>', 'passes over the training data', positiveInt, T.fasttext.epoch)
  .option('--lr <rate>', 'learning rate', number(0.001, 5), T.fasttext.lr)
  .option('--dim <n>', 'size of the hidden layer', positiveInt, T.fasttext.dim)
  .option('--word-ngrams <n>', 'longest word n-gram', positiveInt, T.fasttext.wordNgrams)
  .option('--min-count <n>', 'fewest occurrences of a word to keep it', positiveInt, T.fasttext.minCount)
  .option('--bucket <n>', 'hash buckets for word n-grams', positiveInt, T.fasttext.bucket)
  .option('--cutoff <n>', 'input rows (words and n-grams) a quantized model keeps; 0 keeps all', number(0, 2 ** 31), T.quantize.cutoff)
  .option('--no-qnorm', 'do not quantize row norms separately')
  .option('--keep-dense', 'also write the dense .bin beside a .ftz')
  .option('-q, --quiet', 'no progress output')
  .action(async (flags) => (await import('./commands/train-classifier.js')).trainClassifierCommand(flags));

// Output piped into a reader that stops early (`| head`) is not an error of winnow's.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

try {
  await program.parseAsync();
} catch (err) {
  process.exitCode = reportError(err, { debug: program.opts().debug === true || !!process.env.WINNOW_DEBUG });
}
