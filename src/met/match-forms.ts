/**
 * Surface forms of the entity tree for matching (src/met/matcher.ts): every node's label and
 * synonyms read as words and separators (src/met/match-text.ts), the case rule, and the variants
 * matching adds. The rules are listed in docs/met.md ("Matching"); the code is the reference.
 */
import { CLS, HYPHEN, POSSESSIVE, SPACE_KEY, foldRange, gapKey, wordSpans } from './match-text.js';
import type { MetTree } from './tree.js';

/** One node a form names, and whether the form must be found in exactly these capitals. */
export interface FormOutput {
  /** Index of the node in `tree.nodes`. */
  node: number;
  /** Index into `CompiledForms.exact` of the raw words to compare, or -1 (any case). */
  exact: number;
}

export interface Form {
  /** Folded words. */
  words: string[];
  /** The separator keys between them (words.length - 1). */
  seps: string[];
  outputs: FormOutput[];
  /** Made by a variant rule, not written in the tree. */
  variant: boolean;
}

export interface CompiledForms {
  /** Keyed by `formKey` (words and separators joined): one form per key, naming every node it names. */
  forms: Map<string, Form>;
  /** Raw words of the case-exact forms, as written. */
  exact: string[][];
  /** Distinct (node, form) pairs from labels and synonyms, and those added by variants. */
  patterns: number;
  variants: number;
  /** Labels or synonyms with no word at all (empty, or punctuation only): skipped. */
  skipped: number;
  /** Forms that name two or more nodes (each mention counts for all of them). */
  shared: number;
  /** The longest separator key of any form: a gap with a longer one cannot match. */
  maxSepKey: number;
  /** The most words in one form. */
  maxWords: number;
}

/** The canonical string of a form: words and separator keys in turn (words hold no separator character). */
export const formKey = (words: readonly string[], seps: readonly string[]): string => {
  let key = words[0]!;
  for (let i = 1; i < words.length; i++) key += seps[i - 1]! + words[i]!;
  return key;
};

/**
 * The case rule: a form of at most 5 letters and digits, all capitals or digits with at least one
 * capital ("ALL", "ALS", "COPD", "MS", "AD15", "T-ALL"), matches only in those capitals; every
 * other form matches in any case.
 */
export function caseExact(raw: readonly string[]): boolean {
  let length = 0;
  for (const w of raw) length += w.length;
  if (length > 5) return false;
  const s = raw.join('');
  return s.length <= 5 && /^[\p{Lu}\p{Nd}]+$/u.test(s) && /\p{Lu}/u.test(s);
}

/** Head nouns after which a capitalized eponym also matches with an "s": "Downs syndrome", "Hodgkins lymphoma". */
const EPONYM_HEADS = new Set(['disease', 'syndrome', 'disorder', 'lymphoma', 'sarcoma', 'palsy', 'anemia', 'anaemia', 'ataxia', 'dystrophy', 'tumor', 'tumour', 'dementia', 'neuropathy']);
/** Prefixes whose hyphen may also be left out: "pre-eclampsia" is also "preeclampsia". */
const JOINED_PREFIXES = new Set(['non', 'pre', 'post', 'anti', 'co', 'sub', 'hyper', 'hypo', 'intra', 'inter', 'para', 'peri', 'pseudo', 'poly', 'multi', 'neuro', 'auto', 'micro', 'macro']);
/** Words that end the head of a form: its plural goes on the word before ("carcinomas of the colon"). */
const HEAD_ENDS = new Set(['of', 'in', 'with', 'without', 'due', 'caused', 'associated', 'from', 'by', 'involving', 'affecting', 'and', 'or', 'type', 'to', 'on', 'at']);
const IRREGULAR: Record<string, string[]> = { tooth: ['teeth'], foot: ['feet'], ganglion: ['ganglia'], louse: ['lice'], mouse: ['mice'], child: ['children'] };

