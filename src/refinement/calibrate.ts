import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadRuleSet } from '../config/load.js';
import { isListRule, isQuantileRule } from '../config/rule-kinds.js';
import type { ComparisonRule, Rule } from '../config/ruleset.js';
import { describeQuantile, thresholdIndex, type QuantileThreshold } from '../decisions/quantiles.js';
import { keepCondition, ruleReasons } from '../decisions/reasons-sql.js';
import { queryRows, sqlIdent, sqlString } from '../io/duckdb.js';
import { writeFileAtomic } from '../io/files.js';
import { ReviewError, type FinishedRun } from './finished-run.js';

/** What to calibrate and towards what: one target keep rate, or a drop budget per rule. */
export interface CalibrateRequest {
  /** The share of input documents the whole pipeline should keep, in (0, 1]. */
  keep?: number;
  /** Rule name to the largest share of the deduplicated documents it may drop alone. */
  budgets?: Record<string, number>;
  /** With `keep`: the rules to calibrate (default: every rule with a numeric or quantile threshold). */
  rules?: string[];
  /** The rule-set file to write. */
  out: string;
  /** The command line, recorded in the file's header. */
  command: string;
}

export interface CalibratedRule {
  rule: string;
  /** The rule set it was declared in. */
  set: string;
  signal: string;
  op: string;
  /** The thresholds as the audit trail shows them: `0.5`, `0.0361397 (quantile 0.25 of 3,534 unique documents)`. */
  old: string;
  new: string;
  /** What the written rule holds. */
  threshold: number | { quantile: number };
  /** Shares of the deduplicated documents the rule fails on its own (the share it would drop were it the only rule), before and after. */
  drops_alone: { old: number; new: number };
  /** With --budget: the share it may drop alone. */
  budget?: number;
  /** The run's keep rate had only this rule changed. */
  keep_rate_alone: number;
  /** Why the threshold is not what was asked: no values, or more documents fail it at any threshold than the budget allows. */
  note?: string;
}

export interface Calibration {
  run: string;
  iteration: number;
  mode: 'keep' | 'budget';
  /** Input documents (the keep rate's denominator, as the run summary's) and the deduplicated ones (the drop shares' denominator). */
  documents: number;
  population: number;
  keep_rate: {
    old: number;
    /** What deciding again with the written rules keeps, computed with decide's own SQL. */
    new: number;
    target?: number;
    /** With --keep: half the gap between the nearest rates one strictness can reach either side of the target (or the miss, when the target is out of reach). */
    tolerance?: number;
    /** With --keep: the nearest reachable rates at or below and above the target (null past either end). */
    nearest?: { below: number | null; above: number | null };
  };
  /** With --keep: the strictness, the share of the deduplicated documents each calibrated rule may drop alone. */
  strictness?: number;
  rules: CalibratedRule[];
  /** The rule sets the written file replaces in a pipeline, and the rules it carries unchanged so that it can. */
  file: { path: string; replaces: string[]; carried: string[]; use: string[] };
  /** Rule sets the file cannot replace (they hold a list rule): the rules to remove from them by hand. */
  remove_from: { set: string; rules: string[] }[];
}

/** Reasons that are not rules with thresholds: what they drop is held as it is. */
const NOT_THRESHOLD_RULES: Record<string, string> = {
  bad_input: 'bad input',
  exact_duplicate: 'exact deduplication',
  near_duplicate: 'near deduplication',
  boilerplate_only: 'boilerplate removal',
};
const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;

/** A rule of the run, where it was declared. */
interface RunRule {
  set: string;
  rule: Rule;
}

/** A rule being calibrated: `low` rules (>=, >) drop the lowest values, the others the highest. */
interface Target extends RunRule {
  rule: ComparisonRule & { op: '>=' | '>' | '<=' | '<' };
  i: number;
  low: boolean;
  /** Documents of the population it fails whatever its threshold: no value, or failing its exception's softer threshold. */
  fixed: number;
}

/** A cut between the (p-1)-th and p-th distinct values of a rule's signal: the threshold lies between `lo` and `hi`. */
interface Cut {
  rule: number;
  p: number;
  lo: number | null;
  hi: number | null;
  drops: number;
}

/**
 * Proposes thresholds from a run's cached signals. Each calibrated rule's candidate thresholds are
 * the gaps between consecutive distinct values of its signal over the deduplicated population (not
 * bad input, not a removed duplicate: the quantile rules' population); its strictness is how many
 * of those documents it fails on its own. --keep bisects one strictness shared by every calibrated
 * rule until the pipeline keeps the target share, every other reason held as the run decided it;
 * --budget gives each named rule the strictest threshold within its own share. Only counts leave
 * DuckDB.
 */
