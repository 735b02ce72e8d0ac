import type { SignalFamily } from './signal.js';

/**
 * C4's page-level rules (Raffel et al. 2020), from the line pass in src/text/c4-lines.ts: sentences
 * left after the line cleanup, "lorem ipsum", curly brackets, and how many lines each line rule
 * removed.
 */
const REMOVED = ['long_word', 'no_terminal_punct', 'too_few_words', 'lorem_ipsum', 'javascript', 'policy'] as const;

export const c4Family: SignalFamily = {
  name: 'c4',
  stage: 'cleaned',
  version: 1,
  description: 'C4 page rules and line cleanup counts (Raffel et al. 2020)',
  signals: [
    { name: 'c4_sentences', type: 'INTEGER', description: 'sentences in the lines C4 keeps' },
    { name: 'c4_lorem_ipsum', type: 'BOOLEAN', description: 'a line contains "lorem ipsum"' },
    { name: 'c4_curly_bracket', type: 'BOOLEAN', description: 'a kept line contains "{"' },
    ...REMOVED.map((reason) => ({ name: `c4_lines_${reason}`, type: 'INTEGER' as const, description: `lines the C4 cleanup removed: ${reason.replaceAll('_', ' ')}` })),
  ],
  measure({ passes }, out, at) {
    const c4 = passes.c4;
    if (!c4) throw new Error('the C4 signals need the C4 line pass');
    out[at] = c4.sentences;
    out[at + 1] = c4.loremIpsum;
    out[at + 2] = c4.curlyBracket;
    REMOVED.forEach((reason, i) => (out[at + 3 + i] = c4.removed[reason]));
  },
};
