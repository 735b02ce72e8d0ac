import { RegExpParser, type AST } from '@eslint-community/regexpp';

/**
 * Expressions that start at a word from a vocabulary ("MRN", "husband", "Dr"), found with one scan
 * of the text for all of them instead of one scan each.
 *
 * A regular expression with many leading words costs about the same per character whatever the
 * words (V8 tries each position), so twenty such expressions cost twenty scans. Here each rule's
 * leading words are read from its own source (the ASCII letters any match can start with, through
 * groups, alternatives, optional parts and classes, by `@eslint-community/regexpp`'s parser), all
 * rules' words become one alternation, and that is the only scan: a rule is then tried, anchored,
 * only where one of its words starts. `exec` returns what the rule's own global search would, from
 * the same place: every match of a rule starts at one of its words, so the first anchored match at
 * or after a place is the search's first match there.
 *
 * A rule must start with `\b` and then a letter. Rules whose words cannot be read (a class of
 * letters repeated, a backreference, a letter-led \w) are refused when registered, so a rule never
 * silently loses matches.
 */

/** The leading words of a rule: whole words, and prefixes of words (the match may end inside a word). */
export interface LeadingWords {
  words: string[];
  prefixes: string[];
  /** Words that every match follows with one of a few known characters ("com" only in ".com/"): those characters. */
  followers: Map<string, string>;
}

const LIMIT = 4096;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const lower = (c: number) => String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);

class Unreadable extends Error {}

/**
 * The words a match of `source` can start with (in lower case under /i, else as written), or an error message saying why they
 * cannot be read. A word ends where the match has something other than an ASCII letter; a prefix
 * where the expression may end or repeat letters (the text's word may go on).
 */
export function leadingWords(source: string, flags: string): LeadingWords | string {
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser({ ecmaVersion: 2025 }).parsePattern(source, 0, source.length, { unicode: flags.includes('u') });
  } catch (e) {
    return (e as Error).message;
  }
  const caseless = flags.includes('i');
  /** Each word, and what may follow it: known characters, or null (anything that is not a letter). */
  const words = new Map<string, Set<number> | null>();
  const prefixes = new Set<string>();
  type Item = AST.Element | AST.Alternative[];
  // Depth-first over the ways to match: `rest` is what follows, innermost first.
  const walk = (items: readonly Item[], at: number, word: string, rest: readonly (readonly Item[] | number)[]): void => {
    if (words.size + prefixes.size > LIMIT) throw new Unreadable('more than 4,096 leading words');
    if (at >= items.length) {
      if (rest.length === 0) {
        if (word === '') throw new Unreadable('it can match nothing at all');
        prefixes.add(word);
        return;
      }
      const [next, from] = [rest[rest.length - 2] as readonly Item[], rest[rest.length - 1] as number];
      walk(next, from, word, rest.slice(0, -2));
      return;
    }
    const item = items[at]!;
    const then = (w: string) => walk(items, at + 1, w, rest);
    const end = (after?: number) => {
      if (word === '') throw new Unreadable('it can start with something other than an ASCII letter');
      const known = words.has(word) ? words.get(word)! : new Set<number>();
      words.set(word, after !== undefined && known ? known.add(after) : null);
    };
    const letter = (c: number) => (isLetter(c) ? then(word + (caseless ? lower(c) : String.fromCharCode(c))) : end(c));
    if (Array.isArray(item)) {
      for (const alt of item) walk(alt.elements, 0, word, [...rest, items, at + 1]);
      return;
    }
    const el = item as AST.Element;
    switch (el.type) {
      case 'Assertion':
        // zero-width: \b, ^, $, lookarounds (reading past them only widens the words)
        if (el.kind === 'word' && el.negate) throw new Unreadable('\\B');
        // "(?=[ \t]*[(,])" after letters: what must follow is no letter, so the word ends here
        // and a \b after letters: a non-word character follows
        // and "(?![A-Za-z])": no letter follows
        if (word !== '' && ((el.kind === 'word' && !el.negate) || (el.kind === 'lookahead' && !el.negate && !el.alternatives.some((a) => mayStartWithLetter(a.elements))) || (el.kind === 'lookahead' && el.negate && refusesLetters(el, caseless)))) end();
        else then(word);
        return;
      case 'Character':
        letter(el.value);
        return;
      case 'CharacterClass': {
        if (el.negate || el.unicodeSets) {
          if (word === '') throw new Unreadable('a negated class first');
          prefixes.add(word);
          return;
        }
        for (const member of el.elements) {
          if (member.type === 'Character') letter(member.value);
          else if (member.type === 'CharacterClassRange') {
            if (member.max.value - member.min.value > 25) throw new Unreadable('a wide range');
            for (let c = member.min.value; c <= member.max.value; c++) letter(c);
          } else if (member.type === 'CharacterSet' && (member.kind === 'digit' || member.kind === 'space') && !member.negate) end();
          else throw new Unreadable('a class that may hold letters');
        }
        return;
      }
      case 'CharacterSet':
        if ((el.kind === 'digit' || el.kind === 'space') && !el.negate) end();
        else if (word !== '' && el.kind !== 'any') {
          // \w, \p{..} after some letters: the word may go on
          prefixes.add(word);
        } else throw new Unreadable(`\\${el.kind === 'any' ? '.' : el.kind} first`);
        return;
      case 'Group':
      case 'CapturingGroup':
        walk([el.alternatives], 0, word, [...rest, items, at + 1]);
        return;
      case 'Quantifier': {
        if (el.min === 0) then(word);
        if (el.max === 0) return;
        if (el.max === 1) {
          walk([el.element], 0, word, [...rest, items, at + 1]);
          return;
        }
        // Repeated: if it may hold letters the word may go on (a prefix); if not, it ends the word.
        if (holdsLetters(el.element)) {
          if (word === '') throw new Unreadable('repeated letters first');
          prefixes.add(word);
        } else end();
        return;
      }
      case 'Backreference':
        throw new Unreadable('a backreference');
      default:
        throw new Unreadable(`a ${el.type}`);
    }
  };
  try {
    walk([pattern.alternatives], 0, '', []);
  } catch (e) {
    if (e instanceof Unreadable) return e.message;
    throw e;
  }
  // a word that is also a prefix is found as the prefix
  const followers = new Map<string, string>();
  for (const [w, after] of words) if (after && !prefixes.has(w)) followers.set(w, String.fromCharCode(...[...after].sort((a, b) => a - b)));
  return { words: [...words.keys()].filter((w) => !prefixes.has(w)).sort(), prefixes: [...prefixes].sort(), followers };
}

