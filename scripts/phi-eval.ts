/**
 * Scores a de-identifier on the PHI development set (scripts/phi-dev-set.ts) and on clean text:
 * recall per identifier type and per format (an identifier counts as caught only when every letter
 * and digit of it is inside a redaction), public items wrongly redacted, and redactions per 1,000
 * clean documents by type (every redaction in clean text is a false one).
 */
import type { PhiSpan } from '../src/phi/span.js';
/** A document with planted identifiers and public items: scripts/phi-dev-set.ts's and scripts/phi-holdout.ts's. */
export interface EvalDoc {
  text: string;
  planted: readonly { type: string; format: string; start: number; end: number }[];
  keep: readonly { kind: string; start: number; end: number }[];
}

export type Find = (text: string) => PhiSpan[];

export interface Tally {
  planted: number;
  caught: number;
}

export interface DevScore {
  byType: Map<string, Tally>;
  byFormat: Map<string, Tally>;
  /** Public items (hotlines, eponyms ...) and how many were redacted. */
  publicItems: Map<string, Tally>;
  /** Planted identifiers missed, with their document, for reading. */
  missed: { type: string; format: string; text: string; context: string }[];
  /** Public items redacted. */
  overRedacted: { kind: string; text: string }[];
}

const ALNUM = /[\p{L}\p{N}]/u;

function covered(text: string, start: number, end: number, spans: readonly PhiSpan[]): boolean {
  for (let i = start; i < end; i++) {
    if (!ALNUM.test(text[i]!)) continue;
    if (!spans.some((s) => s.start <= i && i < s.end)) return false;
  }
  return true;
}

const bump = (m: Map<string, Tally>, key: string, caught: boolean) => {
  const t = m.get(key) ?? { planted: 0, caught: 0 };
  t.planted++;
  if (caught) t.caught++;
  m.set(key, t);
};

export function scoreDevSet(find: Find, docs: readonly EvalDoc[]): DevScore {
  const score: DevScore = { byType: new Map(), byFormat: new Map(), publicItems: new Map(), missed: [], overRedacted: [] };
  for (const doc of docs) {
    const spans = find(doc.text);
    for (const p of doc.planted) {
      const ok = covered(doc.text, p.start, p.end, spans);
      bump(score.byType, p.type, ok);
      bump(score.byFormat, `${p.type}: ${p.format}`, ok);
      if (!ok) score.missed.push({ type: p.type, format: p.format, text: doc.text.slice(p.start, p.end), context: doc.text.slice(Math.max(0, p.start - 40), p.end + 20) });
    }
    for (const k of doc.keep) {
      const hit = spans.some((s) => s.start < k.end && k.start < s.end);
      bump(score.publicItems, k.kind, hit);
      if (hit) score.overRedacted.push({ kind: k.kind, text: doc.text.slice(k.start, k.end) });
    }
  }
  return score;
}

export interface CleanScore {
  documents: number;
  /** Redactions by type, and the documents with any. */
  byType: Map<string, number>;
  documentsWithAny: number;
  examples: { type: string; text: string; context: string }[];
}

export function scoreClean(find: Find, texts: readonly string[]): CleanScore {
  const score: CleanScore = { documents: texts.length, byType: new Map(), documentsWithAny: 0, examples: [] };
  for (const text of texts) {
    const spans = find(text);
    if (spans.length > 0) score.documentsWithAny++;
    for (const s of spans) {
      score.byType.set(s.type, (score.byType.get(s.type) ?? 0) + 1);
      if (score.examples.length < 200) score.examples.push({ type: s.type, text: text.slice(s.start, s.end), context: text.slice(Math.max(0, s.start - 50), s.end + 30).replace(/\s+/g, ' ') });
    }
  }
  return score;
}

export const recall = (t: Tally) => (t.planted === 0 ? 1 : t.caught / t.planted);
