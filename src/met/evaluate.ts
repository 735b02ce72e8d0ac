/**
 * Tagging quality of the Medical Entity Tree's matcher, measured on the evaluation set in
 * fixtures/met/eval/ (built by scripts/make-met-eval.ts; method in docs/met.md, "Quality"):
 *
 * - **recall of the focus**: MedQuAD answers whose focus (the disease the question asks about) maps,
 *   through its UMLS CUIs and the Human Disease Ontology's xrefs, to DOID terms, the gold nodes.
 *   Strict: a gold node is tagged; relaxed: a gold node or one of its descendants (a more specific
 *   mention) is; by name: relaxed, or a node named exactly like the focus (or one of MedQuAD's
 *   synonyms of it) is, which forgives near-miss CUIs. Measured on the answer text, on the answers
 *   that name the focus literally and those that do not, and on the focus string alone (synonym
 *   coverage, whatever the wording of the answer);
 * - **precision on questions**: a MedQuAD question names its focus and nothing else, so every disease
 *   the tagger finds in it should be a gold node, one of their ancestors or descendants, or a node of
 *   the same name (as a gold node, the focus or one of MedQuAD's synonyms of it);
 * - **precision on running text**: a deterministic sample of the mentions the tagger finds in the
 *   set's MedQuAD answers and PubMedQA abstracts, judged by reading them (judged-mentions.jsonl).
 *   A mention is in the sample when a hash of its place (document, start, end) falls below its
 *   corpus and node type's rate, so the sample stays the same as the tagger changes: mentions the
 *   current tagger finds that nobody judged are counted and reported, never guessed.
 *
 * Pure functions of a tagger and the set, apart from `loadEvalSet`, which reads the committed files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../config/hash.js';
import type { MetTree, NodeType } from './tree.js';

/** A mention as the matcher reports it: a node and the span of text that names it. */
export interface Mention {
  node: string;
  start: number;
  end: number;
}

/** What the evaluation needs of a matcher (MetMatcher has it). */
export interface Tagger {
  matches(text: string): readonly Mention[];
}

/** One MedQuAD answer of the set (medquad-answers.jsonl). */
export interface EvalAnswer {
  /** `medquad-<source>-<qid>`, as in fixtures/shards/. */
  id: string;
  /** The NIH website (GHR, GARD, CancerGov, ...). */
  source: string;
  focus: string;
  /** MedQuAD's UMLS CUIs of the focus. */
  cuis: string[];
  /** MedQuAD's synonyms of the focus. */
  synonyms: string[];
  /** DOID ids the CUIs map to (allXREFinDO.tsv), sorted. */
  gold: string[];
  qtype: string;
  question: string;
  /** The answer, cut at a word boundary after at most ANSWER_CHARS characters. */
  answer: string;
}

/** One PubMedQA abstract of the set (pubmedqa-abstracts.jsonl): its context paragraphs. */
export interface EvalAbstract {
  /** `pubmedqa-<pmid>`. */
  id: string;
  text: string;
}

export type Verdict = 'correct' | 'wrong';

/** A sampled mention and a person's verdict on it (judged-mentions.jsonl). */
export interface JudgedMention {
  /** Id of the answer or abstract. */
  doc: string;
  /** UTF-16 offsets of the mention in the committed text. */
  start: number;
  end: number;
  node: string;
  label: string;
  type: NodeType;
  surface: string;
  /** 80 characters either side, the mention in [[ ]], whitespace folded. */
  context: string;
  verdict: Verdict | '';
  reason: string;
}

export interface EvalSet {
  answers: EvalAnswer[];
  abstracts: EvalAbstract[];
  judged: JudgedMention[];
}

export const EVAL_FILES = {
  answers: 'medquad-answers.jsonl',
  abstracts: 'pubmedqa-abstracts.jsonl',
  judged: 'judged-mentions.jsonl',
} as const;

/** Answers are cut to this many characters (at a word boundary): the focus is named early. */
export const ANSWER_CHARS = 1200;
/** Characters of context either side of a sampled mention. */
export const CONTEXT_CHARS = 80;

