import { basename } from 'node:path';
import { hashOf } from './hash.js';
import type { Pipeline } from './load.js';
import type { ResolvedModel } from './models.js';
import { contentHash } from './resources.js';
import { isListRule } from './rule-kinds.js';
import type { Rule } from './ruleset.js';

// What identifies a run's configuration: by content, never by where files live. Apart from the
// loader so that worker threads, which check it for every task, do not load the schema and YAML
// libraries.

/**
 * The hash of everything that decides a run's outputs. Paths, worker counts and memory budgets
 * are left out: they change where and how fast, not what.
 */
export function configHash(p: Pipeline): string {
  return hashOf(resultConfig(p));
}

/** A list rule by its file's name and content hash: the config hash must not depend on where it lives. */
function portableRule(rule: Rule) {
  if (!isListRule(rule)) return rule;
  return { ...rule, list: basename(rule.list), list_sha256: contentHash(rule.list) };
}

export function resultConfig(p: Pipeline) {
  const { path: _input, ...input } = p.input;
  // Where the run goes, and whether report.html is drawn, decide nothing in its outputs.
  const { path: _output, report: _report, ...output } = p.output;
  return {
    name: p.name,
    input,
    normalize: p.normalize,
    c4: p.c4,
    pii: { ...p.pii, patterns: p.piiPatterns?.patterns ?? [] },
    signals: { ...p.signals, models: p.models.map(portableModel) },
    dedup: p.dedup,
    // The tree by content, and only when a family tags with it.
    met: p.metTree ? { tree_sha256: p.metTree.sha256, thin_documents: p.met.thin_documents, gap_rows: p.met.gap_rows, weights: p.met.weights } : null,
    rules: p.ruleSets.map((s) => ({ name: s.name, rules: s.rules.map(portableRule) })),
    output,
  };
}

/** A model as the config hash sees it: by content, not by where it lives. */
export const portableModel = (m: ResolvedModel) => ({
  name: m.name,
  file: basename(m.path),
  sha256: m.sha256,
  label: m.label,
  preprocessing: m.preprocessing,
});