export async function calibrate(con: DuckDBConnection, run: FinishedRun, request: CalibrateRequest): Promise<Calibration> {
  const types = new Map(
    (await queryRows<{ column_name: string; column_type: string }>(con, `DESCRIBE SELECT * FROM ${run.signals}`)).map((c) => [c.column_name, c.column_type]),
  );
  const runRules = run.manifest.config.resolved.rules.flatMap((s) => s.rules.map((rule) => ({ set: s.name, rule: rule as Rule })));
  const targets = chooseTargets(runRules, request, types, run);
  const documents = run.manifest.counts.documents.input;
  try {
    const population = await buildTables(con, run, targets);
    for (const t of targets) await buildCuts(con, t);
    const oldQuantiles = new Map(run.manifest.quantiles.map((q) => [q.rule, q]));

    let budgets: number[];
    let search: { tolerance: number; nearest: { below: number | null; above: number | null }; strictness: number } | undefined;
    if (request.keep !== undefined) {
      const found = await searchStrictness(con, targets, population, request.keep * documents);
      budgets = targets.map(() => found.b);
      const rate = (kept: number | null) => (kept === null ? null : kept / documents);
      const nearest = { below: rate(found.below), above: rate(found.above) };
      const achieved = found.kept / documents;
      const gap = nearest.below !== null && nearest.above !== null ? (nearest.above - nearest.below) / 2 : Math.abs(achieved - request.keep);
      search = { tolerance: Math.max(gap, Math.abs(achieved - request.keep)), nearest, strictness: population > 0 ? found.b / population : 0 };
    } else {
      budgets = targets.map((t) => allowed(request.budgets![t.rule.name]!, population));
    }
    const cuts = await chosenCuts(con, budgets);
    const proposals: Proposal[] = [];
    for (const t of targets) proposals.push(await propose(con, t, cuts.get(t.i)!, oldQuantiles.get(t.rule.name)));
    const evaluation = await evaluate(con, run, targets, proposals, oldQuantiles);
    // The rate reported is decide's; the search's own count agrees, and the tolerance must hold for what is reported.
    if (search) search.tolerance = Math.max(search.tolerance, Math.abs(evaluation.keptNew / documents - request.keep!));

    const rules: CalibratedRule[] = targets.map((t, k) => {
      const p = proposals[k]!;
      const budget = request.budgets?.[t.rule.name];
      const failsAnyway = t.fixed > budgets[k]!;
      return {
        rule: t.rule.name,
        set: t.set,
        signal: t.rule.signal,
        op: t.rule.op,
        old: oldText(t.rule, oldQuantiles.get(t.rule.name)),
        new: p.text,
        threshold: p.threshold,
        drops_alone: { old: share(evaluation.dropsOld[k]!, population), new: share(evaluation.dropsNew[k]!, population) },
        ...(budget !== undefined ? { budget } : {}),
        keep_rate_alone: share(evaluation.keptAlone[k]!, documents),
        ...(p.note ? { note: p.note } : failsAnyway ? { note: `${pct(share(t.fixed, population))} fail it at any threshold (no value, or its exception's threshold)` } : {}),
      };
    });
    const written = writeRuleSet(request, run, runRules, targets, proposals, rules, {
      documents,
      population,
      old: evaluation.keptOld / documents,
      new: evaluation.keptNew / documents,
      search,
    });
    return {
      run: run.root,
      iteration: run.manifest.iteration ?? 0,
      mode: request.keep !== undefined ? 'keep' : 'budget',
      documents,
      population,
      keep_rate: {
        old: evaluation.keptOld / documents,
        new: evaluation.keptNew / documents,
        ...(request.keep !== undefined ? { target: request.keep, tolerance: search!.tolerance, nearest: search!.nearest } : {}),
      },
      ...(search ? { strictness: search.strictness } : {}),
      rules,
      ...written,
    };
  } finally {
    await con.run('DROP TABLE IF EXISTS cal_docs; DROP TABLE IF EXISTS cal_flags; DROP TABLE IF EXISTS cal_cuts');
  }
}

const share = (count: number, of: number): number => (of > 0 ? count / of : 0);
/** The most documents a share of the population allows, exact for shares such as 0.29 of 100. */
const allowed = (fraction: number, population: number): number => Math.floor(Math.round(fraction * population * 1e9) / 1e9);