/**
 * The plurals of a folded head word (the plural rule, docs/met.md): English "-s", "-es" after
 * sibilants, consonant "-y" to "-ies"; Latin and Greek "-itis" to "-itides", "-is" to "-es"
 * ("metastasis"/"metastases", "testis"/"testes"), "-us" to "-i" and "-uses", "-a" to "-ae" and
 * "-as", "-um" to "-a", "-ex"/"-ix" to "-ices", "-oma" to "-omata"; a few irregulars. Words
 * already ending in "s" otherwise ("diabetes", "herpes", "measles") get none.
 */
export function plurals(w: string): string[] {
  if (IRREGULAR[w]) return IRREGULAR[w];
  if (w.length < 3 || !/^\p{Ll}+$/u.test(w)) return [];
  if (w.endsWith('itis')) return [`${w.slice(0, -1)}des`];
  if (w.endsWith('is')) return [`${w.slice(0, -2)}es`];
  if (w.endsWith('ss')) return [`${w}es`];
  if (w.endsWith('us')) return w.length >= 5 ? [`${w.slice(0, -2)}i`, `${w}es`] : [`${w}es`];
  if (w.endsWith('s')) return [];
  if (/(ex|ix)$/.test(w)) return [`${w.slice(0, -2)}ices`, `${w}es`];
  if (/(x|z|ch|sh)$/.test(w)) return [`${w}es`];
  if (/[^aeiou]y$/.test(w)) return [`${w.slice(0, -1)}ies`];
  if (w.endsWith('oma')) return [`${w}s`, `${w}ta`];
  if (w.endsWith('a')) return [`${w}e`, `${w}s`];
  if (w.endsWith('um')) return [`${w.slice(0, -2)}a`, `${w}s`];
  return [`${w}s`];
}

export interface Reading {
  words: string[];
  raw: string[];
  seps: string[];
  /** Each separator had a hyphen in it. */
  hyphen: boolean[];
  possessive: boolean[];
}

/** A label or synonym as words and separators; undefined when it has no word. */
export function readForm(s: string, maxSepKey = 1 << 20): Reading | undefined {
  const { starts, ends, flags } = wordSpans(s);
  if (starts.length === 0) return undefined;
  // Arrays made at their size (map), not grown by push: a compiled tree holds hundreds of thousands.
  const gaps = starts.slice(1).map((start, i) => [ends[i]!, start] as const);
  return {
    words: starts.map((start, i) => foldRange(s, start, ends[i]!)),
    raw: starts.map((start, i) => s.slice(start, ends[i])),
    seps: gaps.map(([a, b]) => gapKey(s, a, b, maxSepKey)),
    hyphen: gaps.map(([a, b]) => {
      for (let j = a; j < b; j++) if (CLS[s.charCodeAt(j)] === HYPHEN) return true;
      return false;
    }),
    possessive: flags.map((f) => (f & POSSESSIVE) !== 0),
  };
}

/** The variants of one reading (docs/met.md, "Matching"), each as words and separators. */
export function variantsOf(r: Reading): { words: string[]; seps: string[] }[] {
  const out: { words: string[]; seps: string[] }[] = [];
  const n = r.words.length;
  const swap = (k: number, w: string) => out.push({ words: r.words.map((x, i) => (i === k ? w : x)), seps: r.seps });
  const alpha = (w: string) => /^\p{Ll}+$/u.test(w);
  for (let k = 0; k < n; k++) {
    const w = r.words[k]!;
    // Possessive: "Alzheimer's disease" is also "Alzheimers disease".
    if (r.possessive[k] && alpha(w) && !w.endsWith('s')) swap(k, `${w}s`);
    // Eponym: "Down syndrome" is also "Downs syndrome" (a capitalized word before a head noun).
    else if (k < n - 1 && r.seps[k] === SPACE_KEY && EPONYM_HEADS.has(r.words[k + 1]!) && /^\p{Lu}\p{Ll}{2,}$/u.test(r.raw[k]!) && !w.endsWith('s')) swap(k, `${w}s`);
    // Joined prefix: "pre-eclampsia" is also "preeclampsia".
    if (k < n - 1 && r.hyphen[k] && r.seps[k] === SPACE_KEY && JOINED_PREFIXES.has(w) && alpha(r.words[k + 1]!) && r.words[k + 1]!.length >= 3) {
      out.push({ words: [...r.words.slice(0, k), w + r.words[k + 1]!, ...r.words.slice(k + 2)], seps: [...r.seps.slice(0, k), ...r.seps.slice(k + 1)] });
    }
  }
  // Plural of the head word: the last word, or the word before the first "of", "with", ... or punctuation.
  let head = n - 1;
  for (let k = 1; k < n; k++) {
    if (r.seps[k - 1] !== SPACE_KEY) {
      head = k - 1;
      break;
    }
    if (HEAD_ENDS.has(r.words[k]!)) {
      head = k - 1;
      break;
    }
  }
  const w = r.words[head]!;
  for (const p of plurals(w)) swap(head, p);
  return out;
}

