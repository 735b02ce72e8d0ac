/**
 * The shipped classifiers' training data and settings (scripts/train-models.ts trains them): which
 * sources, cut how, labelled how. A module of its own so that other scripts can make the same
 * examples and split without training.
 */
import { countWords } from '../src/signals/counts.js';
import type { LabelledSource, TrainOptions } from '../src/training/train.js';
import { DEFAULT_TRAINING } from '../src/training/defaults.js';
import { extractSymptoms } from '../src/met/build/symptoms.js';
import { anatomyDefinitions, diseaseDefinitions, medicalNames, medquadAnswers, medquadDrugQuestions, pubmedqaAbstracts, sotuDocuments, spamAssassin, type Email } from './corpora.js';

export type ModelSources = Record<'medical' | 'quality', () => { sources: LabelledSource[]; options: TrainOptions }>;

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

/**
 * Short texts cut from longer ones, so that a model meets short texts of both classes and length
 * does not decide (issue 19: trained on whole documents only, the medical model called most short
 * general texts medical). From each text: one sentence, and one passage of two or three sentences,
 * chosen by a hash of the text (the same every run). Each piece remembers its text: it is held out
 * with it (`cutFrom`).
 */
function pieces(texts: readonly string[]): { texts: string[]; cutFrom: string[] } {
  const out: { texts: string[]; cutFrom: string[] } = { texts: [], cutFrom: [] };
  for (const text of texts) {
    const sentences = text
      .split(/(?<=[.!?]["')\]]?)\s+|\n+/)
      .map((x) => x.trim())
      .filter((x) => /[\p{L}\p{N}]/u.test(x));
    if (sentences.length < 2) continue;
    const h = fnv(text);
    const take = (piece: string) => {
      out.texts.push(piece);
      out.cutFrom.push(text);
    };
    take(sentences[h % sentences.length]!);
    const from = (h >>> 8) % sentences.length;
    take(sentences.slice(from, from + 2 + ((h >>> 16) % 2)).join(' '));
  }
  return out;
}
/** Pieces of one part of each e-mail (`whole`: the part itself, a subject), held out with the whole message. */
function piecesOf(mails: readonly Email[], part: (m: Email) => string, whole = false): { texts: string[]; cutFrom: string[] } {
  const out: { texts: string[]; cutFrom: string[] } = { texts: [], cutFrom: [] };
  for (const m of mails) {
    const cut = whole ? { texts: [part(m)], cutFrom: [m.raw] } : pieces([part(m)]);
    out.texts.push(...cut.texts);
    out.cutFrom.push(...cut.cutFrom.map(() => m.raw));
  }
  return out;
}
/** Short lines of e-mail bodies ("Thanks, Bob", "Click here to unsubscribe"): up to four of each message's lines of under 10 words, chosen by a hash, held out with the message. */
function shortLines(mails: readonly Email[]): { texts: string[]; cutFrom: string[] } {
  const out: { texts: string[]; cutFrom: string[] } = { texts: [], cutFrom: [] };
  for (const m of mails) {
    const lines = [...new Set(m.body.split('\n').map((l) => l.trim()))].filter((l) => /[\p{L}\p{N}]/u.test(l) && l.split(/\s+/).length < 10);
    for (const l of lines.sort((a, b) => fnv(a) - fnv(b) || (a < b ? -1 : 1)).slice(0, 4)) {
      out.texts.push(l);
      out.cutFrom.push(m.raw);
    }
  }
  return out;
}
/** Every sentence of under 10 words, held out with its passage. */
function shortSentences(texts: readonly string[]): { texts: string[]; cutFrom: string[] } {
  const out: { texts: string[]; cutFrom: string[] } = { texts: [], cutFrom: [] };
  for (const text of texts) {
    for (const s of text.split(/(?<=[.!?]["')\]]?)\s+/)) {
      if (!/[\p{L}\p{N}]/u.test(s) || s.split(/\s+/).length >= 10) continue;
      out.texts.push(s.trim());
      out.cutFrom.push(text);
    }
  }
  return out;
}
/** FNV-1a of a string's UTF-16 units: a fixed choice per text. */
function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Two of each drug's questions (chosen by a hash of the question), held out with the drug's name:
 * the questions are templates, the same dozen for every drug, and the drug is what they add.
 */
function drugQuestions(shared: string): { texts: string[]; cutFrom: string[] } {
  const byDrug = new Map<string, string[]>();
  for (const { drug, question } of medquadDrugQuestions(shared)) byDrug.set(drug, [...(byDrug.get(drug) ?? []), question]);
  const out: { texts: string[]; cutFrom: string[] } = { texts: [], cutFrom: [] };
  for (const [drug, questions] of byDrug) {
    for (const q of [...questions].sort((a, b) => fnv(a) - fnv(b) || (a < b ? -1 : 1)).slice(0, 2)) {
      out.texts.push(q);
      out.cutFrom.push(drug);
    }
  }
  return out;
}

/** The sources and settings of each shipped model, from the shared data in `shared`. */
export function modelSources(shared: string): ModelSources {
  // Short medical texts of every kind: without them a lone "asthma" or "fever" read as the short
  // e-mail lines the negatives are full of.
  const names = () => {
    const { diseases, anatomy } = medicalNames(shared);
    const symptoms = new Set(diseaseDefinitions(shared).flatMap(extractSymptoms));
    const drugs = new Set(medquadDrugQuestions(shared).map((q) => q.drug));
    // every other one (by a hash of the name): all 18,500 would outweigh the short general texts
    return [...new Set([...diseases, ...anatomy, ...symptoms, ...drugs])].filter((n) => fnv(n) % 2 === 0);
  };
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

    return {
    medical: () => ({
      sources: [
        { name: 'MedQuAD answers', positive: true, texts: medquad },
        { name: 'MedQuAD answers, a sentence and a passage of each', positive: true, ...pieces(medquad) },
        { name: 'Disease Ontology definitions', positive: true, texts: diseaseDefinitions(shared) },
        { name: 'Uberon anatomy definitions', positive: true, texts: anatomyDefinitions(shared) },
        { name: 'MedlinePlus questions on drugs and supplements (MedQuAD), two per drug', positive: true, ...drugQuestions(shared) },
      { name: 'Names: diseases (DOID), anatomy (Uberon), symptoms named in DOID definitions, drugs (MedlinePlus)', positive: true, texts: names() },
        { name: 'State of the Union addresses (250-word passages)', positive: false, texts: sotu },
        { name: 'State of the Union, a sentence and a passage of each', positive: false, ...pieces(sotu) },
        { name: 'SpamAssassin ham e-mails', positive: false, texts: ham.map((m) => m.raw) },
        { name: 'SpamAssassin spam e-mails', positive: false, texts: spam.map((m) => m.raw) },
        { name: 'SpamAssassin e-mail bodies, a sentence and a passage of each', positive: false, ...piecesOf(mails, (m) => m.body) },
        { name: 'SpamAssassin e-mail lines of under 10 words, up to four of each', positive: false, ...shortLines(mails) },
      { name: 'State of the Union sentences of under 10 words', positive: false, ...shortSentences(sotu) },
      { name: 'SpamAssassin e-mail subjects', positive: false, ...piecesOf(mails, (m) => /^Subject:[ \t]*(.*)$/m.exec(m.headers)?.[1] ?? '', true) },
      ],
      options: {
        ...common('medical.ftz'),
        name: 'medical relevance',
        description:
          'Scores how medical a document is: the probability of `__label__medical`. Trained on consumer-health answers from NIH websites (MedQuAD), disease definitions (Human Disease Ontology), anatomy definitions (Uberon) and questions about drugs and supplements (MedlinePlus, through MedQuAD) against general English: presidential addresses and e-mail, ham and spam. Short texts are on both sides: a sentence and a passage of two or three sentences cut from each answer, address passage and e-mail body; the short sentences of the addresses, short lines of e-mails and their subjects; names of diseases, anatomy, symptoms and drugs. Each piece is held out with the text it was cut from. Medical spam (online pharmacies) is labelled general. A text with no letter or digit gets no score (winnow does not ask the model). PubMedQA abstracts, never trained on, measure how it carries over to research writing.',
        positiveLabel: 'medical',
        negativeLabel: 'general',
        evaluations: [
          {
            name: 'PubMedQA abstracts against held-out general text',
            description: 'The 1,000 PubMedQA abstracts (biomedical research, a register the training data lacks) as positives, against the held-out general documents of over 50 words (abstracts are long: short texts are measured in the length bands above).',
            sources: [pubmedqa],
            heldOut: 'negative',
            heldOutMinWords: 51,
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
}
