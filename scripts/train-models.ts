/**
 * Trains the two classifiers shipped in fixtures/models/, from real data, reproducibly (the same
 * data gives the same bytes; a test checks it whenever ../shared is present):
 *
 *  - medical.ftz, medical relevance: MedQuAD answers, Human Disease Ontology and Uberon anatomy
 *    definitions and MedlinePlus drug names against general text (State of the Union addresses,
 *    SpamAssassin e-mails, ham and spam, and their subjects), long texts and pieces cut from them;
 *  - quality.ftz, well-formed text: MedQuAD answers, State of the Union addresses and the prose of
 *    ham e-mails against spam, e-mail header blocks and the footer lines mailing lists repeat.
 *
 * PubMedQA stays out of training: both cards evaluate on its abstracts.
 * Usage: node dist/scripts/train-models.js [--shared ../shared] [--out fixtures/models] [--only medical|quality] [--data-only]
 *
 * --data-only reads the sources and makes the examples and the split, without training, and prints
 * each card's `data` section as JSON ({ "medical": ..., "quality": ... }), in seconds: `npm test`
 * checks it against the shipped cards (the byte-for-byte retraining runs in `npm run test:full`).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { prepareExamples, saveTrained, trainClassifier } from '../src/training/train.js';
import { modelSources } from './model-sources.js';

const { values } = parseArgs({
  options: {
    shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') },
    out: { type: 'string', default: join(PACKAGE_ROOT, 'fixtures', 'models') },
    only: { type: 'string' },
    'data-only': { type: 'boolean', default: false },
  },
});
const shared = resolve(values.shared!);
const out = resolve(values.out!);
const fail = (message: string): never => {
  console.error(`train-models: ${message}`);
  process.exit(2);
};
if (values.only !== undefined && values.only !== 'medical' && values.only !== 'quality') fail(`--only takes medical or quality, not "${values.only}"`);
let models: ReturnType<typeof modelSources>;
try {
  models = modelSources(shared);
} catch (e) {
  models = fail((e as Error).message);
}

const dataOnly: Record<string, unknown> = {};
for (const [name, build] of Object.entries(models)) {
  if (values.only && values.only !== name) continue;
  const { sources, options } = build();
  if (values['data-only']) {
    dataOnly[name] = (await prepareExamples(sources, options)).data;
    continue;
  }
  let last = -1;
  const trained = await trainClassifier(sources, {
    ...options,
    onProgress: (stage, p) => {
      const step = p === undefined ? -1 : Math.floor(p * 4);
      if (p === undefined || step > last) process.stderr.write(`${name}: ${stage}${p === undefined ? '' : ` ${Math.round(p * 100)}%`}\n`);
      if (p !== undefined) last = step;
    },
  });
  const file = join(out, options.file);
  saveTrained(file, trained);
  const m = trained.card.metrics.holdout.model;
  const e = trained.card.evaluations[0]!.metrics;
  console.log(
    `${name}: ${file} (${trained.model.length.toLocaleString('en-US')} bytes, trained in ${trained.seconds} s); ` +
      `held-out ROC AUC ${m.roc_auc}, accuracy ${m.accuracy}; ${trained.card.evaluations[0]!.name}: ROC AUC ${e.roc_auc}, recall ${e.recall}`,
  );
}
if (values['data-only']) console.log(JSON.stringify(dataOnly, null, 2));
