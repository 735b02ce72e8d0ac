import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from './errors.js';
import { findModelFile, resolveModel, type ResolvedModel } from './models.js';
import { pipelineSchema, type PipelineFile } from './pipeline.js';
import { isListRule } from './rule-kinds.js';
import { piiFileTypes } from './phi-detectors.js';
import { piiPatternFileSchema, ruleSetSchema, type PiiPatternFile, type RuleSet } from './ruleset.js';
import { contentHash, findResource, type ResourceKind } from './resources.js';
import { PACKAGE_ROOT } from './version.js';
import { atLine, type KeyLines } from './key-lines.js';
import { loadYamlFile, loadYamlFileWithLines } from './yaml-file.js';

/** A pipeline with every path made absolute, its rule sets loaded and command-line overrides applied. */
export interface Pipeline extends Omit<PipelineFile, 'output' | 'execution'> {
  file: string;
  /** Where each key is written in the pipeline file, for problems found after loading. */
  lines: KeyLines;
  ruleSets: RuleSet[];
  /** The PII patterns, when redaction is on. */
  piiPatterns?: PiiPatternFile;
  /** `signals.models`, each found, checksummed and with its preprocessing settled. */
  models: ResolvedModel[];
  /** The entity tree file, found and checksummed, when the `met` family is on. */
  metTree?: { path: string; sha256: string };
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
  const { data: raw, lines } = loadYamlFileWithLines(path, pipelineSchema, 'pipeline');
  const base = dirname(path);
  // A referenced file that is not what the key says (a typo pointing at some other file) is the
  // pipeline's mistake: say so from the pipeline's line.
  const referenced = <T>(key: string, load: () => T): T => {
    try {
      return load();
    } catch (err) {
      if (err instanceof ConfigError && err.problems.length === 1 && err.problems[0]!.startsWith('does not look like')) {
        throw new ConfigError(path, [`${atLine(lines, key)}${key}: ${err.file} ${err.problems[0]}`]);
      }
      throw err;
    }
  };
  const ruleSets = raw.rules.map((ref, i) =>
    referenced(`rules.${i}`, () => loadRuleSet(resolveShipped(ref, base, path, lines, `rules.${i}`, RULE_SETS))),
  );
  const piiPatterns = raw.pii.enabled
    ? referenced('pii.patterns', () => loadPiiPatterns(resolveShipped(raw.pii.patterns, base, path, lines, 'pii.patterns', PII_PATTERNS)))
    : undefined;
  const fileTypes = piiPatterns ? piiFileTypes(piiPatterns) : [];
  const unknownTypes = (raw.pii.types ?? []).filter((t) => piiPatterns && !fileTypes.includes(t));
  if (unknownTypes.length > 0) {
    throw new ConfigError(path, [`${atLine(lines, 'pii.types')}pii.types: ${unknownTypes.join(', ')} not in ${piiPatterns!.file} (it has ${fileTypes.join(', ')})`]);
  }
  const models = raw.signals.models.map((entry, i) => {
    const key = `signals.models.${i}.path`;
    const { found, tried } = findModelFile(entry.path, base);
    if (!found) throw new ConfigError(path, [`${atLine(lines, key)}${key}: model "${entry.path}" not found (looked for ${tried.join(', ')})`]);
    try {
      return resolveModel(entry, found);
    } catch (err) {
      throw new ConfigError(path, [`${atLine(lines, key)}${key}: ${(err as Error).message}`]);
    }
  });
  const metTree = raw.signals.families.includes('met') ? resolveMetTree(raw.met.tree, base, path, lines) : undefined;
  if (!metTree && raw.met.weights.enabled) {
    throw new ConfigError(path, [`${atLine(lines, 'met.weights.enabled')}met.weights.enabled: weights come from the entity tree's tags; add met to signals.families`]);
  }
  const duplicates = findDuplicateRuleNames(ruleSets);
  if (duplicates.length > 0) {
    throw new ConfigError(path, duplicates.map((d) => `rules: rule "${d}" is defined in more than one rule set`));
  }
  return {
    ...raw,
    file: path,
    lines,
    ...(piiPatterns ? { piiPatterns } : {}),
    models,
    ...(metTree ? { metTree } : {}),
    input: { ...raw.input, path: overrides.input ? place(cwd, overrides.input) : place(base, raw.input.path) },
    ruleSets,
    output: {
      ...raw.output,
      path: overrides.output
        ? place(cwd, overrides.output)
        : raw.output.path
          ? place(base, raw.output.path)
          : resolve(cwd, 'runs', raw.name),
    },
    execution: {
      ...raw.execution,
      workers: overrides.workers ?? raw.execution.workers ?? Math.max(1, availableParallelism()),
    },
  };
}

/** A local path resolved against a folder; an object-store address (`s3://...`) as it is. */
const place = (base: string, path: string): string => (path.startsWith('s3://') ? path.replace(/\/+$/, '') : resolve(base, path));

/** A rule set, with list files resolved against its own folder. */
export function loadRuleSet(file: string): RuleSet {
  const { data: set, lines } = loadYamlFileWithLines(file, ruleSetSchema, 'rule set');
  const rules = set.rules.map((rule) => (isListRule(rule) ? { ...rule, list: resolve(dirname(file), rule.list) } : rule));
  return { ...set, rules, file, lines };
}

export function loadPiiPatterns(file: string): PiiPatternFile {
  return { ...loadYamlFile(file, piiPatternFileSchema, 'PII pattern'), file };
}

/** Entity trees built by `winnow met build`; the shipped one is fixtures/met/met.json.gz. */
export const MET_TREES: ResourceKind = { what: 'entity tree', extensions: ['.json.gz', '.json'], shippedDir: join(PACKAGE_ROOT, 'fixtures', 'met') };

function resolveMetTree(ref: string, base: string, pipelineFile: string, lines: KeyLines): { path: string; sha256: string } {
  const found = resolveShipped(ref, base, pipelineFile, lines, 'met.tree', MET_TREES);
  return { path: found, sha256: contentHash(found)! };
}

const RULE_SETS: ResourceKind = { what: 'rule set', extensions: ['.yaml'], shippedDir: BUILTIN_RULES_DIR };
const PII_PATTERNS: ResourceKind = { what: 'PII pattern file', extensions: ['.yaml'], shippedDir: BUILTIN_RULES_DIR };

/** A bare name ("basic") is a file beside the pipeline or shipped in winnow's rules/; anything else a path. */
function resolveShipped(ref: string, base: string, pipelineFile: string, lines: KeyLines, key: string, kind: ResourceKind): string {
  const { found, tried } = findResource(ref, base, kind);
  if (!found) {
    throw new ConfigError(pipelineFile, [`${atLine(lines, key)}${key}: ${kind.what} "${ref}" not found (looked for ${tried.join(', ')})`]);
  }
  return found;
}

function findDuplicateRuleNames(sets: RuleSet[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const rule of sets.flatMap((s) => s.rules)) (seen.has(rule.name) ? dup : seen).add(rule.name);
  return [...dup];
}