/** The rules to calibrate, in the run's order, each refused in one line when it cannot be. */
function chooseTargets(runRules: readonly RunRule[], request: CalibrateRequest, types: ReadonlyMap<string, string>, run: FinishedRun): Target[] {
  const named = request.budgets ? Object.keys(request.budgets) : request.rules;
  const problem = (r: RunRule): string | undefined => {
    const rule = r.rule;
    if (isListRule(rule)) return `rule ${rule.name} is a list rule (${rule.op}): only a numeric threshold can be calibrated`;
    const type = types.get(rule.signal);
    if (!type) return `rule ${rule.name}: its signal ${rule.signal} is not in the run's signals`;
    if (!NUMERIC_TYPE.test(type)) return `rule ${rule.name}: its signal ${rule.signal} is ${type}, not a number; only numeric thresholds can be calibrated`;
    if (!['>=', '>', '<=', '<'].includes(rule.op)) return `rule ${rule.name}: op "${rule.op}" has no direction to tighten or loosen; only >=, >, <= and < rules can be calibrated`;
    if (!isQuantileRule(rule) && typeof rule.threshold !== 'number') return `rule ${rule.name}: its threshold is not a number`;
    return undefined;
  };
  let chosen: RunRule[];
  if (named) {
    const byName = new Map(runRules.map((r) => [r.rule.name, r]));
    for (const name of named) {
      const r = byName.get(name);
      if (!r) {
        if (NOT_THRESHOLD_RULES[name]) throw new ReviewError(`rule ${name} is the reason ${NOT_THRESHOLD_RULES[name]} gives, not a rule with a threshold: it cannot be calibrated`);
        const all = runRules.map((x) => x.rule.name);
        const listed = all.length > 12 ? `${all.slice(0, 12).join(', ')} and ${all.length - 12} more` : all.join(', ') || 'none';
        throw new ReviewError(`rule ${name}: not a rule of ${run.root} (its rules: ${listed})`);
      }
      const why = problem(r);
      if (why) throw new ReviewError(why);
    }
    chosen = runRules.filter((r) => named.includes(r.rule.name));
  } else {
    chosen = runRules.filter((r) => problem(r) === undefined);
    if (chosen.length === 0) throw new ReviewError(`${run.root}: no rule has a numeric threshold to calibrate`);
  }
  return chosen.map((r, i) => {
    const rule = r.rule as Target['rule'];
    return { ...r, rule, i, low: rule.op === '>=' || rule.op === '>', fixed: 0 };
  });
}

/**
 * cal_flags: per document, whether it is in the deduplicated population and whether a reason other
 * than the calibrated rules drops it (as the run decided). cal_docs adds, per calibrated rule, its
 * value, its exception's verdicts and the rank of its value among the distinct values it can be
 * cut between. Returns the population's size.
 */
async function buildTables(con: DuckDBConnection, run: FinishedRun, targets: Target[]): Promise<number> {
  const names = `[${targets.map((t) => sqlString(t.rule.name)).join(', ')}]::VARCHAR[]`;
  await con.run(`CREATE OR REPLACE TEMP TABLE cal_flags AS
    SELECT s.shard, s."row", s.bad_input IS NULL AND d.shard IS NULL AS __pop,
      s.bad_input IS NOT NULL OR coalesce(len(list_filter(r.reasons, x -> NOT list_contains(${names}, x.rule))) > 0, false) AS __other
    FROM (SELECT shard, "row", key, bad_input FROM ${run.signals}) s
    LEFT JOIN (SELECT DISTINCT shard, "row" FROM ${run.removed}) d ON d.shard = s.shard AND d."row" = s."row"
    LEFT JOIN ${run.rejected} r ON r.key = s.key`);
  const columns = targets.flatMap((t) => {
    const w = t.rule.except?.when;
    const soft = t.rule.except?.threshold;
    return [
      `${sqlIdent(t.rule.signal)}::DOUBLE AS v${t.i}`,
      `${w ? keepCondition({ name: t.rule.name, signal: w.signal, op: w.op, threshold: w.threshold }) : 'false'} AS e${t.i}`,
      `${soft === undefined ? 'true' : keepCondition({ name: t.rule.name, signal: t.rule.signal, op: t.rule.op, threshold: soft })} AS k${t.i}`,
    ];
  });
  await con.run(`CREATE OR REPLACE TEMP TABLE cal_docs AS
    SELECT f.shard, f."row", f.__pop, f.__other, s.* EXCLUDE (shard, "row")
    FROM cal_flags f JOIN (SELECT shard, "row", ${columns.join(', ')} FROM ${run.signals}) s ON s.shard = f.shard AND s."row" = f."row"`);
  const eligible = (t: Target) => `(__pop AND NOT e${t.i} AND v${t.i} IS NOT NULL)`;
  await con.run(`CREATE OR REPLACE TEMP TABLE cal_docs AS SELECT *${targets
    .map((t) => `, CASE WHEN ${eligible(t)} THEN dense_rank() OVER (PARTITION BY ${eligible(t)} ORDER BY v${t.i}) - 1 END AS r${t.i}`)
    .join('')} FROM cal_docs`);
  const [counts] = await queryRows<Record<string, number>>(
    con,
    `SELECT count(*) FILTER (WHERE __pop) AS population${targets
      .map((t) => `, count(*) FILTER (WHERE __pop AND CASE WHEN e${t.i} THEN NOT k${t.i} ELSE v${t.i} IS NULL END) AS fixed${t.i}`)
      .join('')} FROM cal_docs`,
  );
  for (const t of targets) t.fixed = counts![`fixed${t.i}`]!;
  await con.run('CREATE OR REPLACE TEMP TABLE cal_cuts (rule INTEGER, p INTEGER, lo DOUBLE, hi DOUBLE, drops BIGINT)');
  return counts!.population!;
}

