import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../io/duckdb.js';
import { DEFAULT_LEVEL } from './defaults.js';
import type { FinishedRun } from './finished-run.js';
import type { LabelFile, Verdict } from './labels.js';

/** The normal quantile of a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/** A proportion and its Wilson score interval; null rate and interval with no documents. */
export interface Rate {
  count: number;
  of: number;
  rate: number | null;
  interval: [number, number] | null;
}

/**
 * Wilson's score interval for `k` successes in `n` trials (Wilson 1927). Unlike the normal
 * approximation it stays inside [0, 1] and is not empty at k = 0 or k = n, which matters here:
 * a rule often drops only a handful of labelled documents.
 */
export function wilson(k: number, n: number, z = Z95): [number, number] | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export function rate(count: number, of: number): Rate {
  return { count, of, rate: of > 0 ? count / of : null, interval: wilson(count, of) };
}

/**
 * Cohen's kappa of two binary raters from their 2x2 table: agreement beyond what their marginal
 * rates give by chance. Null when chance agreement is already certain (both said the same of every
 * document), where kappa is 0/0.
 */
export function cohensKappa(t: { keepKeep: number; keepDrop: number; dropKeep: number; dropDrop: number }): number | null {
  const n = t.keepKeep + t.keepDrop + t.dropKeep + t.dropDrop;
  if (n === 0) return null;
  const observed = (t.keepKeep + t.dropDrop) / n;
  const aKeep = (t.keepKeep + t.keepDrop) / n;
  const bKeep = (t.keepKeep + t.dropKeep) / n;
  const chance = aKeep * bKeep + (1 - aKeep) * (1 - bKeep);
  if (chance >= 1) return null;
  return (observed - chance) / (1 - chance);
}

/** One rule against the labels. */
export interface RuleAgreement {
  rule: string;
  /** Labelled documents the rule drops (its reason is among theirs), and those of them reviewers keep. */
  false_drops: Rate;
  /** Of those, the documents no other rule drops: they would come back without this rule. */
  alone: { documents: number; false_drops: number };
  /** Labelled documents the rule passes, and those of them reviewers drop: what it misses on its own. */
  false_keeps: Rate;
  /** The false-drop interval lies wholly above the level. */
  flagged: boolean;
}

export interface GroupAgreement {
  name: string;
  documents: number;
  agree: number;
  false_drops: number;
  false_keeps: number;
}

export interface Agreement {
  run: string;
  iteration: number;
  labels: {
    file: string;
    sha256: string;
    /** Distinct ids labelled keep or drop. */
    labelled: number;
    unlabelled: number;
    /** Labelled ids that name no document of the run, and the first few of them. */
    not_in_run: number;
    not_in_run_examples: string[];
    /** Ids that name more than one document of the run (inputs with repeated ids): the label counts for each. */
    ambiguous: number;
  };
  /** Labelled documents of the run. */
  documents: number;
  reviewers: { keep: number; drop: number };
  decisions: { kept: number; dropped: number };
  /** Documents where the run's decision and the reviewers' label agree: the accuracy, with its interval. */
  agreement: Rate;
  /** Dropped by the run, labelled keep; as a share of the labelled documents. */
  false_drops: number;
  /** Kept by the run, labelled drop. */
  false_keeps: number;
  kappa: number | null;
  /** A rule is flagged when the lower end of its false-drop interval is above this. */
  level: number;
  rules: RuleAgreement[];
  /** By source, grouped by the part before "/" as the run summary groups them. */
  sources: GroupAgreement[];
}

/** How many unmatched ids the report names. */
const EXAMPLES = 5;

/** One labelled document as the run decided it. */
export interface LabelledDecision {
  id: string;
  key: string;
  source: string | null;
  label: Verdict;
  kept: boolean;
  /** Every rule that drops it, in the run's order (empty when kept). */
  rules: string[];
}

/**
 * The labelled documents of a run's latest iteration, each with its fate: kept when it has no
 * rejected row. Labels are matched by the input id column; ordered by winnow key.
 */
export async function labelledDecisions(con: DuckDBConnection, run: FinishedRun, labels: LabelFile): Promise<{ decisions: LabelledDecision[]; notInRun: string[]; ambiguous: number }> {
  await loadLabels(con, labels);
  try {
    const decisions = await queryRows<{ id: string; key: string; source: string | null; label: Verdict; kept: boolean; rules: string[] | null }>(
      con,
      `SELECT s.id, s.key, s.source, l.label, r.key IS NULL AS kept, list_transform(r.reasons, x -> x.rule) AS rules
       FROM review_labels l JOIN (SELECT id, key, source FROM ${run.signals}) s ON s.id = l.id LEFT JOIN ${run.rejected} r ON r.key = s.key
       ORDER BY s.key`,
    );
    const found = new Map<string, number>();
    for (const d of decisions) found.set(d.id, (found.get(d.id) ?? 0) + 1);
    const notInRun = labels.labels.map((l) => l.id).filter((id) => !found.has(id));
    const ambiguous = [...found.values()].filter((n) => n > 1).length;
    return { decisions: decisions.map((d) => ({ ...d, rules: d.rules ?? [] })), notInRun, ambiguous };
  } finally {
    await con.run('DROP TABLE IF EXISTS review_labels');
  }
}