/**
 * Every label and synonym the matcher compiles, read, in tree order: nodes of type "branch"
 * (winnow's own grouping nodes) are not matched, a node's repeated strings are read once, and a
 * string with no word (empty, or punctuation only) is skipped and counted.
 */
export function forEachReading(tree: MetTree, visit: (node: number, r: Reading, exact: boolean) => void): { skipped: number; maxSepKey: number } {
  let skipped = 0;
  let maxSepKey = 1;
  tree.nodes.forEach((node, index) => {
    // tree.names: the label unless the build excluded it as ambiguous ("tube", "disease"), and the
    // synonyms; none for branch nodes.
    const seen = new Set<string>();
    for (const s of tree.names(node.id)) {
      if (typeof s !== 'string' || seen.has(s)) continue;
      seen.add(s);
      const r = readForm(s);
      if (!r) {
        skipped++;
        continue;
      }
      for (const sep of r.seps) maxSepKey = Math.max(maxSepKey, sep.length);
      visit(index, r, caseExact(r.raw));
    }
  });
  return { skipped, maxSepKey };
}

/**
 * The forms of a tree as plain strings and maps: the readable statement of what is matched, used
 * by the tests' reference and the benchmark's library matchers (the kernel builds the same from
 * `forEachReading` into typed arrays, src/met/matcher.ts). A variant never takes a form a label or
 * synonym has, so a written name always wins over a generated one; one node's form read twice,
 * in capitals and in any case, matches in any case.
 */
export function compileForms(tree: MetTree): CompiledForms {
  const forms = new Map<string, Form>();
  const exact: string[][] = [];
  const exactIndex = new Map<string, number>();
  const readings: { node: number; r: Reading; exact: boolean }[] = [];
  const { skipped, maxSepKey } = forEachReading(tree, (node, r, ex) => readings.push({ node, r, exact: ex }));
  const add = (words: string[], seps: string[], node: number, exactRaw: string[] | undefined, variant: boolean): boolean => {
    const key = formKey(words, seps);
    let form = forms.get(key);
    if (form && variant && !form.variant) return false; // a written name wins
    if (!form) {
      form = { words, seps, outputs: [], variant };
      forms.set(key, form);
    }
    let ex = -1;
    if (exactRaw) {
      const rawKey = exactRaw.join('\u0000');
      ex = exactIndex.get(rawKey) ?? -1;
      if (ex < 0) {
        ex = exact.length;
        exact.push(exactRaw);
        exactIndex.set(rawKey, ex);
      }
    }
    const same = form.outputs.find((o) => o.node === node);
    if (same) {
      if (ex < 0) same.exact = -1; // any case wins over one spelling; two spellings: the first
      return false;
    }
    form.outputs.push({ node, exact: ex });
    return true;
  };
  let patterns = 0;
  for (const { node, r, exact: ex } of readings) if (add(r.words, r.seps, node, ex ? r.raw : undefined, false)) patterns++;
  let variants = 0;
  for (const { node, r, exact: ex } of readings) {
    if (ex) continue;
    for (const v of variantsOf(r)) if (add(v.words, v.seps, node, undefined, true)) variants++;
  }
  let shared = 0;
  let maxWords = 0;
  const id = (o: FormOutput) => tree.nodes[o.node]!.id;
  for (const form of forms.values()) {
    form.outputs.sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
    if (form.outputs.length > 1) shared++;
    maxWords = Math.max(maxWords, form.words.length);
  }
  return { forms, exact, patterns, variants, skipped, shared, maxSepKey, maxWords };
}