/** Every cut of a rule and the documents of the population it fails there (those it fails at any threshold included). */
async function buildCuts(con: DuckDBConnection, t: Target): Promise<void> {
  const below = 'coalesce(sum(c) OVER (ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)';
  await con.run(`INSERT INTO cal_cuts
    WITH vals AS (SELECT v${t.i} AS v, count(*) AS c FROM cal_docs WHERE __pop AND NOT e${t.i} AND v${t.i} IS NOT NULL GROUP BY v${t.i}),
      ordered AS (SELECT v, (row_number() OVER (ORDER BY v) - 1)::INTEGER AS p, ${below} AS below, lag(v) OVER (ORDER BY v) AS lo FROM vals),
      total AS (SELECT coalesce(sum(c), 0) AS total, count(*)::INTEGER AS m, max(v) AS vmax FROM vals)
    SELECT ${t.i}, p, lo, v, ${t.fixed} + ${t.low ? 'below' : 'total - below'} FROM ordered, total
    UNION ALL SELECT ${t.i}, m, vmax, NULL, ${t.fixed} + ${t.low ? 'total' : '0'} FROM total`);
}

/** Per rule, the cut that fails the most documents within its budget, or the fewest when none is within it. */
async function chosenCuts(con: DuckDBConnection, budgets: readonly number[]): Promise<Map<number, Cut>> {
  const rows = await queryRows<Cut>(
    con,
    `SELECT c.* FROM cal_cuts c JOIN (
       SELECT rule, coalesce(arg_max(p, drops) FILTER (WHERE drops <= [${budgets.join(', ')}][rule + 1]), arg_min(p, drops)) AS p FROM cal_cuts GROUP BY rule
     ) k USING (rule, p) ORDER BY rule`,
  );
  return new Map(rows.map((c) => [c.rule, c]));
}

/** Documents kept when every calibrated rule fails at most `b` of the population (ranks, not floats: exact). */
async function keptAt(con: DuckDBConnection, targets: readonly Target[], b: number): Promise<number> {
  const cuts = await chosenCuts(
    con,
    targets.map(() => b),
  );
  const passes = targets.map((t) => `CASE WHEN e${t.i} THEN k${t.i} ELSE coalesce(r${t.i} ${t.low ? '>=' : '<'} ${cuts.get(t.i)!.p}, false) END`);
  const [{ kept }] = (await queryRows<{ kept: number }>(con, `SELECT count(*) AS kept FROM cal_docs WHERE NOT __other AND ${passes.join(' AND ')}`)) as [{ kept: number }];
  return kept;
}

/**
 * The strictness b (documents each rule may fail alone) whose keep count is nearest the target:
 * kept(b) falls as b grows, so bisect for the first b at or below the target and compare it with
 * the b before. Ties in the data make kept(b) jump; the jump around the target is the tolerance.
 */
