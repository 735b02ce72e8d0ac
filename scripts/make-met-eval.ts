/**
 * The evaluation set for entity tagging (fixtures/met/eval/; method in docs/met.md, "Quality"),
 * from the shared data, byte for byte the same from the same data:
 *
 * - medquad-answers.jsonl: 1,500 MedQuAD answers (NIH, CC BY 4.0) whose focus maps, through its
 *   UMLS CUIs and the Human Disease Ontology's UMLS xrefs (allXREFinDO.tsv), to DOID terms, the
 *   gold nodes (less generic classes and parts of longer names: `goldOf`). Stratified by NIH website, in proportion to its answers with a gold node;
 *   within a website, foci (a page and its focus) in the order of a hash of page and focus, one
 *   answer each (the first by a hash of its question id) before any gets a second. Answers are cut at a word boundary after 1,200
 *   characters.
 * - pubmedqa-abstracts.jsonl: 300 PubMedQA abstracts (MIT; evaluation only), drawn by a hash of the
 *   PMID, their context paragraphs joined by blank lines.
 *
 * The judged sample of mentions (judged-mentions.jsonl) is people's work, not rebuilt; this script
 * helps extend it:
 *
 *   node dist/scripts/make-met-eval.js [--shared ../shared] [--out fixtures/met/eval]
 *       builds the set;
 *   node dist/scripts/make-met-eval.js --pending FILE [--tree fixtures/met/met.json.gz]
 *       writes the sampled mentions the current tagger finds that have no verdict yet, to judge:
 *       fill in "verdict" ("correct" or "wrong") and "reason" on each line;
 *   node dist/scripts/make-met-eval.js --merge FILE
 *       adds FILE's lines that have a verdict to judged-mentions.jsonl (replacing older verdicts
 *       on the same mention).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { sha256Hex } from '../src/config/hash.js';
import {
  ANSWER_CHARS,
  EVAL_FILES,
  judgementKey,
  loadEvalSet,
  parseJsonl,
  runningTexts,
  sampleMentions,
  toJsonl,
  type EvalAbstract,
  type EvalAnswer,
  type JudgedMention,
} from '../src/met/evaluate.js';
import { loadMetTree } from '../src/met/tree.js';
import { sharedFile } from './corpora.js';

export const MEDQUAD_ANSWERS = 1500;
export const PUBMEDQA_ABSTRACTS = 300;

interface MedquadRow {
  doc_id: string;
  source: string;
  focus: string;
  cuis: string[];
  synonyms: string[];
  qid: string;
  qtype: string;
  question: string;
  answer: string;
}

const hash = (s: string) => sha256Hex(s);
const byKey = <T>(key: (x: T) => string) => (a: T, b: T) => {
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/** UMLS CUI to DOID ids, from the ontology's cross-reference table, and the DOID labels. */
export function cuiToDoid(shared: string): { ids: Map<string, string[]>; labels: Map<string, string> } {
  const map = new Map<string, Set<string>>();
  const labels = new Map<string, string>();
  const lines = readFileSync(sharedFile(shared, 'doid', 'allXREFinDO.tsv'), 'utf8').split('\n');
  for (const line of lines.slice(1)) {
    const [id, label, xref] = line.split('\t').map((f) => f.trim().replace(/^"|"$/g, ''));
    if (!id) continue;
    if (label) labels.set(id, label);
    if (!xref?.startsWith('UMLS_CUI:')) continue;
    const cui = xref.slice('UMLS_CUI:'.length);
    let set = map.get(cui);
    if (!set) map.set(cui, (set = new Set()));
    set.add(id);
  }
  return { ids: new Map([...map].map(([cui, ids]) => [cui, [...ids].sort()])), labels };
}

/**
 * DOID's most general classes, "disease" and "syndrome": MedQuAD gives their CUIs to foci such as
 * "Cockayne syndrome type III" whose own CUI it lacks. They name no focus.
 */
export const GENERIC_GOLD = new Set(['DOID:4', 'DOID:225']);

