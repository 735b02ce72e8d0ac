/**
 * Chooses the documents of a review set for labelling, as fixtures/labels/dry-run-review.csv was
 * made: `node dist/scripts/select-review.js --run runs/dry-run --out /tmp/review`. Stratified
 * over the run's decisions: 40 kept documents, and for each primary reason 2 dropped documents
 * plus 1 per 100 it drops (at most 6), each stratum spread over the sources (a document's rank
 * within its stratum and source, then md5 order). Writes PREFIX.csv (id,label,note, labels
 * empty, in id order), PREFIX-blind.jsonl (a number and the text only, in md5 order) to read
 * and label without seeing the id, source or decision, and PREFIX-numbers.csv (n,id) to carry
 * the labels back.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { queryRows } from '../src/io/duckdb.js';
import { openReviewEngine, readFinishedRun } from '../src/refinement/finished-run.js';

const KEPT = 40;
const SALT = 'winnow-review:';

const { values } = parseArgs({ options: { run: { type: 'string' }, out: { type: 'string' } } });
if (!values.run || !values.out) {
  process.stderr.write('usage: node dist/scripts/select-review.js --run DIR --out PREFIX\n');
  process.exit(2);
}
const run = readFinishedRun(values.run);
const { con, close } = await openReviewEngine();
try {
  const chosen = await queryRows<{ id: string; stratum: string; text: string; h: string }>(
    con,
    `WITH fates AS (
       SELECT s.id, s.source, s.text, coalesce(r.primary_reason, 'kept') AS stratum, md5('${SALT}' || s.id) AS h
       FROM ${run.signals} s LEFT JOIN ${run.rejected} r ON r.key = s.key WHERE s.text IS NOT NULL),
     quota AS (
       SELECT stratum, CASE WHEN stratum = 'kept' THEN ${KEPT} ELSE least(count(*), 6, 2 + count(*) // 100) END AS n FROM fates GROUP BY stratum),
     ranked AS (
       SELECT f.*, row_number() OVER (PARTITION BY f.stratum, f.source ORDER BY h) AS within FROM fates f),
     ordered AS (
       SELECT r.*, row_number() OVER (PARTITION BY r.stratum ORDER BY within, h) AS pick FROM ranked r)
     SELECT o.id, o.stratum, o.text, o.h FROM ordered o JOIN quota q ON q.stratum = o.stratum WHERE o.pick <= q.n ORDER BY o.h`,
  );
  const ids = chosen.map((c) => c.id).sort();
  writeFileSync(`${values.out}.csv`, `id,label,note\n${ids.map((id) => `${id},,\n`).join('')}`);
  writeFileSync(`${values.out}-blind.jsonl`, chosen.map((c, i) => `${JSON.stringify({ n: i + 1, text: c.text })}\n`).join(''));
  writeFileSync(`${values.out}-numbers.csv`, `n,id\n${chosen.map((c, i) => `${i + 1},${c.id}\n`).join('')}`);
  const strata = new Map<string, number>();
  for (const c of chosen) strata.set(c.stratum, (strata.get(c.stratum) ?? 0) + 1);
  process.stdout.write(`${chosen.length} documents: ${[...strata].map(([s, n]) => `${s} ${n}`).join(', ')}\n`);
} finally {
  close();
}
