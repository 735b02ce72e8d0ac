import type { Pipeline } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { checkRules } from '../decisions/rules.js';
import { familyOfSignal, ruleColumns } from '../signals/registry.js';

/**
 * Everything that can be checked about a pipeline without reading data: rule signals and
 * thresholds, and the signals asked for in curated rows. Throws a ConfigError listing all problems.
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
      problems.push({ file: pipeline.file, problem: `output.curated_signals.${i}: unknown signal "${name}"; known: ${[...known].join(', ')}` });
    }
  });
  if (problems.length === 0) return;
  const byFile = new Map<string, string[]>();
  for (const p of problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p.problem]);
  const [first, ...rest] = [...byFile.entries()];
  throw new ConfigError(first![0], [...first![1], ...rest.flatMap(([file, list]) => list.map((p) => `${file}: ${p}`))]);
}
