/**
 * `npm run bench:met-quality`, or `node dist/bench/met-quality.js`: tagging precision and recall
 * of the committed entity tree and the matcher on the evaluation set in fixtures/met/eval/
 * (src/met/evaluate.ts; method in docs/met.md, "Quality"), as the tables docs/met.md shows, then
 * what went wrong, for whoever improves the tree or the matcher: foci the tagger misses, disease
 * tags in questions that are not the focus, and judged mentions it gets wrong.
 *
 * Options: --tree FILE (default fixtures/met/met.json.gz), --set DIR (default fixtures/met/eval),
 * --errors N (lines of each error list, default 40; 0 for none), --json FILE (the whole report).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { evaluateQuality, formatQuality, loadEvalSet } from '../src/met/evaluate.js';
import { MetMatcher } from '../src/met/matcher.js';
import { loadMetTree } from '../src/met/tree.js';

const { values } = parseArgs({
  options: {
    tree: { type: 'string', default: join(PACKAGE_ROOT, 'fixtures', 'met', 'met.json.gz') },
    set: { type: 'string', default: join(PACKAGE_ROOT, 'fixtures', 'met', 'eval') },
    errors: { type: 'string', default: '40' },
    json: { type: 'string' },
  },
});
const limit = Number(values.errors);

const started = performance.now();
const tree = loadMetTree(values.tree!);
const matcher = MetMatcher.fromTree(tree);
const set = loadEvalSet(values.set!);
const report = evaluateQuality(tree, matcher, set);
const seconds = (performance.now() - started) / 1000;

console.log(`MedQuAD set: ${set.answers.length.toLocaleString('en-US')} answers, ${set.abstracts.length} PubMedQA abstracts, ${set.judged.length} judged mentions; ${seconds.toFixed(1)} s`);
console.log();
console.log(formatQuality(report));

if (limit > 0) {
  const { recall, questions, judged } = report;
  console.log(`\nfoci missed on the focus string, even relaxed (${recall.focus_misses.length}; first ${Math.min(limit, recall.focus_misses.length)}):`);
  for (const m of recall.focus_misses.slice(0, limit)) {
    const gold = m.gold.map((g) => `${g.id} ${g.label ?? '(not in the tree)'}`).join('; ');
    const tagged = m.tagged.map((t) => `${t.id} ${t.label}`).join('; ') || 'nothing';
    console.log(`  ${m.source} "${m.focus}": gold ${gold}; tagged ${tagged}`);
  }
  const byNode = new Map<string, { label: string; surfaces: Set<string>; n: number; example: string }>();
  for (const w of questions.wrong) {
    let e = byNode.get(w.node);
    if (!e) byNode.set(w.node, (e = { label: w.label, surfaces: new Set(), n: 0, example: w.question }));
    e.surfaces.add(w.surface);
    e.n++;
  }
  const ranked = [...byNode].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1));
  console.log(`\ndisease tags in questions that are not the focus (${questions.wrong.length} in ${byNode.size} nodes; first ${Math.min(limit, ranked.length)} nodes):`);
  for (const [id, e] of ranked.slice(0, limit)) {
    console.log(`  ${e.n} x ${id} ${e.label} (as ${[...e.surfaces].map((s) => `"${s}"`).join(', ')}), e.g. "${e.example}"`);
  }
  console.log(`\njudged mentions the tagger gets wrong (${judged.wrong.length}):`);
  for (const j of judged.wrong.slice(0, limit)) console.log(`  ${j.node} ${j.label} "${j.surface}" (${j.doc}): ${j.reason}`);
}

if (values.json !== undefined) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
