/**
 * Builds the matcher's word trie (src/met/matcher.ts) straight from the tree's readings, in typed
 * arrays: the same forms as `compileForms` (src/met/match-forms.ts), which states them with
 * strings and maps, without holding a string key and an object per form (a whole tree has a few
 * hundred thousand forms; the tests hold the two to the same matches).
 *
 * Symbols: words are 0..words-1 in the order first read; separators follow (`words + k`, k in
 * the order first read, the space first). While reading, a separator is -1 - k.
 */
import { forEachReading, variantsOf } from './match-forms.js';
import { SPACE_KEY } from './match-text.js';
import type { MetTree } from './tree.js';
import { grown } from '../text/typed-arrays.js';

/** State flags. */
export const HAS_SEP = 1;
export const HAS_OUTPUT = 2;
/** An output that matches in any case: the state accepts without checking capitals. */
export const ANY_CASE = 4;

export interface Trie {
  /** Folded words, by symbol id. */
  words: string[];
  /** Separator keys, by symbol id less `words.length`. */
  separators: string[];
  states: number;
  /** The state after the first word, by word id (-1: no form starts with it). */
  rootChild: Int32Array;
  /** Every other state's edges: eSym/eChild[firstEdge[s], firstEdge[s + 1]), sorted by symbol. */
  firstEdge: Int32Array;
  eSym: Int32Array;
  eChild: Int32Array;
  flags: Uint8Array;
  /** Outputs of state s: outNode/outExact[outStart[s], outStart[s + 1]), nodes in id order. */
  outStart: Int32Array;
  outNode: Int32Array;
  outExact: Int32Array;
  /** Raw words of the case-exact forms. */
  exact: string[][];
  patterns: number;
  variants: number;
  skipped: number;
  shared: number;
  maxSepKey: number;
  maxWords: number;
}

const slotOf = (state: number, sym: number, mask: number): number => {
  let h = Math.imul(state, 0x9e3779b1) ^ Math.imul(sym + 0x632be5ab, 0x85ebca77);
  h ^= h >>> 15;
  return h & mask;
};

