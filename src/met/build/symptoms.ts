/**
 * Symptom nodes derived from DOID's definitions, which name symptoms in a controlled phrase:
 * "The infection has_symptom fever, has_symptom arthralgia, and has_symptom maculopapular rash."
 * Each phrase becomes a node `MET:symptom/<slug>` under `MET:symptoms`, unless it is already the
 * label of a node (anemia, pneumonia, conjunctivitis are DOID diseases): then the disease links
 * to that node instead. A phrase that names a body part, or could never be matched (an ambiguous
 * word), makes nothing. Every disease records the symptoms its definition names.
 */
import { ROOT_OF } from './branches.js';
import { addNode, type BuildContext } from './context.js';
import { Rank } from './draft.js';
import { attachKey, cleanName } from './names.js';

/** A phrase ends at a comma, a full stop, a semicolon, "and"/"or"/"which", or the next has_symptom. */
const PHRASE = /\bhas_symptom\s+(.+?)(?=\s*(?:[,;]|\.(?:\s|$)|\band\b|\bor\b|\bwhich\b|\bhas_symptom\b|$))/g;
/** Phrases the pattern cuts badly ("that are both gastrointestinal") start with these. */
const BAD_START = new Set(['that', 'which', 'the', 'a', 'an', 'both', 'is', 'are', 'its']);
const MAX_WORDS = 5;

/** The symptom phrases of one definition, cleaned, in order, each once. */
export function extractSymptoms(def: string): string[] {
  const out: string[] = [];
  for (const m of def.matchAll(PHRASE)) {
    const phrase = cleanName(m[1]!).text.replace(/\s+/g, ' ').trim();
    const words = phrase.split(' ');
    if (phrase === '' || phrase.includes('_') || words.length > MAX_WORDS || BAD_START.has(words[0]!.toLowerCase()) || !/^\p{L}/u.test(phrase)) continue;
    if (!out.includes(phrase)) out.push(phrase);
  }
  return out;
}

const slug = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Turns the collected phrases into symptom nodes and links, after every source is loaded. */
export function materializeSymptoms(ctx: BuildContext, sourceName: string, unusable: (name: string) => boolean): void {
  if (ctx.symptoms.length === 0) return;
  // Phrases that make nothing: never matched (an ambiguous word, too short), a body part, the disease itself.
  const skipped = new Set<string>();
  // Existing nodes by label (and, second, by curated synonym), for phrases that already are one.
  const byLabel = new Map<string, string[]>();
  const bySynonym = new Map<string, string[]>();
  for (const d of ctx.drafts.values()) {
    for (const c of d.claims) {
      if (c.rank > Rank.Curated) continue;
      const m = c.rank === Rank.Label ? byLabel : bySynonym;
      const k = attachKey(c.text);
      const list = m.get(k) ?? [];
      if (!list.includes(d.id)) list.push(d.id);
      m.set(k, list);
    }
  }
  // A plural phrase joins its singular when both occur ("headaches", "headache").
  const phrases = new Set(ctx.symptoms.map((s) => s.phrase));
  const canonical = (p: string): string => (p.endsWith('s') && phrases.has(p.slice(0, -1)) ? p.slice(0, -1) : p);

  let linked = 0;
  let created = 0;
  const existing = new Set<string>();
  for (const { disease, phrase } of ctx.symptoms) {
    const p = canonical(phrase);
    if (unusable(p)) {
      skipped.add(p);
      continue;
    }
    const k = attachKey(p);
    const found = byLabel.get(k) ?? bySynonym.get(k);
    // A phrase that names a body part ("chest", cut from "chest and abdominal pain") is no symptom.
    // Nor does a phrase that names the disease itself ("anogenital warts" in the definition of condyloma).
    const isSymptomOrDisease = (id: string) => ['disease', 'symptom'].includes(ctx.drafts.get(id)!.type);
    if (found && (!found.every(isSymptomOrDisease) || found.includes(disease))) {
      skipped.add(p);
      continue;
    }
    let target: string;
    if (found && found.length === 1) {
      target = found[0]!;
      existing.add(target);
    } else {
      target = `MET:symptom/${slug(p)}`;
      if (!ctx.drafts.get(target)) {
        addNode(ctx, {
          id: target,
          label: p,
          type: 'symptom',
          parents: [ROOT_OF.symptom],
          rare: false,
          claims: [{ text: p, rank: Rank.Label }],
          xrefs: new Set(),
          source: sourceName,
          where: `${disease} definition`,
        });
        created++;
      }
    }
    const d = ctx.drafts.get(disease)!;
    d.symptoms ??= new Set();
    if (!d.symptoms.has(target)) {
      d.symptoms.add(target);
      linked++;
    }
  }
  const report = ctx.report[sourceName] ?? {};
  report.symptoms = {
    phrases: phrases.size,
    diseases_with_symptoms: new Set(ctx.symptoms.map((s) => s.disease)).size,
    symptom_nodes: created,
    phrases_that_are_existing_nodes: existing.size,
    phrases_skipped: [...skipped].sort(),
    links: linked,
  };
  ctx.report[sourceName] = report;
}
