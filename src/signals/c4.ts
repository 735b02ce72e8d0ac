import { defineFamily } from './signal.js';

/**
 * C4's page-level rules (Raffel et al. 2020), from the line pass in src/text/c4-lines.ts: sentences
 * left after the line cleanup, "lorem ipsum", curly brackets, and how many lines each line rule
 * removed.
 */
const REMOVED = ['long_word', 'no_terminal_punct', 'too_few_words', 'lorem_ipsum', 'javascript', 'policy'] as const;

export const c4Family = defineFamily({
  name: 'c4',
  stage: 'cleaned',
  version: 2,
  description: 'C4 page rules and line cleanup counts (Raffel et al. 2020)',
  needs: { passes: ['c4'] },
  signals: [
    { name: 'c4_sentences', type: 'INTEGER', description: 'sentences in the lines C4 keeps' },
    { name: 'c4_lorem_ipsum', type: 'BOOLEAN', description: 'a line contains "lorem ipsum"' },
    { name: 'c4_curly_bracket', type: 'BOOLEAN', description: 'a kept line contains "{"' },
    ...REMOVED.map((reason) => ({ name: `c4_lines_${reason}` as const, type: 'INTEGER' as const, description: `lines the C4 cleanup removed: ${reason.replaceAll('_', ' ')}` })),
  ],
  measure({ passes: { c4 } }, out) {
    const { removed } = c4;
    out.c4_sentences(c4.sentences);
    out.c4_lorem_ipsum(c4.loremIpsum);
    out.c4_curly_bracket(c4.curlyBracket);
    out.c4_lines_long_word(removed.long_word);
    out.c4_lines_no_terminal_punct(removed.no_terminal_punct);
    out.c4_lines_too_few_words(removed.too_few_words);
    out.c4_lines_lorem_ipsum(removed.lorem_ipsum);
    out.c4_lines_javascript(removed.javascript);
    out.c4_lines_policy(removed.policy);
  },
});