async function searchStrictness(con: DuckDBConnection, targets: readonly Target[], population: number, target: number) {
  const memo = new Map<number, number>();
  const kept = async (b: number) => {
    if (!memo.has(b)) memo.set(b, await keptAt(con, targets, b));
    return memo.get(b)!;
  };
  if ((await kept(0)) <= target) return { b: 0, kept: await kept(0), below: await kept(0), above: null };
  if ((await kept(population)) > target) return { b: population, kept: await kept(population), below: null, above: await kept(population) };
  let lo = 0; // kept(lo) > target
  let hi = population; // kept(hi) <= target
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await kept(mid)) > target) lo = mid;
    else hi = mid;
  }
  // Of two strictnesses equally near, the looser: it changes less.
  const [above, below] = [await kept(lo), await kept(hi)];
  const b = above - target <= target - below ? lo : hi;
  return { b, kept: await kept(b), below, above };
}

interface Proposal {
  threshold: number | { quantile: number };
  /** For a quantile rule: the value it resolves to on this run, as the quantiles phase finds it. */
  quantile?: QuantileThreshold;
  text: string;
  note?: string;
}

/** The written threshold for a rule's chosen cut: its old one when that falls in the same gap, else the shortest number in the gap. */
async function propose(con: DuckDBConnection, t: Target, cut: Cut, oldQuantile: QuantileThreshold | undefined): Promise<Proposal> {
  const [range] = await queryRows<{ vmin: number | null; vmax: number | null }>(con, `SELECT min(hi) AS vmin, max(lo) AS vmax FROM cal_cuts WHERE rule = ${t.i}`);
  const { vmin, vmax } = range!;
  const old = t.rule.threshold;
  if (vmin === null || vmax === null) {
    return { threshold: old as number | { quantile: number }, text: oldText(t.rule, oldQuantile), note: 'no document of the population has a value: left as it was' };
  }
  const op = t.rule.op;
  const gap = {
    lo: cut.lo,
    hi: cut.hi,
    closedLo: cut.lo !== null && (op === '>' || op === '<='),
    closedHi: cut.hi !== null && (op === '>=' || op === '<'),
  };
  const inGap = (x: number) =>
    (gap.lo === null || (gap.closedLo ? x >= gap.lo : x > gap.lo)) && (gap.hi === null || (gap.closedHi ? x <= gap.hi : x < gap.hi));
  const numeric = (): number => {
    if (typeof old === 'number' && inGap(old)) return old;
    // An open end is bounded by the spread of the values, so "anything below the least value" is a number near it.
    const span = vmax - vmin || Math.max(1, Math.abs(vmin));
    const lo = gap.lo ?? vmin - span;
    const hi = gap.hi ?? vmax + span;
    return shortestBetween(lo, hi, gap.closedLo, gap.closedHi) ?? (gap.closedHi ? hi : lo);
  };
  if (!isQuantileRule(t.rule)) {
    const value = numeric();
    return { threshold: value, text: String(value) };
  }
  const q = await quantileFor(con, t, cut);
  if (q) return { threshold: { quantile: q.quantile }, quantile: q, text: describeQuantile(q) };
  const value = numeric();
  return { threshold: value, text: String(value), note: 'no quantile of the values falls in its gap: a fixed threshold' };
}

/**
 * A quantile rule keeps its form: the quantile whose value (read as the quantiles phase reads it,
 * over every document with a value, exempt ones included) falls in the chosen gap, the old one
 * when it still does, else the shortest. Undefined when no quantile can reach the gap.
 */
async function quantileFor(con: DuckDBConnection, t: Target, cut: Cut): Promise<QuantileThreshold | undefined> {
  const op = t.rule.op as '>=' | '<=';
  const v = `v${t.i}`;
  const [c] = await queryRows<{ n: number; a: number; b: number }>(
    con,
    `SELECT count(*) AS n,
       count(*) FILTER (WHERE ${op === '>=' ? `${v} <= k.lo` : `${v} < k.lo`}) AS a,
       count(*) FILTER (WHERE ${op === '>=' ? `${v} <= k.hi` : `${v} < k.hi`}) - 1 AS b
     FROM cal_docs, (SELECT lo, hi FROM cal_cuts WHERE rule = ${t.i} AND p = ${cut.p}) k WHERE __pop AND ${v} IS NOT NULL`,
  );
  const n = c!.n;
  // Indices (ascending, over the n values) whose value lies in the gap.
  const first = cut.lo === null ? 0 : c!.a;
  const last = cut.hi === null ? n - 1 : c!.b;
  if (n === 0 || first > last) return undefined;
  const fits = (q: number) => q > 0 && q < 1 && thresholdIndex(op, q, n) >= first && thresholdIndex(op, q, n) <= last;
  const old = (t.rule.threshold as { quantile: number }).quantile;
  let quantile: number | undefined;
  if (fits(old)) quantile = old;
  else {
    // >= reads index ceil(q·n), <= index floor(q·n) - 1: the quantiles that land in [first, last].
    const [lo, hi] = op === '>=' ? [(first - 1) / n, last === n - 1 ? 1 : last / n] : [first === 0 ? 0 : (first + 1) / n, (last + 2) / n];
    const candidate = shortestBetween(Math.max(0, lo), Math.min(1, hi), false, false);
    quantile = [candidate, hi, lo, (lo + hi) / 2].find((x): x is number => x !== undefined && fits(x));
  }
  if (quantile === undefined) return undefined;
  const index = thresholdIndex(op, quantile, n);
  const [{ value }] = (await queryRows<{ value: number }>(con, `SELECT ${v} AS value FROM cal_docs WHERE __pop AND ${v} IS NOT NULL ORDER BY ${v} LIMIT 1 OFFSET ${index}`)) as [{ value: number }];
  return { rule: t.rule.name, signal: t.rule.signal, op, quantile, value, documents: n };
}