async function loadLabels(con: DuckDBConnection, labels: LabelFile): Promise<void> {
  await con.run('CREATE OR REPLACE TEMP TABLE review_labels (id VARCHAR, label VARCHAR)');
  const appender = await con.createAppender('review_labels');
  for (const l of labels.labels) {
    appender.appendVarchar(l.id);
    appender.appendVarchar(l.label);
    appender.endRow();
  }
  appender.closeSync();
}

/**
 * How a run's latest decisions agree with review labels: overall (accuracy, false drops and
 * keeps, Cohen's kappa), per rule (every rule of the manifest's counts, dedup and bad input
 * included: its false-drop rate among the labelled documents it drops and its false-keep rate
 * among those it passes, with Wilson intervals), and per source.
 */
export async function labelAgreement(con: DuckDBConnection, run: FinishedRun, labels: LabelFile, options: { level?: number } = {}): Promise<Agreement> {
  const { decisions, notInRun, ambiguous } = await labelledDecisions(con, run, labels);
  return agreementOf(decisions, Object.keys(run.manifest.counts.rules), {
    run: run.root,
    iteration: run.manifest.iteration ?? 0,
    labels: {
      file: labels.file,
      sha256: labels.sha256,
      labelled: labels.labels.length,
      unlabelled: labels.unlabelled,
      not_in_run: notInRun.length,
      not_in_run_examples: notInRun.slice(0, EXAMPLES),
      ambiguous,
    },
    level: options.level ?? DEFAULT_LEVEL,
  });
}

/** The metrics of labelled decisions (no I/O: the tests give them by hand). `rules` in the run's order. */
export function agreementOf(decisions: readonly LabelledDecision[], rules: readonly string[], meta: Pick<Agreement, 'run' | 'iteration' | 'labels' | 'level'>): Agreement {
  const t = { keepKeep: 0, keepDrop: 0, dropKeep: 0, dropDrop: 0 };
  for (const d of decisions) {
    if (d.kept) d.label === 'keep' ? t.keepKeep++ : t.keepDrop++;
    else d.label === 'keep' ? t.dropKeep++ : t.dropDrop++;
  }
  const n = decisions.length;
  // A reason the manifest does not count (an older run's) still gets its row, after the others.
  const named = [...rules, ...new Set(decisions.flatMap((d) => d.rules).filter((r) => !rules.includes(r)))];
  return {
    ...meta,
    documents: n,
    reviewers: { keep: t.keepKeep + t.dropKeep, drop: t.keepDrop + t.dropDrop },
    decisions: { kept: t.keepKeep + t.keepDrop, dropped: t.dropKeep + t.dropDrop },
    agreement: rate(t.keepKeep + t.dropDrop, n),
    false_drops: t.dropKeep,
    false_keeps: t.keepDrop,
    kappa: cohensKappa(t),
    rules: named.map((rule) => ruleAgreement(rule, decisions, meta.level)),
    sources: bySource(decisions),
  };
}

function ruleAgreement(rule: string, decisions: readonly LabelledDecision[], level: number): RuleAgreement {
  const drops = decisions.filter((d) => d.rules.includes(rule));
  const passes = decisions.filter((d) => !d.rules.includes(rule));
  const alone = drops.filter((d) => d.rules.length === 1);
  const falseDrops = rate(drops.filter((d) => d.label === 'keep').length, drops.length);
  return {
    rule,
    false_drops: falseDrops,
    alone: { documents: alone.length, false_drops: alone.filter((d) => d.label === 'keep').length },
    false_keeps: rate(passes.filter((d) => d.label === 'drop').length, passes.length),
    flagged: falseDrops.interval !== null && falseDrops.interval[0] > level,
  };
}

