/**
 * Which entity-tree nodes a text mentions: a multi-pattern matcher over every node's label and
 * synonyms (and their variants: src/met/match-forms.ts), with word boundaries, leftmost-longest
 * non-overlapping matches, the case rule for short capitals, and folded case and diacritics
 * (src/met/match-text.ts). The rules and the measurements behind this kernel: docs/met.md,
 * "Matching" and "Speed".
 *
 * The kernel is a trie over words, not characters. One pass over the text reads its words,
 * hashing each folded word as it goes (FNV-1a) and looking it up in the vocabulary of the forms'
 * words (an open-addressing table in typed arrays, confirmed by comparing the folded units);
 * a word outside that vocabulary can take no part in a match. Then, from each word that starts a
 * form, it walks the trie (word, separator, word, ...) as far as the text follows it and keeps the
 * longest form reached whose case rule holds; the next walk starts after it. Separators are read
 * only when a walk needs them. A walk is at most `maxWords` words long, so the work is linear in
 * the text whatever it holds (`work` counts it).
 */
import { APOSTROPHE, CLS, FOLD, HIGH, NO_KEY, SPACE, HYPHEN, SPACE_KEY, WORD, astralWordAt, gapKey } from './match-text.js';
import { ANY_CASE, HAS_OUTPUT, HAS_SEP, buildTrie, type Trie } from './match-trie.js';
import type { MetTree } from './tree.js';
import { grown } from '../text/typed-arrays.js';

/** One mention: the node and its span, as UTF-16 offsets into the original text. */
export interface MetMatch {
  node: string;
  start: number;
  end: number;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

const pow2 = (n: number): number => {
  let c = 16;
  while (c < n) c *= 2;
  return c;
};

/** "WMET" */
const MATCHER_MAGIC = [0x57, 0x4d, 0x45, 0x54];

/** Everything a compiled matcher is: what `toBytes` writes. */
interface MatcherParts {
  ids: string[];
  exact: string[][];
  separators: string[];
  maxSepKey: number;
  words: number;
  vMask: number;
  stats: MetMatcher['stats'];
  arrays: Pick<Trie, 'rootChild' | 'firstEdge' | 'eSym' | 'eChild' | 'flags' | 'outStart' | 'outNode' | 'outExact'> & {
    /** 1 for a rare disease, by node index. */
    rare: Uint8Array;
    rank: Int32Array;
    pool: Uint16Array;
    wStart: Int32Array;
    wLen: Int32Array;
    vHash: Int32Array;
    vId: Int32Array;
  };
}

const ARRAY_NAMES = ['rare', 'rank', 'pool', 'wStart', 'wLen', 'vHash', 'vId', 'rootChild', 'firstEdge', 'eSym', 'eChild', 'flags', 'outStart', 'outNode', 'outExact'] as const;

export class MetMatcher {
  /** Distinct (node, surface form) pairs compiled from labels and synonyms. */
  readonly patterns: number;
  /** What compiling found: variants added, forms skipped (no word in them), forms shared by nodes, sizes. */
  readonly stats: { patterns: number; variants: number; skipped: number; shared: number; words: number; separators: number; states: number; maxWords: number; bytes: number };
  /** Steps of the last call (words read, trie steps taken): at most about words × (2 × maxWords + 1). */
  work = 0;