/**
 * The number with the fewest significant digits in an interval (each end open or closed), nearest
 * its middle: 0.75 rather than 0.7537313432835822 when both fall between the same two values.
 * Undefined when the interval holds no number (two adjacent doubles, both ends open).
 */
export function shortestBetween(lo: number, hi: number, closedLo: boolean, closedHi: boolean): number | undefined {
  if (!(lo < hi) && !(lo === hi && closedLo && closedHi)) return undefined;
  const inside = (x: number) => (closedLo ? x >= lo : x > lo) && (closedHi ? x <= hi : x < hi);
  const mid = lo / 2 + hi / 2;
  const top = Math.ceil(Math.log10(Math.max(Math.abs(lo), Math.abs(hi), Number.MIN_VALUE))) + 1;
  for (let e = top; e >= -330; e--) {
    const step = Number(`1e${e}`);
    const from = Math.floor(lo / step) - 1;
    const to = Math.ceil(hi / step) + 1;
    if (to - from > 1000) continue;
    let best: number | undefined;
    for (let k = from; k <= to; k++) {
      const x = Number(`${k}e${e}`);
      if (inside(x) && (best === undefined || Math.abs(x - mid) < Math.abs(best - mid))) best = x;
    }
    if (best !== undefined) return best === 0 ? 0 : best; // never -0
  }
  return undefined;
}

/** A rule's threshold as the audit trail shows it; a quantile with the value it resolved to in the run. */
function oldText(rule: ComparisonRule, q: QuantileThreshold | undefined): string {
  if (isQuantileRule(rule)) return q ? describeQuantile(q) : `quantile ${rule.threshold.quantile}`;
  return String(rule.threshold);
}

/**
 * The keep counts and drop counts with decide's own SQL (ruleReasons), on every document of the
 * run: as the run decided (a check on what was read), with every proposal, and with each proposal
 * alone. Documents a reason outside the calibrated rules dropped stay dropped.
 */
async function evaluate(con: DuckDBConnection, run: FinishedRun, targets: readonly Target[], proposals: readonly Proposal[], oldQuantiles: ReadonlyMap<string, QuantileThreshold>) {
  const newRules = targets.map((t, k) => ({ ...t.rule, threshold: proposals[k]!.threshold }) as ComparisonRule);
  const newQuantiles = new Map(proposals.flatMap((p) => (p.quantile ? [[p.quantile.rule, p.quantile] as const] : [])));
  const fails = (rules: ComparisonRule[], quantiles: ReadonlyMap<string, QuantileThreshold>) =>
    ruleReasons({ rules, badInput: 'bad_input', quantiles }).map((reason) => `(${reason}) IS NOT NULL`);
  const oldFails = fails(
    targets.map((t) => t.rule),
    oldQuantiles,
  );
  const newFails = fails(newRules, newQuantiles);
  const columns = [...oldFails.map((f, k) => `${f} AS o${k}`), ...newFails.map((f, k) => `${f} AS n${k}`)];
  const none = (flags: string[]) => (flags.length > 0 ? `NOT (${flags.join(' OR ')})` : 'true');
  const o = targets.map((_, k) => `o${k}`);
  const nn = targets.map((_, k) => `n${k}`);
  const aggregates = [
    `count(*) FILTER (WHERE NOT __other AND ${none(o)}) AS kept_old`,
    `count(*) FILTER (WHERE NOT __other AND ${none(nn)}) AS kept_new`,
    ...targets.map((_, k) => `count(*) FILTER (WHERE NOT __other AND ${none(o.map((x, j) => (j === k ? `n${k}` : x)))}) AS alone${k}`),
    ...targets.map((_, k) => `count(*) FILTER (WHERE __pop AND o${k}) AS drops_old${k}, count(*) FILTER (WHERE __pop AND n${k}) AS drops_new${k}`),
  ];
  const [row] = await queryRows<Record<string, number>>(
    con,
    `SELECT ${aggregates.join(', ')} FROM (SELECT __pop, __other, ${columns.join(', ')} FROM ${run.signals} s JOIN cal_flags USING (shard, "row"))`,
  );
  const r = row!;
  return {
    keptOld: r.kept_old!,
    keptNew: r.kept_new!,
    keptAlone: targets.map((_, k) => r[`alone${k}`]!),
    dropsOld: targets.map((_, k) => r[`drops_old${k}`]!),
    dropsNew: targets.map((_, k) => r[`drops_new${k}`]!),
  };
}