/** Whether a negative look ahead refuses every ASCII letter: "(?![A-Za-z])", "(?![a-z])" under /i. */
function refusesLetters(el: AST.LookaheadAssertion, caseless: boolean): boolean {
  const [only] = el.alternatives;
  if (el.alternatives.length !== 1 || only!.elements.length !== 1) return false;
  const cls = only!.elements[0]!;
  if (cls.type !== 'CharacterClass' || cls.negate) return false;
  const covered = new Set<number>();
  for (const m of cls.elements) {
    if (m.type === 'Character') covered.add(m.value);
    else if (m.type === 'CharacterClassRange') for (let c = m.min.value; c <= m.max.value; c++) covered.add(c);
  }
  for (let c = 65; c <= 90; c++) if (!(covered.has(c) && covered.has(c + 32)) && !(caseless && (covered.has(c) || covered.has(c + 32)))) return false;
  return true;
}

/** Whether a sequence may match an ASCII letter first, or nothing at all (what follows is unknown). */
function mayStartWithLetter(elements: readonly AST.Element[]): boolean {
  for (const el of elements) {
    switch (el.type) {
      case 'Assertion':
        continue;
      case 'Quantifier':
        if (holdsLetters(el.element)) return true;
        if (el.min === 0) continue;
        return false;
      case 'Group':
      case 'CapturingGroup':
        // a group that holds letters anywhere may start with one (a loose, safe answer)
        if (holdsLetters(el)) return true;
        if (el.alternatives.some((a) => a.elements.every((e) => e.type === 'Assertion' || (e.type === 'Quantifier' && e.min === 0)))) continue;
        return false;
      default:
        return holdsLetters(el);
    }
  }
  return true;
}

/** Whether a part of an expression can match an ASCII letter anywhere in it. */
function holdsLetters(node: AST.Node): boolean {
  switch (node.type) {
    case 'Character':
      return isLetter(node.value);
    case 'CharacterClassRange':
      return node.max.value >= 65 && node.min.value <= 122;
    case 'CharacterSet':
      return !((node.kind === 'digit' || node.kind === 'space') && !node.negate);
    case 'CharacterClass':
      return node.negate || node.elements.some(holdsLetters);
    case 'Group':
    case 'CapturingGroup':
      return node.alternatives.some((a) => a.elements.some(holdsLetters));
    case 'Quantifier':
      return holdsLetters(node.element);
    case 'Assertion':
      return false;
    default:
      return true;
  }
}

