import type { SignalFamily } from './signal.js';

/** What normalization repaired in a document. Always computed: it costs nothing extra. */
export const normalizeFamily: SignalFamily = {
  name: 'normalize',
  stage: 'final',
  version: 1,
  description: 'repairs made by normalization',
  signals: [
    { name: 'mojibake_fixed', type: 'INTEGER', description: 'mojibake sequences repaired' },
    { name: 'invisible_removed', type: 'INTEGER', description: 'control and zero-width characters removed' },
  ],
  measure({ passes }, out, at) {
    out[at] = passes.normalize?.mojibake ?? 0;
    out[at + 1] = passes.normalize?.invisible ?? 0;
  },
};