function bySource(decisions: readonly LabelledDecision[]): GroupAgreement[] {
  const groups = new Map<string, GroupAgreement>();
  for (const d of decisions) {
    const name = d.source === null ? '(none)' : d.source.split('/')[0]!;
    const g = groups.get(name) ?? { name, documents: 0, agree: 0, false_drops: 0, false_keeps: 0 };
    g.documents++;
    if (d.kept === (d.label === 'keep')) g.agree++;
    else if (d.kept) g.false_keeps++;
    else g.false_drops++;
    groups.set(name, g);
  }
  return [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** How agreement moved between two iterations' reports on the same labels: positive is better. */
export interface AgreementChange {
  accuracy: number | null;
  kappa: number | null;
  false_drops: number;
  false_keeps: number;
  /** Accuracy rose by more than `epsilon` (one labelled document, by default). */
  improved: boolean;
}

export function agreementChange(before: Agreement, after: Agreement, epsilon?: number): AgreementChange {
  const a = before.agreement.rate;
  const b = after.agreement.rate;
  const accuracy = a !== null && b !== null ? b - a : null;
  // Less than one document's worth is noise of ties, not improvement.
  const step = epsilon ?? (after.documents > 0 ? 1 / after.documents : 0);
  return {
    accuracy,
    kappa: before.kappa !== null && after.kappa !== null ? after.kappa - before.kappa : null,
    false_drops: before.false_drops - after.false_drops,
    false_keeps: before.false_keeps - after.false_keeps,
    improved: accuracy !== null && accuracy >= step - 1e-12,
  };
}

const n = (x: number): string => x.toLocaleString('en-US');
const pct = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
const interval = (r: Rate): string => (r.interval ? `${pct(r.interval[0])}..${pct(r.interval[1])}` : '');

/** The report as a table, for `winnow labels`. */
export function formatAgreement(a: Agreement): string {
  const l = a.labels;
  const lines = [
    `winnow labels: ${n(l.labelled)} labels in ${l.file} (sha256 ${l.sha256.slice(0, 12)}) against iteration ${a.iteration} of ${a.run}`,
  ];
  const notes = [
    l.not_in_run > 0 ? `${n(l.not_in_run)} ids not in the run (e.g. ${l.not_in_run_examples.map((x) => JSON.stringify(x)).join(', ')})` : '',
    l.unlabelled > 0 ? `${n(l.unlabelled)} rows without a label` : '',
    l.ambiguous > 0 ? `${n(l.ambiguous)} ids that name several documents (each counted)` : '',
  ].filter((x) => x !== '');
  if (notes.length > 0) lines.push(`  ${notes.join('; ')}`);
  if (a.documents === 0) {
    lines.push('  no labelled document is in the run: labels are matched by the input id column');
    return lines.join('\n');
  }
  lines.push(
    `  documents ${n(a.documents)}: reviewers keep ${n(a.reviewers.keep)}, drop ${n(a.reviewers.drop)}; the run keeps ${n(a.decisions.kept)}, drops ${n(a.decisions.dropped)}`,
    `  agreement ${pct(a.agreement.rate)} (${n(a.agreement.count)} of ${n(a.documents)}, 95% ${interval(a.agreement)}), Cohen's kappa ${a.kappa === null ? '-' : a.kappa.toFixed(3)}`,
    `  false drops ${n(a.false_drops)} (the run drops, reviewers keep), false keeps ${n(a.false_keeps)} (the run keeps, reviewers drop)`,
    '',
  );
  const width = Math.max(24, ...a.rules.map((r) => r.rule.length));
  lines.push(
    `  ${'rule'.padEnd(width)} ${'drops'.padStart(6)} ${'false'.padStart(6)} ${'rate'.padStart(7)} ${'95%'.padStart(13)} ${'alone'.padStart(6)} ${'passes'.padStart(7)} ${'misses'.padStart(7)} ${'rate'.padStart(7)} ${'95%'.padStart(13)}`,
  );
  const idle = a.rules.filter((r) => r.false_drops.of === 0);
  for (const r of a.rules.filter((x) => x.false_drops.of > 0)) {
    const fd = r.false_drops;
    const fk = r.false_keeps;
    lines.push(
      `  ${r.rule.padEnd(width)} ${n(fd.of).padStart(6)} ${n(fd.count).padStart(6)} ${pct(fd.rate).padStart(7)} ${interval(fd).padStart(13)} ${`${r.alone.false_drops}/${r.alone.documents}`.padStart(6)} ${n(fk.of).padStart(7)} ${n(fk.count).padStart(7)} ${pct(fk.rate).padStart(7)} ${interval(fk).padStart(13)}${r.flagged ? '  FLAGGED' : ''}`,
    );
  }
  const flagged = a.rules.filter((r) => r.flagged).map((r) => r.rule);
  lines.push(
    ...(idle.length > 0 ? [`  ${idle.length} rules drop no labelled document: ${idle.map((r) => r.rule).join(', ')}`] : []),
    '',
    '  drops: labelled documents the rule drops; false: those reviewers keep; alone: false of those no other rule drops;',
    '  passes: labelled documents it passes; misses: those reviewers drop (Wilson 95% intervals)',
    flagged.length > 0
      ? `  flagged (false-drop rate above ${pct(a.level)} with 95% confidence): ${flagged.join(', ')}`
      : `  no rule's false-drop rate is above ${pct(a.level)} with 95% confidence`,
    '',
    `  ${'source'.padEnd(width)} ${'documents'.padStart(9)} ${'agree'.padStart(6)} ${'false drops'.padStart(11)} ${'false keeps'.padStart(11)}`,
    ...a.sources.map((s) => `  ${s.name.padEnd(width)} ${n(s.documents).padStart(9)} ${pct(s.documents > 0 ? s.agree / s.documents : null).padStart(6)} ${n(s.false_drops).padStart(11)} ${n(s.false_keeps).padStart(11)}`),
  );
  return lines.join('\n');
}
