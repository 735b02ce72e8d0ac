/**
 * A fingerprint of the PHI redaction on every corpus and synthetic set: for each document a hash of
 * its redacted text, spans and counts, under the default and the strict policy. Speed work on
 * src/phi/ must leave it unchanged: save it before a change, compare after.
 *
 *   node dist/scripts/phi-fingerprint.js --save .bench/phi-fingerprint.json
 *   node dist/scripts/phi-fingerprint.js --compare .bench/phi-fingerprint.json
 *
 * Uses ../shared's MedQuAD and PubMedQA when present (the fixtures' texts otherwise).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadPiiPatterns } from '../src/config/load.js';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { makeDeidentifier } from '../src/phi/deidentify.js';
import { medquadAnswers, pubmedqaAbstracts, sotuDocuments, spamAssassin } from './corpora.js';
import { phiDevSet } from './phi-dev-set.js';
import { phiHoldout } from './phi-holdout.js';

const values = (() => {
  try {
    return parseArgs({ options: { save: { type: 'string' }, compare: { type: 'string' }, shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') } } }).values;
  } catch (e) {
    console.error(`phi-fingerprint: ${(e as Error).message}`);
    process.exit(2);
  }
})();
if (!values.save === !values.compare) {
  console.error('phi-fingerprint: give --save FILE or --compare FILE');
  process.exit(2);
}
const fail = (message: string): never => {
  console.error(`phi-fingerprint: ${message}`);
  process.exit(2);
};
// The file to compare with is read before the minutes of work, and only its shape is told on error.
let before: Record<string, string[]> | undefined;
if (values.compare) {
  let raw: string;
  try {
    raw = readFileSync(values.compare, 'utf8');
  } catch (e) {
    fail(`cannot read ${values.compare} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    before = JSON.parse(raw!) as Record<string, string[]>;
  } catch {
    fail(`${values.compare} is not a fingerprint file written by --save (not JSON)`);
  }
  if (!before || typeof before !== 'object' || Object.values(before).some((v) => !Array.isArray(v))) fail(`${values.compare} is not a fingerprint file written by --save`);
}
const shared = values.shared!;
const hasShared = existsSync(join(shared, 'data', 'medquad', 'medquad.jsonl.gz'));
const sets: Record<string, string[]> = {
  dev: phiDevSet(1400, 29).map((d) => d.text),
  ...Object.fromEntries([7, 99, 313, 555].map((seed) => [`holdout-${seed}`, phiHoldout(700, seed).map((d) => d.text)])),
  ...(hasShared ? { medquad: medquadAnswers(shared).map((d) => d.text), pubmedqa: pubmedqaAbstracts(shared) } : {}),
  sotu: sotuDocuments(),
  email: spamAssassin().map((e) => e.raw),
};
const file = loadPiiPatterns(join(PACKAGE_ROOT, 'rules', 'pii.yaml'));
const prints: Record<string, string[]> = {};
for (const policy of ['keep', 'redact'] as const) {
  const deid = makeDeidentifier(file, { publicContacts: policy });
  for (const [name, texts] of Object.entries(sets)) {
    prints[`${policy}/${name}`] = texts.map((t) => {
      const r = deid.redact(t);
      return createHash('sha1').update(`${r.text}\u0000${JSON.stringify(r.spans)}\u0000${r.counts.join()}`).digest('hex').slice(0, 16);
    });
  }
}
if (values.save) {
  try {
    writeFileSync(values.save, JSON.stringify(prints));
  } catch (e) {
    fail(`cannot write ${values.save} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  console.log(`saved ${Object.values(prints).reduce((a, p) => a + p.length, 0).toLocaleString('en')} fingerprints to ${values.save}`);
} else {
  let differ = 0;
  for (const [key, now] of Object.entries(prints)) {
    const was = before![key];
    if (!was) {
      console.log(`${key}: not in ${values.compare}`);
      differ++;
      continue;
    }
    const changed = now.flatMap((p, i) => (p !== was[i] ? [i] : []));
    if (changed.length > 0 || was.length !== now.length) {
      differ++;
      console.log(`${key}: ${changed.length} of ${now.length} documents differ (first: ${changed.slice(0, 5).join(', ')})`);
    }
  }
  console.log(differ === 0 ? 'identical' : 'DIFFERENT');
  process.exit(differ === 0 ? 0 : 1);
}