interface Rule {
  sticky: RegExp;
  words: LeadingWords;
  caseless: boolean;
}

interface OpenPrefix {
  prefix: string;
  rule: number;
  caseless: boolean;
}

/**
 * A scan's words as a letter tree in typed arrays, to tell which rules a word found is for: walked
 * over the word's letters in place, where a lookup by the word would first copy it into a string
 * (and fold its case) and hash it. `next[node * width + letter]` is the node after a letter (-1:
 * none), node 0 the root; the case-blind tree folds case (26 letters), the case-true one keeps it (52).
 */
interface Tree {
  width: 26 | 52;
  next: Int32Array;
  /** Rules whose word ends at a node. */
  ends: (number[] | undefined)[];
  /** Rules whose open prefix ends at a node: any letters may follow it. */
  open: (number[] | undefined)[];
}

interface Scanner {
  /** One expression for the words of /i rules, one for the others' (a case-blind alternation of classes like [mM] is hundreds of times slower). */
  res: RegExp[];
  /** Each expression's tree. */
  trees: Tree[];
}

/** An ASCII letter's place in a tree's row, by code unit: folded (a-z as 0-25, either case) or kept (a-z 0-25, A-Z 26-51). */
const FOLDED = new Int8Array(128).fill(-1);
const KEPT = new Int8Array(128).fill(-1);
for (let c = 0; c < 26; c++) {
  FOLDED[65 + c] = FOLDED[97 + c] = KEPT[97 + c] = c;
  KEPT[65 + c] = 26 + c;
}

function buildTree(width: 26 | 52, words: ReadonlyMap<string, number[]>, prefixes: readonly OpenPrefix[]): Tree {
  const letters = width === 26 ? FOLDED : KEPT;
  const rows: Int32Array[] = [new Int32Array(width).fill(-1)];
  const ends: (number[] | undefined)[] = [undefined];
  const open: (number[] | undefined)[] = [undefined];
  const walk = (word: string) => {
    let n = 0;
    for (let i = 0; i < word.length; i++) {
      const letter = letters[word.charCodeAt(i)]!;
      if (rows[n]![letter]! < 0) {
        rows[n]![letter] = rows.length;
        rows.push(new Int32Array(width).fill(-1));
        ends.push(undefined);
        open.push(undefined);
      }
      n = rows[n]![letter]!;
    }
    return n;
  };
  for (const [word, rules] of words) ends[walk(word)] = rules;
  for (const p of prefixes) (open[walk(p.prefix)] ??= []).push(p.rule);
  const next = new Int32Array(rows.length * width);
  rows.forEach((row, n) => next.set(row, n * width));
  return { width, next, ends, open };
}

/**
 * A set of rules scanned together. Rules are added while modules load (`add` throws on a rule whose
 * words cannot be read: a mistake in the source, found by any test that imports it); the scan is
 * built on first use. Case-true rules keep their words' case in the scan ("OR" the state is not
 * "or"), so common words in lower case cost them nothing.
 */
export class TriggerSet {
  private rules: Rule[] = [];
  private scanner: Scanner | undefined;

  /** Registers a global expression that starts with \b and a word; returns its handle for `WordHits.exec`. */
  add(re: RegExp): number {
    if (!re.source.startsWith('\\b')) throw new Error(`trigger rule must start with \\b: /${re.source.slice(0, 60)}/`);
    if (re.flags.includes('i') && re.flags.includes('u')) throw new Error('trigger rule: /iu folds non-ASCII letters into ASCII ones; use /i or /u');
    const words = leadingWords(re.source, re.flags);
    if (typeof words === 'string') throw new Error(`trigger rule's leading words cannot be read (${words}): /${re.source.slice(0, 60)}/`);
    this.rules.push({ sticky: new RegExp(re.source, re.flags.replace('g', '') + 'y'), words, caseless: re.flags.includes('i') });
    this.scanner = undefined;
    return this.rules.length - 1;
  }

  /** How many rules there are (handles run from 0). */
  get size(): number {
    return this.rules.length;
  }

  /** A rule's own global expression: what `WordHits.exec` must agree with. */
  expression(rule: number): RegExp {
    const { sticky } = this.rules[rule]!;
    return new RegExp(sticky.source, sticky.flags.replace('y', 'g'));
  }