  private readonly parts: MatcherParts;
  private readonly ids: string[];
  /** Rank of each node's id in plain string order, for sorted counts. */
  private readonly rank: Int32Array;
  // Vocabulary: folded words, by FNV-1a hash.
  private readonly vMask: number;
  private readonly vHash: Int32Array;
  private readonly vId: Int32Array;
  private readonly wStart: Int32Array;
  private readonly wLen: Int32Array;
  private readonly pool: Uint16Array;
  // Separators: symbol ids after the words'.
  private readonly sepSym: Map<string, number>;
  private readonly spaceSym: number;
  private readonly maxSepKey: number;
  // The trie: state 0 is the root, its children by word id; every other state's edges are
  // eSym/eChild[firstEdge[state], firstEdge[state + 1]), sorted by symbol.
  private readonly rootChild: Int32Array;
  private readonly firstEdge: Int32Array;
  private readonly eSym: Int32Array;
  private readonly eChild: Int32Array;
  private readonly flags: Uint8Array;
  private readonly outStart: Int32Array;
  private readonly outNode: Int32Array;
  private readonly outExact: Int32Array;
  private readonly exact: string[][];
  // Scratch, grown to the largest text seen: its words, and the matches of the last call.
  private tStart = new Int32Array(0);
  private tEnd = new Int32Array(0);
  private tWid = new Int32Array(0);
  private tSep = new Int32Array(0);
  private hits = 0;
  private hNode = new Int32Array(64);
  private hStart = new Int32Array(64);
  private hEnd = new Int32Array(64);
  private readonly counts: Int32Array;

  static fromTree(tree: MetTree): MetMatcher {
    const ids = tree.nodes.map((n) => n.id);
    const order = ids.map((_, i) => i).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b));
    const rank = new Int32Array(ids.length);
    order.forEach((node, r) => (rank[node] = r));
    const trie = buildTrie(tree, rank);