/**
 * The share of mentions sampled for judging, by corpus and node type. Fixed, so that the sample
 * is the same for every tagger; chosen once with the first tree for about 300 mentions, 40 to 50
 * a cell (15 to 25 for imaging modalities, which are few).
 * Types with no rate are not sampled.
 */
export const SAMPLE_RATES: Readonly<Record<string, number>> = {
  'medquad/disease': 0.008,
  'medquad/anatomy': 0.0075,
  'medquad/symptom': 0.025,
  'medquad/modality': 0.2,
  'pubmedqa/disease': 0.05,
  'pubmedqa/anatomy': 0.06,
  'pubmedqa/symptom': 0.13,
  'pubmedqa/modality': 0.2,
};

export function parseJsonl<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export function toJsonl(rows: readonly unknown[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** Reads the committed set (fixtures/met/eval/). */
export function loadEvalSet(dir: string): EvalSet {
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return {
    answers: parseJsonl<EvalAnswer>(read(EVAL_FILES.answers)),
    abstracts: parseJsonl<EvalAbstract>(read(EVAL_FILES.abstracts)),
    judged: parseJsonl<JudgedMention>(read(EVAL_FILES.judged)),
  };
}

/** The corpus a document id belongs to: the part before the first "-". */
export const corpusOf = (doc: string): string => doc.slice(0, doc.indexOf('-'));

export interface Ratio {
  hits: number;
  total: number;
}
export const ratio = (r: Ratio): number => (r.total === 0 ? Number.NaN : r.hits / r.total);

export interface RecallPair {
  /** A gold node tagged. */
  strict: Ratio;
  /** A gold node or a descendant of one tagged. */
  relaxed: Ratio;
  /** Relaxed, or a node tagged whose label or synonym is the focus or one of MedQuAD's synonyms of it. */
  by_name: Ratio;
}

export interface FocusMiss {
  id: string;
  source: string;
  focus: string;
  gold: { id: string; label: string | null }[];
  /** Nodes the tagger finds in the focus string instead. */
  tagged: { id: string; label: string }[];
}

export interface RecallReport {
  answers: number;
  /** Answers none of whose gold nodes the tree holds (they count as misses). */
  gold_absent: number;
  /** The tagger on the answer text. */
  answer: RecallPair;
  /** The answers that name the focus (its string or one of MedQuAD's synonyms, whole words, any case). */
  named: RecallPair;
  /** The answers that do not. */
  unnamed: RecallPair;
  /** The tagger on the focus string alone. */
  focus: RecallPair;
  by_source: { source: string; answer: RecallPair; focus: RecallPair }[];
  /** Foci whose string the tagger misses even by name, each focus once, in set order. */
  focus_misses: FocusMiss[];
}

export interface WrongQuestionTag {
  id: string;
  question: string;
  node: string;
  label: string;
  surface: string;
}

export interface QuestionReport {
  questions: number;
  /** Distinct (question, disease node) tags, and those that belong to the focus. */
  disease_tags: Ratio;
  /** Distinct (question, node) tags of the other types, which name no focus: a count only. */
  other_tags: Partial<Record<NodeType, number>>;
  wrong: WrongQuestionTag[];
}

export type SampledMention = Omit<JudgedMention, 'verdict' | 'reason'>;

export interface JudgedCell {
  corpus: string;
  type: NodeType;
  /** Every mention the tagger finds in the corpus's texts of the set, of this type. */
  population: number;
  /** Those in the sample. */
  sampled: number;
  /** Sampled mentions with a verdict, and those judged correct. */
  judged: Ratio;
  /** Sampled mentions nobody judged (the tagger found them since the judging). */
  unjudged: number;
}

export interface JudgedReport {
  cells: JudgedCell[];
  /** Per type over both corpora, and over everything: each cell's precision weighted by its population. */
  by_type: { type: NodeType; precision: number; judged: number }[];
  precision: number;
  judged: number;
  unjudged: number;
  /** Judgements of mentions the current tagger no longer finds (they drop out of the figures). */
  stale: number;
  stale_wrong: number;
  /** Sampled mentions judged wrong, for the tagger's engineers. */
  wrong: JudgedMention[];
}

export interface QualityReport {
  tree: { name: string; sha256: string; nodes: number };
  recall: RecallReport;
  questions: QuestionReport;
  judged: JudgedReport;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fold = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Whether `text` contains `name` as whole words, any case, any run of whitespace. */
export function namesIn(text: string, name: string): boolean {
  const words = fold(name);
  if (words === '') return false;
  const pattern = words.split(' ').map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${pattern}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

/** Whether an answer names its focus: the focus string or one of MedQuAD's synonyms. */
export const namesFocus = (a: EvalAnswer): boolean => [a.focus, ...a.synonyms].some((n) => namesIn(a.answer, n));

function recallPair(): RecallPair {
  return { strict: { hits: 0, total: 0 }, relaxed: { hits: 0, total: 0 }, by_name: { hits: 0, total: 0 } };
}

/** Memoized descendant sets: relaxed recall asks for the same gold nodes again and again. */
function closures(tree: MetTree) {
  const down = new Map<string, Set<string>>();
  const up = new Map<string, string[]>();
  return {
    descendants(id: string): Set<string> {
      let s = down.get(id);
      if (!s) {
        s = new Set(tree.byId.has(id) ? tree.descendants(id) : [id]);
        down.set(id, s);
      }
      return s;
    },
    ancestors(id: string): string[] {
      let a = up.get(id);
      if (!a) {
        a = tree.ancestors(id);
        up.set(id, a);
      }
      return a;
    },
  };
}

/** Scores one text; returns whether it is a hit by name (the most lenient test). */
function score(pair: RecallPair, tagged: ReadonlySet<string>, gold: readonly string[], named: ReadonlySet<string>, below: (id: string) => Set<string>): boolean {
  const strict = gold.some((g) => tagged.has(g));
  const relaxed = strict || gold.some((g) => [...tagged].some((t) => below(g).has(t)));
  const byName = relaxed || [...tagged].some((t) => named.has(t));
  pair.strict.total++;
  pair.relaxed.total++;
  pair.by_name.total++;
  if (strict) pair.strict.hits++;
  if (relaxed) pair.relaxed.hits++;
  if (byName) pair.by_name.hits++;
  return byName;
}

/** Nodes whose label or a synonym is the focus or one of MedQuAD's synonyms of it (any case). */
function namedLike(a: EvalAnswer, names: ReadonlyMap<string, string[]>): Set<string> {
  return new Set([a.focus, ...a.synonyms].flatMap((n) => names.get(fold(n).toLowerCase()) ?? []));
}

export function evaluateRecall(tree: MetTree, tagger: Tagger, answers: readonly EvalAnswer[]): RecallReport {
  const c = closures(tree);
  const below = (id: string) => c.descendants(id);
  const names = nameIndex(tree);
  const report: RecallReport = {
    answers: answers.length,
    gold_absent: 0,
    answer: recallPair(),
    named: recallPair(),
    unnamed: recallPair(),
    focus: recallPair(),
    by_source: [],
    focus_misses: [],
  };
  const bySource = new Map<string, { answer: RecallPair; focus: RecallPair }>();
  const missed = new Set<string>();
  for (const a of answers) {
    if (!a.gold.some((g) => tree.byId.has(g))) report.gold_absent++;
    let src = bySource.get(a.source);
    if (!src) bySource.set(a.source, (src = { answer: recallPair(), focus: recallPair() }));
    const named = namedLike(a, names);
    const inAnswer = new Set(tagger.matches(a.answer).map((m) => m.node));
    score(report.answer, inAnswer, a.gold, named, below);
    score(src.answer, inAnswer, a.gold, named, below);
    score(namesFocus(a) ? report.named : report.unnamed, inAnswer, a.gold, named, below);
    const inFocus = new Set(tagger.matches(a.focus).map((m) => m.node));
    score(src.focus, inFocus, a.gold, named, below);
    if (!score(report.focus, inFocus, a.gold, named, below) && !missed.has(a.focus)) {
      missed.add(a.focus);
      report.focus_misses.push({
        id: a.id,
        source: a.source,
        focus: a.focus,
        gold: a.gold.map((g) => ({ id: g, label: tree.byId.get(g)?.label ?? null })),
        tagged: [...inFocus].sort().map((t) => ({ id: t, label: tree.byId.get(t)?.label ?? '?' })),
      });
    }
  }
  report.by_source = [...bySource.keys()].sort().map((source) => ({ source, ...bySource.get(source)! }));
  return report;
}

/** Lower-cased label and synonyms of every node, to the nodes that carry them. */
function nameIndex(tree: MetTree): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const n of tree.nodes) {
    for (const name of new Set([n.label, ...n.synonyms].map((s) => fold(s).toLowerCase()))) {
      const list = index.get(name);
      if (list) list.push(n.id);
      else index.set(name, [n.id]);
    }
  }
  return index;
}

export function evaluateQuestions(tree: MetTree, tagger: Tagger, answers: readonly EvalAnswer[]): QuestionReport {
  const c = closures(tree);
  const names = nameIndex(tree);
  const report: QuestionReport = { questions: answers.length, disease_tags: { hits: 0, total: 0 }, other_tags: {}, wrong: [] };
  for (const a of answers) {
    // The nodes that stand for the focus: the gold nodes, nodes sharing a name with one, and nodes
    // named exactly like the focus or one of MedQuAD's synonyms of it.
    const seeds = new Set(a.gold.filter((g) => tree.byId.has(g)));
    for (const g of [...seeds]) {
      const n = tree.byId.get(g)!;
      for (const name of [n.label, ...n.synonyms]) for (const id of names.get(fold(name).toLowerCase()) ?? []) seeds.add(id);
    }
    for (const id of namedLike(a, names)) seeds.add(id);
    const accepted = new Set<string>();
    for (const s of seeds) {
      for (const d of c.descendants(s)) accepted.add(d);
      for (const u of c.ancestors(s)) accepted.add(u);
    }
    const seen = new Set<string>();
    for (const m of tagger.matches(a.question)) {
      if (seen.has(m.node)) continue;
      seen.add(m.node);
      const node = tree.byId.get(m.node);
      const type = node?.type ?? 'branch';
      if (type !== 'disease') {
        report.other_tags[type] = (report.other_tags[type] ?? 0) + 1;
        continue;
      }
      report.disease_tags.total++;
      if (accepted.has(m.node)) report.disease_tags.hits++;
      else report.wrong.push({ id: a.id, question: a.question, node: m.node, label: node?.label ?? '?', surface: a.question.slice(m.start, m.end) });
    }
  }
  return report;
}

/** Where a span falls in [0, 1): the sampling key, from the document and offsets only. */
export function sampleKey(doc: string, start: number, end: number): number {
  return parseInt(sha256Hex(`${doc}\t${start}\t${end}`).slice(0, 12), 16) / 2 ** 48;
}

export const judgementKey = (m: { doc: string; start: number; end: number; node: string }): string => `${m.doc}\t${m.start}\t${m.end}\t${m.node}`;

export function contextOf(text: string, start: number, end: number, chars = CONTEXT_CHARS): string {
  const before = text.slice(Math.max(0, start - chars), start);
  const after = text.slice(end, end + chars);
  return `${before.replace(/\s+/g, ' ').trimStart()}[[${text.slice(start, end).replace(/\s+/g, ' ')}]]${after.replace(/\s+/g, ' ').trimEnd()}`;
}

/** The texts the judged sample is drawn from: the set's answers and abstracts. */
export function runningTexts(set: Pick<EvalSet, 'answers' | 'abstracts'>): { id: string; text: string }[] {
  return [...set.answers.map((a) => ({ id: a.id, text: a.answer })), ...set.abstracts];
}

export interface MentionPopulation {
  /** Mentions by `<corpus>/<type>`. */
  population: Map<string, number>;
  sampled: SampledMention[];
}

/** Every mention the tagger finds in the texts, counted by corpus and type, and the sampled ones. */
export function sampleMentions(tree: MetTree, tagger: Tagger, texts: readonly { id: string; text: string }[], rates = SAMPLE_RATES): MentionPopulation {
  const population = new Map<string, number>();
  const sampled: SampledMention[] = [];
  for (const { id, text } of texts) {
    const corpus = corpusOf(id);
    for (const m of tagger.matches(text)) {
      const node = tree.byId.get(m.node);
      if (!node) continue;
      const cell = `${corpus}/${node.type}`;
      population.set(cell, (population.get(cell) ?? 0) + 1);
      const rate = rates[cell];
      if (rate === undefined || sampleKey(id, m.start, m.end) >= rate) continue;
      sampled.push({
        doc: id,
        start: m.start,
        end: m.end,
        node: node.id,
        label: node.label,
        type: node.type,
        surface: text.slice(m.start, m.end),
        context: contextOf(text, m.start, m.end),
      });
    }
  }
  return { population, sampled };
}

export function evaluateJudged(current: MentionPopulation, judged: readonly JudgedMention[]): JudgedReport {
  const verdicts = new Map<string, JudgedMention>();
  for (const j of judged) if (j.verdict !== '') verdicts.set(judgementKey(j), j);
  const cells = new Map<string, JudgedCell>();
  const cell = (corpus: string, type: NodeType): JudgedCell => {
    const key = `${corpus}/${type}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { corpus, type, population: current.population.get(key) ?? 0, sampled: 0, judged: { hits: 0, total: 0 }, unjudged: 0 }));
    return c;
  };
  for (const key of current.population.keys()) {
    const [corpus, type] = key.split('/') as [string, NodeType];
    cell(corpus, type);
  }
  const found = new Set<string>();
  const wrong: JudgedMention[] = [];
  for (const m of current.sampled) {
    const c = cell(corpusOf(m.doc), m.type);
    c.sampled++;
    const key = judgementKey(m);
    found.add(key);
    const j = verdicts.get(key);
    if (!j) {
      c.unjudged++;
      continue;
    }
    c.judged.total++;
    if (j.verdict === 'correct') c.judged.hits++;
    else wrong.push(j);
  }
  let stale = 0;
  let staleWrong = 0;
  for (const [key, j] of verdicts) {
    if (found.has(key)) continue;
    stale++;
    if (j.verdict === 'wrong') staleWrong++;
  }
  const list = [...cells.values()].sort((a, b) => a.corpus.localeCompare(b.corpus) || a.type.localeCompare(b.type));
  // Each cell's precision stands for its whole population (rates differ between cells).
  const weighted = (of: JudgedCell[]) => {
    let weight = 0;
    let sum = 0;
    let n = 0;
    for (const c of of) {
      if (c.judged.total === 0) continue;
      weight += c.population;
      sum += c.population * ratio(c.judged);
      n += c.judged.total;
    }
    return { precision: weight === 0 ? Number.NaN : sum / weight, judged: n };
  };
  const types = [...new Set(list.map((c) => c.type))].sort();
  return {
    cells: list,
    by_type: types.map((type) => ({ type, ...weighted(list.filter((c) => c.type === type)) })),
    ...weighted(list),
    unjudged: list.reduce((a, c) => a + c.unjudged, 0),
    stale,
    stale_wrong: staleWrong,
    wrong,
  };
}

export function evaluateQuality(tree: MetTree, tagger: Tagger, set: EvalSet): QualityReport {
  return {
    tree: { name: tree.file.name, sha256: tree.hash, nodes: tree.nodes.length },
    recall: evaluateRecall(tree, tagger, set.answers),
    questions: evaluateQuestions(tree, tagger, set.answers),
    judged: evaluateJudged(sampleMentions(tree, tagger, runningTexts(set)), set.judged),
  };
}

const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(100 * x).toFixed(1)}%`);

/** The 95% Wilson score interval of a proportion. */
export function wilson(r: Ratio, z = 1.96): [number, number] {
  if (r.total === 0) return [Number.NaN, Number.NaN];
  const p = r.hits / r.total;
  const d = 1 + (z * z) / r.total;
  const centre = (p + (z * z) / (2 * r.total)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / r.total + (z * z) / (4 * r.total * r.total))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
const frac = (r: Ratio) => `${pct(ratio(r))} (${r.hits.toLocaleString('en-US')}/${r.total.toLocaleString('en-US')})`;

/** The figures as Markdown tables, as docs/met.md shows them. */
export function formatQuality(r: QualityReport): string {
  const out: string[] = [];
  const { recall: rc, questions: q, judged: j } = r;
  out.push(`tree ${r.tree.name} (${r.tree.nodes.toLocaleString('en-US')} nodes, sha256 ${r.tree.sha256.slice(0, 12)})`);
  out.push('');
  const row = (what: string, p: RecallPair) => `| ${what} | ${frac(p.strict)} | ${frac(p.relaxed)} | ${frac(p.by_name)} |`;
  out.push('| recall of the focus (disease) | strict | relaxed | relaxed or by name |');
  out.push('|---|---:|---:|---:|');
  out.push(row(`answer text, all ${rc.answers.toLocaleString('en-US')} answers`, rc.answer));
  out.push(row('answers that name the focus', rc.named));
  out.push(row('answers that do not', rc.unnamed));
  out.push(row('focus string alone', rc.focus));
  out.push('');
  out.push(`gold nodes absent from the tree: ${rc.gold_absent} answers; distinct foci missed (focus string, even by name): ${rc.focus_misses.length}`);
  out.push('');
  out.push('| source | answers | answer strict | answer relaxed | answer by name | focus strict | focus relaxed | focus by name |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of rc.by_source) {
    const cells = [s.answer.strict, s.answer.relaxed, s.answer.by_name, s.focus.strict, s.focus.relaxed, s.focus.by_name].map((r) => pct(ratio(r)));
    out.push(`| ${s.source} | ${s.answer.strict.total} | ${cells.join(' | ')} |`);
  }
  out.push('');
  const others = Object.entries(q.other_tags)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  out.push(`| precision | value |`);
  out.push('|---|---:|');
  out.push(`| disease tags in ${q.questions.toLocaleString('en-US')} questions that belong to the focus | ${frac(q.disease_tags)} |`);
  for (const t of j.by_type) out.push(`| judged mentions in running text, ${t.type} (${t.judged} judged) | ${pct(t.precision)} |`);
  out.push(`| judged mentions in running text, all types (${j.judged} judged) | ${pct(j.precision)} |`);
  out.push('');
  out.push(`other tags in questions (not judged): ${others || 'none'}`);
  out.push('');
  out.push('| corpus | type | mentions | sampled | judged | correct | precision | 95% interval | unjudged |');
  out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of j.cells) {
    const [lo, hi] = wilson(c.judged);
    const interval = Number.isNaN(lo) ? 'n/a' : `${(100 * lo).toFixed(0)}-${(100 * hi).toFixed(0)}%`;
    out.push(`| ${c.corpus} | ${c.type} | ${c.population.toLocaleString('en-US')} | ${c.sampled} | ${c.judged.total} | ${c.judged.hits} | ${pct(ratio(c.judged))} | ${interval} | ${c.unjudged} |`);
  }
  out.push('');
  out.push(`precision weighted by each cell's mentions; ${j.unjudged} sampled mentions unjudged (found since the judging: judge them with scripts/make-met-eval.ts --pending, then --merge); ${j.stale} judgements of mentions no longer found (${j.stale_wrong} of them wrong)`);
  return out.join('\n');
}
