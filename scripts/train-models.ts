/**
 * Trains the two classifiers shipped in fixtures/models/, from real data, reproducibly (the same
 * data gives the same bytes; a test checks it whenever ../shared is present):
 *
 *  - medical.ftz, medical relevance: MedQuAD answers and Human Disease Ontology definitions
 *    against general text (State of the Union addresses, SpamAssassin e-mails, ham and spam);
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
import { countWords } from '../src/signals/counts.js';
import { prepareExamples, saveTrained, trainClassifier, type LabelledSource, type TrainOptions } from '../src/training/train.js';
import { DEFAULT_TRAINING } from '../src/training/defaults.js';
import { diseaseDefinitions, medquadAnswers, pubmedqaAbstracts, sotuDocuments, spamAssassin, type Email } from './corpora.js';

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

/**
 * E-mail bodies split into prose and boilerplate: lines quoted from earlier messages (">") are
 * dropped, and lines of 20 characters or more found in five or more e-mails (list footers,
 * signatures, unsubscribe notices) are boilerplate.
 */
function emailParts(mails: readonly Email[]): { prose: string; boilerplate: string }[] {
  const linesOf = (m: Email) => m.body.split('\n').map((l) => l.trim());
  const seenIn = new Map<string, number>();
  for (const m of mails) for (const l of new Set(linesOf(m))) if (l.length >= 20) seenIn.set(l, (seenIn.get(l) ?? 0) + 1);
  return mails.map((m) => {
    const prose: string[] = [];
    const boilerplate: string[] = [];
    for (const l of linesOf(m)) {
      if (l.startsWith('>')) continue;
      ((seenIn.get(l) ?? 0) >= 5 ? boilerplate : prose).push(l);
    }
    return { prose: prose.join('\n').trim(), boilerplate: boilerplate.join('\n') };
  });
}

const medquad = medquadAnswers(shared).map((d) => d.text);
const sotu = sotuDocuments();
const mails = spamAssassin();
const ham = mails.filter((m) => !m.spam);
const spam = mails.filter((m) => m.spam);
const pubmedqa: LabelledSource = { name: 'PubMedQA abstracts', positive: true, texts: pubmedqaAbstracts(shared) };

const common = (file: string): Pick<TrainOptions, 'holdout' | 'seed' | 'threshold' | 'fasttext' | 'quantize' | 'preprocessing' | 'file'> => ({
  ...DEFAULT_TRAINING,
  file,
});

const models: Record<string, () => { sources: LabelledSource[]; options: TrainOptions }> = {
  medical: () => ({
    sources: [
      { name: 'MedQuAD answers', positive: true, texts: medquad },
      { name: 'Disease Ontology definitions', positive: true, texts: diseaseDefinitions(shared) },
      { name: 'State of the Union addresses (250-word passages)', positive: false, texts: sotu },
      { name: 'SpamAssassin ham e-mails', positive: false, texts: ham.map((m) => m.raw) },
      { name: 'SpamAssassin spam e-mails', positive: false, texts: spam.map((m) => m.raw) },
    ],
    options: {
      ...common('medical.ftz'),
      name: 'medical relevance',
      description:
        'Scores how medical a document is: the probability of `__label__medical`. Trained on consumer-health answers from NIH websites (MedQuAD) and disease definitions (Human Disease Ontology) against general English: presidential addresses and e-mail, ham and spam. Medical spam (online pharmacies) is labelled general. PubMedQA abstracts, never trained on, measure how it carries over to research writing.',
      positiveLabel: 'medical',
      negativeLabel: 'general',
      evaluations: [
        {
          name: 'PubMedQA abstracts against held-out general text',
          description: 'The 1,000 PubMedQA abstracts (biomedical research, a register the training data lacks) as positives, against the held-out general documents.',
          sources: [pubmedqa],
          heldOut: 'negative',
        },
      ],
    },
  }),
  quality: () => {
    const hamParts = emailParts(ham);
    const spamParts = emailParts(spam);
    return {
      sources: [
        { name: 'MedQuAD answers (every third)', positive: true, texts: medquad.filter((_, i) => i % 3 === 0) },
        { name: 'State of the Union addresses (250-word passages)', positive: true, texts: sotu },
        { name: 'SpamAssassin ham, prose (50+ words, no quotes or footers)', positive: true, texts: hamParts.map((p) => p.prose).filter((t) => countWords(t) >= 50) },
        { name: 'SpamAssassin spam, bodies', positive: false, texts: spam.map((m) => m.body) },
        { name: 'SpamAssassin e-mail header blocks', positive: false, texts: mails.map((m) => m.headers) },
        { name: 'SpamAssassin repeated footer lines', positive: false, texts: [...hamParts, ...spamParts].map((p) => p.boilerplate).filter((t) => countWords(t) >= 5) },
      ],
      options: {
        ...common('quality.ftz'),
        name: 'quality',
        description:
          'Scores how much a document reads like well-formed prose: the probability of `__label__high`. Positives are edited text from three registers (NIH health answers, presidential addresses, the prose of legitimate e-mails); negatives are spam, e-mail header blocks and the footer lines mailing lists repeat. It judges form and register, not truth. PubMedQA abstracts, never trained on, check that unseen well-formed text scores high.',
        positiveLabel: 'high',
        negativeLabel: 'low',
        evaluations: [
          {
            name: 'PubMedQA abstracts against held-out low-quality text',
            description: 'The 1,000 PubMedQA abstracts (well-formed, never trained on) as positives, against the held-out spam, headers and footers.',
            sources: [pubmedqa],
            heldOut: 'negative',
          },
        ],
      },
    };
  },
};

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
