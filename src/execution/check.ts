import type { Pipeline } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { atLine } from '../config/key-lines.js';
import { readFileSync } from 'node:fs';
import { checkRules, type RuleProblem } from '../decisions/rules.js';
import { MODEL_NAMES, modelLabels, readModelFile } from '../models/fasttext-file.js';
import { annotateFamilies, familyOfSignal, ruleColumns } from '../signals/registry.js';

/**
 * Everything that can be checked about a pipeline without reading data: rule signals and
 * thresholds, the signals asked for in curated rows, and every model file (complete, a
 * classifier, with the label asked for). Throws a ConfigError listing all problems.
 */
export function checkPipeline(pipeline: Pipeline): void {
  const columns = ruleColumns(pipeline);
  const problems = checkRules(pipeline.ruleSets, columns, (signal) => familyOfSignal(signal, pipeline));
  const known = new Set(columns.keys());
  if (pipeline.signals.families.includes('url') && !pipeline.input.columns.url) {
    const usesDomain = pipeline.ruleSets.some((s) => s.rules.some((r) => r.signal === 'url_domain'));
    if (usesDomain) problems.push({ file: pipeline.file, problem: 'rules use url_domain, but input.columns.url is not set' });
  }
  pipeline.output.curated_signals.forEach((name, i) => {
    if (!known.has(name)) {
      problems.push({ file: pipeline.file, problem: `${atLine(pipeline.lines, `output.curated_signals.${i}`)}output.curated_signals.${i}: unknown signal "${name}"; known: ${[...known].join(', ')}` });
    }
  });
  problems.push(...checkModels(pipeline));
  if (problems.length === 0) return;
  const byFile = new Map<string, string[]>();
  for (const p of problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p.problem]);
  const [first, ...rest] = [...byFile.entries()];
  throw new ConfigError(first![0], [...first![1], ...rest.flatMap(([file, list]) => list.map((p) => `${file}: ${p}`))]);
}

function checkModels(pipeline: Pipeline): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const say = (i: number, problem: string) => problems.push({ file: pipeline.file, problem: `${atLine(pipeline.lines, `signals.models.${i}`)}signals.models.${i} (${pipeline.models[i]!.name}): ${problem}` });
  const others = new Set(annotateFamilies(pipeline).flatMap((f) => f.signals.map((s) => s.name)));
  pipeline.models.forEach((m, i) => {
    if (others.has(m.name)) say(i, `"${m.name}" is already a signal of this pipeline; name the model's signal otherwise`);
    try {
      // The whole file's structure, without copying its matrices: the worker threads load it for scoring.
      const model = readModelFile(readFileSync(m.path), { check: true });
      if (model.args.model !== 3) {
        say(i, `${m.path} is a ${MODEL_NAMES[model.args.model as 1 | 2] ?? 'unknown'} model (word vectors), not a classifier`);
        return;
      }
      const labels = modelLabels(model);
      if (!labels.includes(m.label)) say(i, `${m.path} has no label ${m.label}; its labels: ${labels.join(', ')}`);
    } catch (err) {
      say(i, `${m.path}: ${(err as Error).message}`);
    }
  });
  return problems;
}