/** `rank[node]`: the node's place in plain string order of ids (outputs of a state are listed in it). */
export function buildTrie(tree: MetTree, rank: Int32Array): Trie {
  const vocab = new Map<string, number>();
  const sepIndex = new Map<string, number>([[SPACE_KEY, 0]]);
  // States: parent and symbol of each (the root is 0), found by a hash of (parent, symbol).
  let parent = new Int32Array(1 << 16);
  let symOf = new Int32Array(1 << 16);
  let states = 1;
  let mask = (1 << 17) - 1;
  let hState = new Int32Array(mask + 1).fill(-1);
  let hSym = new Int32Array(mask + 1);
  let hChild = new Int32Array(mask + 1);
  const rehash = () => {
    const old = { hState, hSym, hChild };
    mask = mask * 2 + 1;
    hState = new Int32Array(mask + 1).fill(-1);
    hSym = new Int32Array(mask + 1);
    hChild = new Int32Array(mask + 1);
    for (let i = 0; i < old.hState.length; i++) {
      if (old.hState[i] === -1) continue;
      let slot = slotOf(old.hState[i]!, old.hSym[i]!, mask);
      while (hState[slot] !== -1) slot = (slot + 1) & mask;
      hState[slot] = old.hState[i]!;
      hSym[slot] = old.hSym[i]!;
      hChild[slot] = old.hChild[i]!;
    }
  };
  const step = (state: number, sym: number): number => {
    let slot = slotOf(state, sym, mask);
    for (; hState[slot] !== -1; slot = (slot + 1) & mask) if (hState[slot] === state && hSym[slot] === sym) return hChild[slot]!;
    const next = states++;
    parent = grown(parent, states);
    symOf = grown(symOf, states);
    parent[next] = state;
    symOf[next] = sym;
    hState[slot] = state;
    hSym[slot] = sym;
    hChild[slot] = next;
    if (states * 2 > mask) rehash();
    return next;
  };
  const wordSym = (w: string): number => {
    let id = vocab.get(w);
    if (id === undefined) vocab.set(w, (id = vocab.size));
    return id;
  };
  const sepSym = (key: string): number => {
    let k = sepIndex.get(key);
    if (k === undefined) sepIndex.set(key, (k = sepIndex.size));
    return -1 - k;
  };
  let maxWords = 0;
  const insert = (words: readonly string[], seps: readonly string[]): number => {
    maxWords = Math.max(maxWords, words.length);
    let state = step(0, wordSym(words[0]!));
    for (let i = 1; i < words.length; i++) state = step(step(state, sepSym(seps[i - 1]!)), wordSym(words[i]!));
    return state;
  };

  // Outputs, as lists per state: node, exact spelling (-1: any case), written or a variant.
  let outHead = new Int32Array(1 << 16).fill(-1);
  let outNext = new Int32Array(1 << 16);
  let oNode = new Int32Array(1 << 16);
  let oExact = new Int32Array(1 << 16);
  let oVariant = new Uint8Array(1 << 16);
  let outs = 0;
  const exact: string[][] = [];
  const exactIndex = new Map<string, number>();
  const output = (state: number, node: number, ex: number, variant: boolean) => {
    if (outHead.length <= state) {
      const size = Math.max(state + 1, outHead.length * 2);
      const head = new Int32Array(size).fill(-1);
      head.set(outHead);
      outHead = head;
    }
    for (let o = outHead[state]!; o !== -1; o = outNext[o]!) {
      if (oNode[o] !== node) continue;
      if (variant) return;
      if (oVariant[o]) {
        oVariant[o] = 0; // written after all
        oExact[o] = ex;
      } else if (ex < 0) oExact[o] = -1; // any case wins over one spelling; two spellings: the first
      return;
    }
    outNext = grown(outNext, outs + 1);
    oNode = grown(oNode, outs + 1);
    oExact = grown(oExact, outs + 1);
    oVariant = grown(oVariant, outs + 1);
    oNode[outs] = node;
    oExact[outs] = ex;
    oVariant[outs] = variant ? 1 : 0;
    outNext[outs] = outHead[state]!;
    outHead[state] = outs++;
  };

  const { skipped, maxSepKey } = forEachReading(tree, (node, r, isExact) => {
    const state = insert(r.words, r.seps);
    let ex = -1;
    if (isExact) {
      const rawKey = r.raw.join('\u0000');
      ex = exactIndex.get(rawKey) ?? -1;
      if (ex < 0) {
        ex = exact.length;
        exact.push(r.raw);
        exactIndex.set(rawKey, ex);
      }
    }
    output(state, node, ex, false);
    if (!isExact) for (const v of variantsOf(r)) output(insert(v.words, v.seps), node, -1, true);
  });

  // Symbols in their final numbering; the root's edges by word; the others' sorted per state.
  const W = vocab.size;
  for (let s = 1; s < states; s++) if (symOf[s]! < 0) symOf[s] = W - 1 - symOf[s]!;
  const flags = new Uint8Array(states);
  const rootChild = new Int32Array(W).fill(-1);
  const firstEdge = new Int32Array(states + 1);
  for (let s = 1; s < states; s++) {
    if (parent[s] === 0) rootChild[symOf[s]!] = s;
    else firstEdge[parent[s]! + 1]!++;
    if (symOf[s]! >= W) flags[parent[s]!]! |= HAS_SEP;
  }
  for (let s = 0; s < states; s++) firstEdge[s + 1]! += firstEdge[s]!;
  const edges = firstEdge[states]!;
  const eSym = new Int32Array(edges);
  const eChild = new Int32Array(edges);
  const fill = firstEdge.slice(0, states);
  for (let s = 1; s < states; s++) {
    if (parent[s] === 0) continue;
    const at = fill[parent[s]!]!++;
    eSym[at] = symOf[s]!;
    eChild[at] = s;
  }
  for (let s = 1; s < states; s++) {
    const from = firstEdge[s]!;
    const to = firstEdge[s + 1]!;
    if (to - from < 2) continue;
    const order = Array.from({ length: to - from }, (_, i) => from + i).sort((a, b) => eSym[a]! - eSym[b]!);
    const syms = order.map((i) => eSym[i]!);
    const children = order.map((i) => eChild[i]!);
    eSym.set(syms, from);
    eChild.set(children, from);
  }

  // Outputs: written ones where a state has any, else the variants'; nodes in id order.
  const outStart = new Int32Array(states + 1);
  const outNode: number[] = [];
  const outExact: number[] = [];
  let patterns = 0;
  let variants = 0;
  let shared = 0;
  for (let s = 0; s < states; s++) {
    outStart[s] = outNode.length;
    if (s >= outHead.length || outHead[s] === -1) continue;
    const list: number[] = [];
    let written = false;
    for (let o = outHead[s]!; o !== -1; o = outNext[o]!) {
      list.push(o);
      if (!oVariant[o]) written = true;
    }
    const kept = list.filter((o) => !written || !oVariant[o]).sort((a, b) => rank[oNode[a]!]! - rank[oNode[b]!]!);
    if (written) patterns += kept.length;
    else variants += kept.length;
    if (kept.length > 1) shared++;
    flags[s]! |= HAS_OUTPUT;
    for (const o of kept) {
      outNode.push(oNode[o]!);
      outExact.push(oExact[o]!);
      if (oExact[o]! < 0) flags[s]! |= ANY_CASE;
    }
  }
  outStart[states] = outNode.length;
  return {
    words: [...vocab.keys()],
    separators: [...sepIndex.keys()],
    states,
    rootChild,
    firstEdge,
    eSym,
    eChild,
    flags,
    outStart,
    outNode: Int32Array.from(outNode),
    outExact: Int32Array.from(outExact),
    exact,
    patterns,
    variants,
    skipped,
    shared,
    maxSepKey,
    maxWords,
  };
}