const words = (s: string) => ` ${s.toLowerCase().replace(/'s\b/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;

/**
 * The gold nodes of a focus: the DOID terms its CUIs map to, less the generic classes, and less,
 * when the focus has two or more CUIs, the terms whose label is a strict part of the focus's name
 * (the CUIs of words inside a longer name: "pericarditis" in "Camptodactyly arthropathy coxa vara
 * pericarditis syndrome"). A focus with one CUI keeps its term even so ("acute lymphoblastic
 * leukemia" for "Adult Acute Lymphoblastic Leukemia").
 */
export function goldOf(focus: string, cuis: readonly string[], doid: ReturnType<typeof cuiToDoid>): string[] {
  const gold = new Set(cuis.flatMap((c) => doid.ids.get(c) ?? []).filter((g) => !GENERIC_GOLD.has(g)));
  if (cuis.length >= 2) {
    const name = words(focus);
    for (const g of [...gold]) {
      const label = words(doid.labels.get(g) ?? '');
      if (label !== name && name.includes(label)) gold.delete(g);
    }
  }
  return [...gold].sort();
}

/** Cut at a word boundary after at most `max` characters. */
export function trimText(text: string, max = ANSWER_CHARS): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.search(/\s\S*$/);
  return (space > 0 ? cut.slice(0, space) : text.slice(0, max)).trimEnd();
}

/** Seats in proportion to weights, by largest remainder (ties by name). */
function apportion(weights: Map<string, number>, seats: number): Map<string, number> {
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  const quotas = [...weights].map(([k, w]) => ({ k, exact: (seats * w) / total }));
  const out = new Map(quotas.map((q) => [q.k, Math.floor(q.exact)]));
  let left = seats - [...out.values()].reduce((a, b) => a + b, 0);
  for (const q of [...quotas].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || (a.k < b.k ? -1 : 1))) {
    if (left-- <= 0) break;
    out.set(q.k, out.get(q.k)! + 1);
  }
  return out;
}

export function medquadSet(shared: string, count = MEDQUAD_ANSWERS): EvalAnswer[] {
  const doid = cuiToDoid(shared);
  const rows = gunzipSync(readFileSync(sharedFile(shared, 'medquad', 'medquad.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as MedquadRow)
    .filter((d) => d.answer.trim() !== '');
  // A few CancerGov question ids repeat across the foci of one page.
  const idCount = new Map<string, number>();
  for (const d of rows) idCount.set(`${d.source}-${d.qid}`, (idCount.get(`${d.source}-${d.qid}`) ?? 0) + 1);
  // Foci (a page of one website and its focus), each with its answers in hash order.
  const foci = new Map<string, { key: string; source: string; answers: { row: MedquadRow; gold: string[]; rank: string }[] }>();
  const perSource = new Map<string, number>();
  for (const d of rows) {
    const gold = goldOf(d.focus, d.cuis, doid);
    if (gold.length === 0) continue;
    perSource.set(d.source, (perSource.get(d.source) ?? 0) + 1);
    const key = `${d.source}\t${d.doc_id}\t${d.focus}`;
    let f = foci.get(key);
    if (!f) foci.set(key, (f = { key, source: d.source, answers: [] }));
    f.answers.push({ row: d, gold, rank: hash(`medquad-answer\t${d.source}\t${d.qid}\t${d.focus}`) });
  }
  for (const f of foci.values()) f.answers.sort(byKey((a) => a.rank));
  const quotas = apportion(perSource, count);
  const chosen: EvalAnswer[] = [];
  for (const [source, quota] of [...quotas].sort(byKey(([s]) => s))) {
    // Round robin over the website's foci in hash order: every focus once before any twice.
    const order = [...foci.values()].filter((f) => f.source === source).sort(byKey((f) => hash(`medquad-focus\t${f.key}`)));
    const picked: { row: MedquadRow; gold: string[] }[] = [];
    for (let round = 0; picked.length < quota; round++) {
      for (const f of order) {
        const a = f.answers[round];
        if (a && picked.length < quota) picked.push(a);
      }
    }
    for (const { row: d, gold } of picked) {
      const unique = idCount.get(`${d.source}-${d.qid}`) === 1;
      chosen.push({
        id: `medquad-${d.source}-${d.qid}${unique ? '' : `~${hash(d.focus).slice(0, 6)}`}`,
        source: d.source,
        focus: d.focus,
        cuis: d.cuis,
        synonyms: d.synonyms,
        gold,
        qtype: d.qtype,
        question: d.question,
        answer: trimText(d.answer),
      });
    }
  }
  return chosen.sort(byKey((a) => a.id));
}

export function pubmedqaSet(shared: string, count = PUBMEDQA_ABSTRACTS): EvalAbstract[] {
  const data = JSON.parse(readFileSync(sharedFile(shared, 'pubmedqa', 'ori_pqal.json'), 'utf8')) as Record<string, { CONTEXTS: string[] }>;
  return Object.keys(data)
    .sort(byKey((pmid) => hash(`pubmedqa\t${pmid}`)))
    .slice(0, count)
    .sort()
    .map((pmid) => ({ id: `pubmedqa-${pmid}`, text: data[pmid]!.CONTEXTS.join('\n\n') }));
}

/** The rebuilt files, by name: what the committed ones must equal. */
export function buildEvalSet(shared: string): Record<string, string> {
  return {
    [EVAL_FILES.answers]: toJsonl(medquadSet(shared)),
    [EVAL_FILES.abstracts]: toJsonl(pubmedqaSet(shared)),
  };
}

const judgedOrder = byKey<JudgedMention>((j) => `${j.doc}\t${String(j.start).padStart(8, '0')}\t${String(j.end).padStart(8, '0')}\t${j.node}`);

async function pending(dir: string, treePath: string, file: string): Promise<void> {
  const set = loadEvalSet(dir);
  const tree = loadMetTree(treePath);
  const { MetMatcher } = await import('../src/met/matcher.js');
  const { sampled } = sampleMentions(tree, MetMatcher.fromTree(tree), runningTexts(set));
  const judged = new Set(set.judged.filter((j) => j.verdict !== '').map(judgementKey));
  const todo: JudgedMention[] = sampled.filter((m) => !judged.has(judgementKey(m))).map((m) => ({ ...m, verdict: '', reason: '' }));
  writeFileSync(file, toJsonl(todo.sort(judgedOrder)));
  console.log(`${todo.length} of ${sampled.length} sampled mentions have no verdict: ${file}`);
}

function merge(dir: string, file: string): void {
  const path = join(dir, EVAL_FILES.judged);
  const all = new Map(parseJsonl<JudgedMention>(readFileSync(path, 'utf8')).map((j) => [judgementKey(j), j]));
  let added = 0;
  for (const j of parseJsonl<JudgedMention>(readFileSync(file, 'utf8'))) {
    if (j.verdict === '') continue;
    if (j.verdict !== 'correct' && j.verdict !== 'wrong') throw new Error(`${file}: verdict "${String(j.verdict)}" for ${judgementKey(j)}; use "correct" or "wrong"`);
    if (j.reason.trim() === '') throw new Error(`${file}: no reason for ${judgementKey(j)}`);
    const { doc, start, end, node, label, type, surface, context, verdict, reason } = j;
    all.set(judgementKey(j), { doc, start, end, node, label, type, surface, context, verdict, reason });
    added++;
  }
  writeFileSync(path, toJsonl([...all.values()].sort(judgedOrder)));
  console.log(`${added} verdicts merged; ${all.size} judged mentions in ${path}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') },
      out: { type: 'string', default: join(PACKAGE_ROOT, 'fixtures', 'met', 'eval') },
      tree: { type: 'string', default: join(PACKAGE_ROOT, 'fixtures', 'met', 'met.json.gz') },
      pending: { type: 'string' },
      merge: { type: 'string' },
    },
  });
  const dir = resolve(values.out!);
  if (values.pending !== undefined) return pending(dir, resolve(values.tree!), resolve(values.pending));
  if (values.merge !== undefined) return merge(dir, resolve(values.merge));
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(buildEvalSet(resolve(values.shared!)))) {
    writeFileSync(join(dir, name), content);
    console.log(`${name}: ${content.split('\n').length - 1} records, ${(Buffer.byteLength(content) / 1e6).toFixed(2)} MB`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
