import type { WordHits } from './triggers.js';

/** A stretch of a text to redact: `[start, end)` in UTF-16 code units, and its placeholder type. */
export interface PhiSpan {
  type: string;
  start: number;
  end: number;
  /**
   * How sure the finding is to be about a person (absent: sure, and it marks the document as one
   * about a person):
   *  - `weak`: redacted only in a document some sure finding marks as personal (a full date, a name
   *    after "Dr", a known first name before a capitalised word);
   *  - `org`: a contact next to an organisation's name (an office's phone or address): redacted in a
   *    personal document, or when the policy redacts public contacts;
   *  - `public`: a public contact (toll-free number, role mailbox): redacted only when the policy
   *    redacts public contacts.
   */
  kind?: 'weak' | 'org' | 'public';
  /** Which rule found it (names: the context), for audit and tests. */
  rule?: string;
}

/** What detectors share about one document as they run in order. */
export interface DocState {
  /** Words found inside names: each is redacted wherever else it stands in the document. */
  nameWords: Set<string>;
  /** Where the rules of `TRIGGERS` (triggers.ts) can match in this text: scanned once, on first use. */
  words?: WordHits;
}

/**
 * The spans to redact: sure findings always; weak ones and organisations' contacts when some sure
 * finding makes the document personal; public contacts and organisations' contacts whatever the
 * document when the policy redacts public contacts.
 */
export function settle(spans: readonly PhiSpan[], keepPublic: boolean): PhiSpan[] {
  const personal = spans.some((s) => s.kind === undefined);
  // A public contact kept claims its text: a weak finding inside it (a hotline's digits as an ID) goes too.
  const kept = keepPublic ? spans.filter((s) => s.kind === 'public') : [];
  const inKept = (s: PhiSpan) => kept.some((k) => s.start < k.end && k.start < s.end);
  return spans.filter(
    (s) => s.kind === undefined || (s.kind === 'weak' && personal && !inKept(s)) || (s.kind === 'org' && (personal || !keepPublic)) || (s.kind === 'public' && !keepPublic),
  );
}

/** A detector of one or more identifier types: appends its spans, in any order, to `out`. */
export interface Detector {
  name: string;
  types: readonly string[];
  find(text: string, out: PhiSpan[], doc: DocState): void;
  /**
   * Weak findings that cost a pass of their own (towns in prose, unlabelled long numbers, first-name
   * pairs): run only on a document some sure finding has already marked as personal, since weak
   * findings count nowhere else. Public text, most of a corpus, is spared the work.
   */
  findWeak?(text: string, out: PhiSpan[], doc: DocState): void;
}

/**
 * Spans that overlap become one redaction: a part of an identifier another detector saw
 * differently must not be left readable. The merged span takes the type of its earliest-listed
 * member (`rank`: lower first), so "Dr <NAME>" stays a name though a date detector saw a part of it.
 */
export function mergeSpans(spans: PhiSpan[], rank: (type: string) => number): PhiSpan[] {
  if (spans.length <= 1) return spans;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PhiSpan[] = [];
  let current = { ...spans[0]! };
  for (let i = 1; i < spans.length; i++) {
    const s = spans[i]!;
    if (s.start < current.end) {
      if (s.end > current.end) current.end = s.end;
      if (rank(s.type) < rank(current.type)) current.type = s.type;
    } else {
      out.push(current);
      current = { ...s };
    }
  }
  out.push(current);
  return out;
}

/** The text with each span (in order, not overlapping) replaced by its placeholder `<TYPE>`. */
export function replaceSpans(text: string, spans: readonly PhiSpan[]): string {
  if (spans.length === 0) return text;
  const parts: string[] = [];
  let done = 0;
  for (const s of spans) {
    parts.push(text.slice(done, s.start), `<${s.type}>`);
    done = s.end;
  }
  parts.push(text.slice(done));
  return parts.join('');
}