const pct = (x: number, digits = 1): string => `${(100 * x).toFixed(digits)}%`;
const count = (x: number): string => x.toLocaleString('en-US');

/** YAML for a value in a flow mapping: JSON's strings and numbers are YAML's too; keys here are plain identifiers. */
function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}: ${flow(v)}`)
      .join(', ')} }`;
  }
  // Names and signals read best plain; anything YAML could take for another type stays quoted.
  if (typeof value === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(value)) return value;
  return JSON.stringify(value);
}

/**
 * Writes the rule set: the calibrated rules with their new thresholds, each under a comment (old
 * and new threshold, the share it drops alone), and, so that the file can take the place of every
 * rule set it calibrates, the other rules of those sets as they were. A set with a list rule is not
 * carried (its list's path is not in the manifest): its calibrated rules must be removed from it by hand.
 */
function writeRuleSet(
  request: CalibrateRequest,
  run: FinishedRun,
  runRules: readonly RunRule[],
  targets: readonly Target[],
  proposals: readonly Proposal[],
  rules: readonly CalibratedRule[],
  rates: { documents: number; population: number; old: number; new: number; search?: { tolerance: number; strictness: number } | undefined },
): Pick<Calibration, 'file' | 'remove_from'> {
  const calibrated = new Map(targets.map((t, k) => [t.rule.name, k]));
  const sets = run.manifest.config.resolved.rules.map((s) => s.name);
  const touched = sets.filter((s) => runRules.some((r) => r.set === s && calibrated.has(r.rule.name)));
  const carries = (set: string) => !runRules.some((r) => r.set === set && !calibrated.has(r.rule.name) && isListRule(r.rule));
  const replaces = touched.filter(carries);
  const removeFrom = touched.filter((s) => !carries(s)).map((set) => ({ set, rules: runRules.filter((r) => r.set === set && calibrated.has(r.rule.name)).map((r) => r.rule.name) }));
  const carried: string[] = [];
  const body: string[] = [];
  for (const r of runRules) {
    const k = calibrated.get(r.rule.name);
    if (k !== undefined) {
      const c = rules[k]!;
      const { description: _stale, ...rule } = r.rule as ComparisonRule;
      body.push(
        `  # ${c.rule}: ${c.old} -> ${c.new}; drops ${pct(c.drops_alone.new, 2)} of the deduplicated documents alone (was ${pct(c.drops_alone.old, 2)})` +
          `${c.budget !== undefined ? `, budget ${pct(c.budget, 2)}` : ''}${c.note ? `; ${c.note}` : ''}`,
        `  - ${flow({ ...rule, threshold: proposals[k]!.threshold })}`,
      );
    } else if (replaces.includes(r.set)) {
      carried.push(r.rule.name);
      body.push(`  # ${r.rule.name}: unchanged (from ${r.set})`, `  - ${flow(r.rule)}`);
    }
  }
  const name = basename(request.out).replace(/\.ya?ml$/i, '');
  const first = sets.findIndex((s) => replaces.includes(s) || removeFrom.some((x) => x.set === s));
  const use = [...sets.slice(0, first).filter((s) => !replaces.includes(s)), request.out, ...sets.slice(first).filter((s) => !replaces.includes(s))];
  const s = rates.search;
  const header = [
    `# ${request.command}`,
    `# Proposed by winnow calibrate from iteration ${run.manifest.iteration ?? 0} of ${run.root} (config ${run.manifest.config.hash.slice(0, 12)}).`,
    `# Keep rate ${pct(rates.old, 2)} -> ${pct(rates.new, 2)} of ${count(rates.documents)} input documents` +
      (request.keep !== undefined ? ` (target ${pct(request.keep, 2)}, tolerance ${pct(s!.tolerance, 2)})` : '') +
      ', every reason outside these rules held as the run decided it.',
    ...(s ? [`# Strictness: each calibrated rule drops at most ${pct(s.strictness, 2)} of the ${count(rates.population)} deduplicated documents alone.`] : []),
    `# In a pipeline: rules: [${use.join(', ')}]`,
    ...(removeFrom.length > 0 ? removeFrom.map((r) => `# and remove ${r.rules.join(', ')} from rule set ${r.set} (it has a list rule, so this file does not replace it)`) : []),
    `name: ${flow(name)}`,
    `description: ${flow(`Thresholds proposed by winnow calibrate from ${run.root}; replaces rule sets ${replaces.join(', ') || '(none)'}.`)}`,
    'rules:',
  ];
  writeFileAtomic(request.out, `${[...header, ...body].join('\n')}\n`);
  // What is written must load as a rule set; if it does not, that is winnow's bug, and better said here than by the next run.
  loadRuleSet(request.out);
  return { file: { path: request.out, replaces, carried, use }, remove_from: removeFrom };
}

