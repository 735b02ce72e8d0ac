import type { Pipeline } from '../config/load.js';
import { loadMatcher } from '../met/matcher-cache.js';
import type { MetMatcher } from '../met/matcher.js';
import { defineFamily } from './signal.js';

/**
 * One compiled tree per worker thread and tree file: compiling costs far more than a shard's worth
 * of lookups (and is cached between processes: src/met/matcher-cache.ts).
 */
interface Compiled {
  matcher: MetMatcher;
  /** 1 for a rare node, by the node's place in the tree. */
  rare: Uint8Array;
  index: Map<string, number>;
}
const compiled = new Map<string, Compiled>();

/**
 * The Medical Entity Tree's nodes a document mentions (src/met/matcher.ts: word boundaries,
 * longest match, case rules for acronyms), from the final text, the text curated rows carry.
 * Direct mentions only: coverage rolls them up the hierarchy (src/met/coverage.ts).
 */
export function metFamily(tree: Pipeline['metTree']) {
  let state: Compiled | undefined;
  return defineFamily({
    name: 'met',
    stage: 'final',
    version: 2,
    batched: true,
    description: 'Medical Entity Tree nodes mentioned, with counts',
    signals: [
      { name: 'met_nodes', type: 'VARCHAR[]', description: 'ids of the entity-tree nodes the text mentions, sorted' },
      { name: 'met_counts', type: 'INTEGER[]', description: 'mentions of each node of met_nodes, in its order' },
      { name: 'met_mentions', type: 'INTEGER', description: 'entity mentions in all' },
      { name: 'met_rare', type: 'INTEGER', description: 'distinct rare diseases mentioned' },
    ],
    async prepare() {
      // loadPipeline resolves met.tree whenever the family is on; without a tree the family can
      // still say what it measures (for messages about signals), but not measure.
      if (!tree) throw new Error('the met family needs an entity tree: met.tree, resolved by loadPipeline');
      state = compiled.get(tree.sha256);
      if (state) return;
      const { matcher } = loadMatcher(tree);
      state = { matcher, rare: matcher.rareFlags, index: new Map(matcher.nodeIds.map((id, i) => [id, i])) };
      compiled.set(tree.sha256, state);
    },
    measure(doc, out) {
      if (!state) throw new Error('the met family was used before prepare()');
      const { nodes, counts } = state.matcher.count(doc.text);
      let mentions = 0;
      let rare = 0;
      for (let i = 0; i < nodes.length; i++) {
        mentions += counts[i]!;
        rare += state.rare[state.index.get(nodes[i]!)!]!;
      }
      out.met_nodes(nodes);
      out.met_counts(counts);
      out.met_mentions(mentions);
      out.met_rare(rare);
    },
  });
}
