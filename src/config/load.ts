import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from './errors.js';
import { hashOf } from './hash.js';
import { pipelineSchema, type PipelineFile } from './pipeline.js';
import { ruleSetSchema, type RuleSet } from './ruleset.js';
import { PACKAGE_ROOT } from './version.js';
import { loadYamlFile } from './yaml-file.js';

/** A pipeline with every path made absolute, its rule sets loaded and command-line overrides applied. */
export interface Pipeline extends Omit<PipelineFile, 'output' | 'execution'> {
  file: string;
  ruleSets: RuleSet[];
  output: PipelineFile['output'] & { path: string };
  execution: PipelineFile['execution'] & { workers: number };
}

export interface Overrides {
  /** A folder, file or glob, relative to the current directory. */
  input?: string;
  output?: string;
  workers?: number;
}

export const BUILTIN_RULES_DIR = join(PACKAGE_ROOT, 'rules');

export function loadPipeline(file: string, overrides: Overrides = {}, cwd = process.cwd()): Pipeline {
  const path = resolve(cwd, file);
  const raw = loadYamlFile(path, pipelineSchema);
  const base = dirname(path);
  const ruleSets = raw.rules.map((ref, i) => loadRuleSet(resolveRuleSet(ref, base, path, i)));
  const duplicates = findDuplicateRuleNames(ruleSets);
  if (duplicates.length > 0) {
    throw new ConfigError(path, duplicates.map((d) => `rules: rule "${d}" is defined in more than one rule set`));
  }
  return {
    ...raw,
    file: path,
    input: { ...raw.input, path: overrides.input ? resolve(cwd, overrides.input) : resolve(base, raw.input.path) },
    ruleSets,
    output: {
      ...raw.output,
      path: overrides.output
        ? resolve(cwd, overrides.output)
        : raw.output.path
          ? resolve(base, raw.output.path)
          : resolve(cwd, 'runs', raw.name),
    },
    execution: {
      ...raw.execution,
      workers: overrides.workers ?? raw.execution.workers ?? Math.max(1, availableParallelism()),
    },
  };
}

export function loadRuleSet(file: string): RuleSet {
  return { ...loadYamlFile(file, ruleSetSchema), file };
}

function resolveRuleSet(ref: string, base: string, pipelineFile: string, index: number): string {
  // A bare name ("basic") is a rule set shipped with winnow; anything else is a path.
  const candidates = /^[A-Za-z0-9_-]+$/.test(ref)
    ? [join(base, `${ref}.yaml`), join(BUILTIN_RULES_DIR, `${ref}.yaml`)]
    : [isAbsolute(ref) ? ref : resolve(base, ref)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new ConfigError(pipelineFile, [`rules.${index}: rule set "${ref}" not found (looked for ${candidates.join(', ')})`]);
  }
  return found;
}

function findDuplicateRuleNames(sets: RuleSet[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const rule of sets.flatMap((s) => s.rules)) (seen.has(rule.name) ? dup : seen).add(rule.name);
  return [...dup];
}

/**
 * The hash of everything that decides a run's outputs. Paths, worker counts and memory budgets
 * are left out: they change where and how fast, not what.
 */
export function configHash(p: Pipeline): string {
  return hashOf(resultConfig(p));
}

export function resultConfig(p: Pipeline) {
  const { path: _input, ...input } = p.input;
  const { path: _output, ...output } = p.output;
  return {
    name: p.name,
    input,
    normalize: p.normalize,
    dedup: p.dedup,
    rules: p.ruleSets.map((s) => ({ name: s.name, rules: s.rules })),
    output,
  };
}