export function formatCalibration(c: Calibration): string {
  const w = {
    rule: Math.max(4, ...c.rules.map((r) => r.rule.length)),
    signal: Math.max(6, ...c.rules.map((r) => r.signal.length)),
    old: Math.max(3, ...c.rules.map((r) => short(r.old).length)),
    new: Math.max(3, ...c.rules.map((r) => short(r.new).length)),
  };
  const target =
    c.mode === 'keep'
      ? `--keep ${c.keep_rate.target}: one strictness for ${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}`
      : `--budget for ${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}`;
  const lines = [
    `winnow calibrate ${c.run} (iteration ${c.iteration}), ${target}`,
    `  ${'rule'.padEnd(w.rule)}  ${'signal'.padEnd(w.signal)}  ${'old'.padStart(w.old)}  ${'new'.padStart(w.new)}  ${'drops alone'.padStart(18)}  keep rate`,
    ...c.rules.map(
      (r) =>
        `  ${r.rule.padEnd(w.rule)}  ${r.signal.padEnd(w.signal)}  ${short(r.old).padStart(w.old)}  ${short(r.new).padStart(w.new)}  ` +
        `${`${pct(r.drops_alone.new)} (was ${pct(r.drops_alone.old)})`.padStart(18)}  ${pct(r.keep_rate_alone).padStart(9)}${r.budget !== undefined ? `  budget ${pct(r.budget)}` : ''}${r.note ? `  (${r.note})` : ''}`,
    ),
    `  drops alone: share of the ${count(c.population)} deduplicated documents the rule fails on its own; keep rate: the run's, had only that rule changed`,
  ];
  const k = c.keep_rate;
  if (c.mode === 'keep') {
    const near = k.nearest!;
    const either = [near.below, near.above].filter((x): x is number => x !== null).map((x) => pct(x, 2));
    lines.push(
      `  keep rate ${pct(k.old, 2)} -> ${pct(k.new, 2)} of ${count(c.documents)} documents: target ${pct(k.target!, 2)}, tolerance ${pct(k.tolerance!, 2)} ` +
        `(${either.length === 2 ? `the nearest rates the data allows: ${either.join(' and ')}` : `the target is out of reach: ${either[0]} is the nearest`}); ` +
        `each rule drops at most ${pct(c.strictness!, 2)} alone`,
    );
  } else lines.push(`  keep rate ${pct(k.old, 2)} -> ${pct(k.new, 2)} of ${count(c.documents)} documents`);
  lines.push(`  wrote ${c.file.path}: in a pipeline, rules: [${c.file.use.join(', ')}]`);
  if (c.file.carried.length > 0) lines.push(`    (it carries ${c.file.carried.length} rules of those sets unchanged, so it replaces ${c.file.replaces.join(', ')} whole)`);
  for (const r of c.remove_from) lines.push(`    and remove ${r.rules.join(', ')} from rule set ${r.set}: it has a list rule, which the file cannot carry`);
  return lines.join('\n');
}

/** A threshold for the table: a quantile's description without its population. */
const short = (text: string): string => text.replace(/ of [\d,]+ unique documents\)$/, ')');