  /** Where each rule's words start in `text`: one scan for all rules. */
  scan(text: string): WordHits {
    const s = (this.scanner ??= this.build());
    // (a rule's list is made at its first hit: most rules have none in a document)
    const perRule: (number[] | undefined)[] = new Array<number[] | undefined>(this.rules.length);
    for (const [k, re] of s.res.entries()) {
      re.lastIndex = 0;
      // test, not exec: a match is a whole word of letters (the expression ends where letters do), so
      // its start is found walking back from its end, and no match object is made per hit
      const { width, next, ends, open } = s.trees[k]!;
      const letters = width === 26 ? FOLDED : KEPT;
      while (re.test(text)) {
        const end = re.lastIndex;
        let start = end;
        while (start > 0 && isLetter(text.charCodeAt(start - 1))) start--;
        // the word's rules: its open prefixes on the way, then its own
        let node = 0;
        for (let i = start; i < end && node >= 0; i++) {
          node = next[node * width + letters[text.charCodeAt(i)]!]!;
          if (node >= 0 && open[node] !== undefined) note(perRule, open[node]!, start);
        }
        if (node >= 0 && ends[node] !== undefined) note(perRule, ends[node]!, start);
      }
    }
    // a rule's starts from both scans, in order (each scan's are already)
    for (const starts of perRule) {
      if (!starts) continue;
      for (let i = 1; i < starts.length; i++) {
        if (starts[i]! < starts[i - 1]!) {
          starts.sort((x, y) => x - y);
          break;
        }
      }
    }
    return new WordHits(text, this.rules, perRule);
  }

  private build(): Scanner {
    const lower = new Map<string, number[]>();
    const cased = new Map<string, number[]>();
    const prefixes: OpenPrefix[] = [];
    // A word a case-true rule writes in lower case ("born") is looked for by the case-blind scan
    // (its rule, tried there, is case-true still): the case-true scan then looks only at capitals,
    // which V8 skips to quickly.
    const blind = (rule: Rule, w: string) => rule.caseless || !/^[A-Z]/.test(w);
    // What may follow each word in any rule's matches: a few known characters, or (null) any non-letter.
    const followers = new Map<string, string | null>();
    this.rules.forEach((rule, r) => {
      for (const w of rule.words.words) {
        const [map, key] = blind(rule, w) ? [lower, w.toLowerCase()] : [cased, w];
        map.set(key, [...(map.get(key) ?? []), r]);
        const after = rule.words.followers.get(w);
        const had = followers.has(key) ? followers.get(key)! : '';
        followers.set(key, after !== undefined && had !== null ? had + after : null);
      }
      for (const p of rule.words.prefixes) prefixes.push(blind(rule, p) ? { prefix: p.toLowerCase(), rule: r, caseless: true } : { prefix: p, rule: r, caseless: false });
    });
    const expression = (words: Iterable<string>, caseless: boolean) => {
      // one alternation (a second one for prefixes would cost the whole scan a quarter more)
      const open = new Set(prefixes.filter((p) => p.caseless === caseless).map((p) => p.prefix));
      // A word every match follows with one or two punctuation marks ("com" in ".com/", "s" in "s.s.n")
      // ends in a look ahead for them: such short words are common, and a hit costs. (Only these: a
      // look ahead on every word makes V8's scan of the alternation many times slower.)
      const list = [...words];
      const narrow = new Map<string, string>();
      for (const w of list) {
        const after = followers.get(w);
        const chars = after ? [...new Set(after)] : [];
        if (after && chars.length <= 2 && chars.every((c) => !/[\s\w]/.test(c))) narrow.set(w, chars.sort().join(''));
      }
      return new RegExp(`\\b${trie([...list, ...open], open, narrow) || '(?!)'}(?![A-Za-z])`, caseless ? 'gi' : 'g');
    };
    return {
      res: [expression(lower.keys(), true), expression(cased.keys(), false)],
      trees: [buildTree(26, lower, prefixes.filter((p) => p.caseless)), buildTree(52, cased, prefixes.filter((p) => !p.caseless))],
    };
  }
}

/**
 * Words (ASCII letters) as one expression with their common beginnings shared: "s(?:sn|ocial)..."
 * (V8 tries an alternation's branches in turn; with a thousand words, a tree of them scans a third
 * faster). An `open` word takes any letters after it.
 */
