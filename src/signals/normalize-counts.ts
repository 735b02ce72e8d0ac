import { defineFamily } from './signal.js';

/** What normalization repaired in a document. Always computed: it costs nothing extra. */
export const normalizeFamily = defineFamily({
  name: 'normalize',
  stage: 'final',
  version: 1,
  description: 'repairs made by normalization',
  needs: { passes: ['normalize'] },
  signals: [
    { name: 'mojibake_fixed', type: 'INTEGER', description: 'mojibake sequences repaired' },
    { name: 'invisible_removed', type: 'INTEGER', description: 'control and zero-width characters removed' },
  ],
  measure({ passes }, out) {
    out.mojibake_fixed(passes.normalize.mojibake);
    out.invisible_removed(passes.normalize.invisible);
  },
});
