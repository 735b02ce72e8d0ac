import { createRequire } from 'node:module';
import { defineFamily } from './signal.js';

/** C4's bad-words rule: the LDNOOBW list (npm naughty-words, CC BY 4.0) for one language. */
export function badwordsFamily(language: string) {
  let pattern: RegExp | undefined;
  return defineFamily({
    name: 'c4_badwords',
    stage: 'final',
    version: 1,
    description: `words from the LDNOOBW list (${language})`,
    async prepare() {
      const require = createRequire(import.meta.url);
      const lists = require('naughty-words') as Record<string, string[]>;
      const words = lists[language];
      if (!words) throw new Error(`no bad-words list for language "${language}"; lists exist for ${Object.keys(lists).join(', ')}`);
      const alternatives = words.map((w) => w.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
      // Languages written without spaces match anywhere; others only as whole words (C4's rule).
      pattern = ['ja', 'th', 'zh'].includes(language) ? new RegExp(alternatives, 'g') : new RegExp(`(?:^|[^\\p{L}\\p{N}_])(?:${alternatives})(?=$|[^\\p{L}\\p{N}_])`, 'gu');
    },
    signals: [{ name: 'c4_badwords', type: 'INTEGER', description: 'occurrences of listed words in the lower-cased text' }],
    measure(doc, out) {
      if (!pattern) throw new Error('c4_badwords used before prepare()');
      out.c4_badwords(doc.text.toLowerCase().match(pattern)?.length ?? 0);
    },
  });
}