    // The vocabulary: folded words by FNV-1a hash, their units in one pool.
    const W = trie.words.length;
    const pool = new Uint16Array(trie.words.reduce((a, w) => a + w.length, 0));
    const wStart = new Int32Array(W);
    const wLen = new Int32Array(W);
    const vMask = pow2(W * 2) - 1;
    const vHash = new Int32Array(vMask + 1);
    const vId = new Int32Array(vMask + 1).fill(-1);
    let at = 0;
    trie.words.forEach((w, id) => {
      wStart[id] = at;
      wLen[id] = w.length;
      let h = FNV_OFFSET;
      for (let i = 0; i < w.length; i++) {
        const c = w.charCodeAt(i);
        pool[at++] = c;
        h = Math.imul(h ^ c, FNV_PRIME);
      }
      let slot = h & vMask;
      while (vId[slot] !== -1) slot = (slot + 1) & vMask;
      vHash[slot] = h;
      vId[slot] = id;
    });
    const arrays = {
      rare: Uint8Array.from(tree.nodes, (n) => (n.rare ? 1 : 0)),
      rank,
      pool,
      wStart,
      wLen,
      vHash,
      vId,
      rootChild: trie.rootChild,
      firstEdge: trie.firstEdge,
      eSym: trie.eSym,
      eChild: trie.eChild,
      flags: trie.flags,
      outStart: trie.outStart,
      outNode: trie.outNode,
      outExact: trie.outExact,
    };
    const bytes = Object.values(arrays).reduce((a, x) => a + x.byteLength, 0) - arrays.rare.byteLength + ids.length * 4;
    return new MetMatcher({
      ids,
      exact: trie.exact,
      separators: trie.separators,
      maxSepKey: trie.maxSepKey,
      words: W,
      vMask,
      arrays,
      stats: {
        patterns: trie.patterns,
        variants: trie.variants,
        skipped: trie.skipped,
        shared: trie.shared,
        words: W,
        separators: trie.separators.length,
        states: trie.states,
        maxWords: trie.maxWords,
        bytes,
      },
    });
  }

  private constructor(parts: MatcherParts) {
    this.parts = parts;
    const a = parts.arrays;
    this.ids = parts.ids;
    this.rank = a.rank;
    this.counts = new Int32Array(parts.ids.length);
    this.exact = parts.exact;
    this.maxSepKey = parts.maxSepKey;
    this.rootChild = a.rootChild;
    this.firstEdge = a.firstEdge;
    this.eSym = a.eSym;
    this.eChild = a.eChild;
    this.flags = a.flags;
    this.outStart = a.outStart;
    this.outNode = a.outNode;
    this.outExact = a.outExact;
    this.sepSym = new Map(parts.separators.map((key, k) => [key, parts.words + k]));
    this.spaceSym = this.sepSym.get(SPACE_KEY)!;
    this.pool = a.pool;
    this.wStart = a.wStart;
    this.wLen = a.wLen;
    this.vMask = parts.vMask;
    this.vHash = a.vHash;
    this.vId = a.vId;
    this.patterns = parts.stats.patterns;
    this.stats = parts.stats;
  }

  /** The node ids, in the tree's order: what the matcher names. */
  get nodeIds(): readonly string[] {
    return this.ids;
  }

  /** 1 for a rare disease, by node index (the order of nodeIds). */
  get rareFlags(): Uint8Array {
    return this.parts.arrays.rare;
  }

  /**
   * The compiled matcher as bytes: a JSON header (ids, case-exact forms, separators, sizes), then
   * its typed arrays, each 8-byte aligned. `fromBytes` gives back a matcher that finds exactly
   * what this one finds (src/met/matcher-cache.ts keeps them between processes: compiling the
   * whole tree takes one to two seconds a worker).
   */
  toBytes(): Uint8Array {
    const { arrays, ...rest } = this.parts;
    const entries = Object.entries(arrays);
    const header = Buffer.from(JSON.stringify({ ...rest, arrays: entries.map(([name, x]) => [name, x.constructor.name, x.length]) }));
    const align = (n: number) => (n + 7) & ~7;
    let size = align(8 + header.length);
    for (const [, x] of entries) size = align(size + x.byteLength);
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    out.set(MATCHER_MAGIC);
    view.setUint32(4, header.length, true);
    out.set(header, 8);
    let at = align(8 + header.length);
    for (const [, x] of entries) {
      out.set(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), at);
      at = align(at + x.byteLength);
    }
    return out;
  }

  /** The matcher `toBytes` wrote; throws on anything else. The arrays are views into `bytes` when it is 8-byte aligned. */
  static fromBytes(bytes: Uint8Array): MetMatcher {
    if (bytes.length < 8 || !MATCHER_MAGIC.every((b, i) => bytes[i] === b)) throw new Error('not a compiled entity matcher');
    const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
    if (8 + length > bytes.length) throw new Error('a truncated compiled entity matcher');
    const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString('utf8')) as Omit<MatcherParts, 'arrays'> & { arrays: [string, string, number][] };
    const align = (n: number) => (n + 7) & ~7;
    let at = align(8 + length);
    const base = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
    const arrays: Record<string, Int32Array | Uint16Array | Uint8Array> = {};
    for (const [name, type, n] of header.arrays) {
      const Kind = type === 'Int32Array' ? Int32Array : type === 'Uint16Array' ? Uint16Array : type === 'Uint8Array' ? Uint8Array : undefined;
      if (!Kind || at + n * Kind.BYTES_PER_ELEMENT > base.length) throw new Error('a truncated compiled entity matcher');
      arrays[name] = new Kind(base.buffer as ArrayBuffer, base.byteOffset + at, n);
      at = align(at + n * Kind.BYTES_PER_ELEMENT);
    }
    for (const name of ARRAY_NAMES) if (!arrays[name]) throw new Error(`a compiled entity matcher without its ${name} array`);
    return new MetMatcher({ ...header, arrays: arrays as unknown as MatcherParts['arrays'] });
  }

  /** Nodes mentioned, ids sorted ascending (plain string order), with their mention counts. */
  count(text: string): { nodes: string[]; counts: number[] } {
    this.scan(text);
    const touched: number[] = [];
    for (let h = 0; h < this.hits; h++) {
      const node = this.hNode[h]!;
      if (this.counts[node] === 0) touched.push(node);
      this.counts[node]!++;
    }
    touched.sort((a, b) => this.rank[a]! - this.rank[b]!);
    const nodes = touched.map((n) => this.ids[n]!);
    const counts = touched.map((n) => {
      const c = this.counts[n]!;
      this.counts[n] = 0;
      return c;
    });
    return { nodes, counts };
  }

  /** Every match, in text order, after longest-match and boundary rules (a span two nodes share: each, ids ascending). */
  matches(text: string): MetMatch[] {
    this.scan(text);
    const out: MetMatch[] = [];
    for (let h = 0; h < this.hits; h++) out.push({ node: this.ids[this.hNode[h]!]!, start: this.hStart[h]!, end: this.hEnd[h]! });
    return out;
  }

  /** The text's words: offsets, and vocabulary ids (-1: in no form). Returns how many. */
  private words(text: string): number {
    const n = text.length;
    // A word takes at least one unit and a gap between words at least one: at most n/2 + 1 words.
    const room = (n >> 1) + 2;
    if (this.tStart.length < room) {
      const size = Math.max(room, this.tStart.length * 2);
      this.tStart = new Int32Array(size);
      this.tEnd = new Int32Array(size);
      this.tWid = new Int32Array(size);
      this.tSep = new Int32Array(size);
    }
    const { tStart, tEnd, tWid, vHash, vId, vMask, wStart, wLen, pool } = this;
    let count = 0;
    let i = 0;
    while (i < n) {
      let c = text.charCodeAt(i);
      let k = CLS[c]!;
      if (k !== WORD && !(k === HIGH && astralWordAt(text, i))) {
        i++;
        continue;
      }
      const start = i;
      let h = FNV_OFFSET;
      while (i < n) {
        c = text.charCodeAt(i);
        k = CLS[c]!;
        if (k === WORD) {
          h = Math.imul(h ^ FOLD[c]!, FNV_PRIME);
          i++;
        } else if (k === HIGH && astralWordAt(text, i)) {
          h = Math.imul(h ^ c, FNV_PRIME);
          h = Math.imul(h ^ text.charCodeAt(i + 1), FNV_PRIME);
          i += 2;
        } else break;
      }
      const len = i - start;
      if (len === 1 && count > 0 && tEnd[count - 1] === start - 1 && CLS[text.charCodeAt(start - 1)] === APOSTROPHE) {
        const s = text.charCodeAt(start);
        if (s === 0x73 || s === 0x53) continue; // a possessive "'s": part of the next gap
      }
      let wid = -1;
      let slot = h & vMask;
      for (let id = vId[slot]!; id !== -1; slot = (slot + 1) & vMask, id = vId[slot]!) {
        if (vHash[slot] !== h || wLen[id] !== len) continue;
        let p = wStart[id]!;
        let j = start;
        while (j < i && FOLD[text.charCodeAt(j)] === pool[p]) {
          j++;
          p++;
        }
        if (j === i) {
          wid = id;
          break;
        }
      }
      tStart[count] = start;
      tEnd[count] = i;
      tWid[count] = wid;
      this.tSep[count] = -2;
      count++;
    }
    return count;
  }

  /** The separator symbol between word t and t + 1 (-1: none of the forms'), read once. */
  private sep(text: string, t: number): number {
    let s = this.tSep[t]!;
    if (s !== -2) return s;
    const a = this.tEnd[t]!;
    const b = this.tStart[t + 1]!;
    const k = CLS[text.charCodeAt(a)]!;
    if (b - a === 1 && (k === SPACE || k === HYPHEN)) s = this.spaceSym;
    else {
      const key = gapKey(text, a, b, this.maxSepKey);
      s = key === NO_KEY ? -1 : (this.sepSym.get(key) ?? -1);
    }
    this.tSep[t] = s;
    return s;
  }

  private child(state: number, sym: number): number {
    const { eSym } = this;
    let lo = this.firstEdge[state]!;
    let hi = this.firstEdge[state + 1]!;
    // Narrow [lo, hi) while keeping the symbol inside it: an equal symbol at mid stays (hi = mid + 1).
    while (hi - lo > 8) {
      const mid = (lo + hi) >>> 1;
      if (eSym[mid]! < sym) lo = mid + 1;
      else hi = mid + 1;
    }
    for (; lo < hi; lo++) {
      const s = eSym[lo]!;
      if (s === sym) return this.eChild[lo]!;
      if (s > sym) return -1;
    }
    return -1;
  }

  /** Whether the words from..to are written exactly as the raw words (the case rule). */
  private written(text: string, raw: string[], from: number, to: number): boolean {
    if (to - from + 1 !== raw.length) return false;
    for (let t = from; t <= to; t++) {
      const w = raw[t - from]!;
      const s = this.tStart[t]!;
      if (this.tEnd[t]! - s !== w.length) return false;
      for (let i = 0; i < w.length; i++) if (text.charCodeAt(s + i) !== w.charCodeAt(i)) return false;
    }
    return true;
  }

  /** A match may not start right after a word "non" and a space or hyphen: "non-Hodgkin lymphoma" is not "Hodgkin lymphoma". */
  private afterNon(text: string, t: number): boolean {
    if (t === 0) return false;
    const s = this.tStart[t - 1]!;
    if (this.tEnd[t - 1]! - s !== 3) return false;
    if (FOLD[text.charCodeAt(s)] !== 0x6e || FOLD[text.charCodeAt(s + 1)] !== 0x6f || FOLD[text.charCodeAt(s + 2)] !== 0x6e) return false;
    return this.sep(text, t - 1) === this.spaceSym;
  }

  private accepts(text: string, state: number, from: number, to: number): boolean {
    if (this.flags[state]! & ANY_CASE) return true;
    for (let o = this.outStart[state]!; o < this.outStart[state + 1]!; o++) if (this.written(text, this.exact[this.outExact[o]!]!, from, to)) return true;
    return false;
  }

  private emit(text: string, state: number, from: number, to: number): void {
    for (let o = this.outStart[state]!; o < this.outStart[state + 1]!; o++) {
      const ex = this.outExact[o]!;
      if (ex >= 0 && !this.written(text, this.exact[ex]!, from, to)) continue;
      if (this.hits === this.hNode.length) {
        this.hNode = grown(this.hNode, this.hits + 1);
        this.hStart = grown(this.hStart, this.hits + 1);
        this.hEnd = grown(this.hEnd, this.hits + 1);
      }
      this.hNode[this.hits] = this.outNode[o]!;
      this.hStart[this.hits] = this.tStart[from]!;
      this.hEnd[this.hits] = this.tEnd[to]!;
      this.hits++;
    }
  }

  private scan(text: string): void {
    const count = this.words(text);
    const { tWid, rootChild, flags } = this;
    let work = count;
    this.hits = 0;
    for (let i = 0; i < count; ) {
      const w = tWid[i]!;
      let state = w < 0 ? -1 : rootChild[w]!;
      if (state < 0 || this.afterNon(text, i)) {
        i++;
        continue;
      }
      let best = -1;
      let bestState = -1;
      let j = i;
      for (;;) {
        work++;
        const f = flags[state]!;
        if (f & HAS_OUTPUT && this.accepts(text, state, i, j)) {
          best = j;
          bestState = state;
        }
        if (!(f & HAS_SEP) || j + 1 >= count) break;
        const next = tWid[j + 1]!;
        if (next < 0) break;
        const sep = this.sep(text, j);
        if (sep < 0) break;
        const mid = this.child(state, sep);
        if (mid < 0) break;
        state = this.child(mid, next);
        if (state < 0) break;
        j++;
      }
      if (best < 0) i++;
      else {
        this.emit(text, bestState, i, best);
        i = best + 1;
      }
    }
    this.work = work;
  }
}