function trie(words: readonly string[], open: ReadonlySet<string> = new Set(), narrow: ReadonlyMap<string, string> = new Map()): string {
  interface Node {
    end: boolean;
    /** What must follow the word that ends here, when only a few characters may. */
    after?: string;
    /** A prefix ends here: any letters may follow. */
    open: boolean;
    next: Map<string, Node>;
  }
  const root: Node = { end: false, open: false, next: new Map() };
  for (const w of words) {
    let n = root;
    for (const ch of w) {
      let child = n.next.get(ch);
      if (!child) n.next.set(ch, (child = { end: false, open: false, next: new Map() }));
      n = child;
    }
    n.end = true;
    if (open.has(w)) n.open = true;
    const after = narrow.get(w);
    if (after !== undefined) n.after = after;
  }
  const emit = (n: Node): string => {
    if (n.open) return '[A-Za-z]*';
    const branches = [...n.next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([ch, child]) => ch + emit(child));
    if (n.end && n.after !== undefined) {
      const ahead = `(?=[${[...n.after].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}])`;
      return branches.length === 0 ? ahead : `(?:${[...branches, ahead].join('|')})`;
    }
    if (branches.length === 0) return '';
    const body = branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
    return n.end ? `(?:${body})?` : body;
  };
  return emit(root);
}

/** Notes a word's start for its rules (once: a rule may have both a word and an open prefix there). */
function note(perRule: (number[] | undefined)[], rules: readonly number[], start: number): void {
  for (const r of rules) {
    const starts = (perRule[r] ??= []);
    if (starts[starts.length - 1] !== start) starts.push(start);
  }
}

const NONE: number[] = [];

/** One text's word starts per rule, and each rule's matches from them. */
export class WordHits {
  private cursor: number[];
  constructor(
    private readonly text: string,
    private readonly rules: Rule[],
    private readonly perRule: (number[] | undefined)[],
  ) {
    this.cursor = new Array<number>(perRule.length).fill(0);
  }

  isFor(text: string): boolean {
    return text === this.text;
  }

  /** The rule's first match at or after `from`, as its global search from `lastIndex = from` would return it. */
  exec(rule: number, from: number): RegExpExecArray | null {
    const starts = this.perRule[rule] ?? NONE;
    let i = this.cursor[rule]!;
    if (i > 0 && starts[i - 1]! >= from) {
      // asked from further back: the first start at or after `from`, by halves
      let lo = 0;
      let hi = i - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid]! < from) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    while (i < starts.length && starts[i]! < from) i++;
    const re = this.rules[rule]!.sticky;
    for (; i < starts.length; i++) {
      re.lastIndex = starts[i]!;
      const m = re.exec(this.text);
      if (m) {
        this.cursor[rule] = i + 1;
        return m;
      }
    }
    this.cursor[rule] = i;
    return null;
  }
}

/**
 * One rule's leading words, to ask whether one starts at a given place: for a rule tried at a few
 * known places (the start of each line), where noting its words everywhere in the shared scan
 * would cost more than it saves. Refuses, as `TriggerSet.add` does, a rule whose words cannot be read.
 */
export class WordStarts {
  private readonly tree: Tree;
  constructor(re: RegExp) {
    const words = leadingWords(re.source, re.flags);
    if (typeof words === 'string') throw new Error(`rule's leading words cannot be read (${words}): /${re.source.slice(0, 60)}/`);
    const caseless = re.flags.includes('i');
    this.tree = buildTree(
      caseless ? 26 : 52,
      new Map(words.words.map((w) => [w, [0]])),
      words.prefixes.map((prefix) => ({ prefix, rule: 0, caseless })),
    );
  }

  /** Whether one of the words starts at `at` (and ends where the letters there do, unless it is a prefix). */
  at(text: string, at: number): boolean {
    const { width, next, ends, open } = this.tree;
    const letters = width === 26 ? FOLDED : KEPT;
    let node = 0;
    for (let i = at; ; i++) {
      const c = text.charCodeAt(i);
      if (!isLetter(c)) return i > at && ends[node] !== undefined;
      node = next[node * width + letters[c]!]!;
      if (node < 0) return false;
      if (open[node] !== undefined) return true;
    }
  }
}

/** The rules of every detector, scanned together once per document. */
export const TRIGGERS = new TriggerSet();

/** The document's word starts for `TRIGGERS`, scanned on first use and kept on the document's state. */
export function wordHits(text: string, doc: { words?: WordHits }): WordHits {
  if (!doc.words || !doc.words.isFor(text)) doc.words = TRIGGERS.scan(text);
  return doc.words;
}
