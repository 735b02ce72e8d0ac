/**
 * Small helpers the detectors share: what stands just before or after a place in a text, on its
 * line, and word lists for the context rules. Every look is bounded (a fixed number of characters),
 * so a detector stays linear in the text.
 */

/** Up to `n` characters before `at`, not crossing `lines` newlines (0: this line only). */
export function before(text: string, at: number, n: number, lines = 0): string {
  let from = Math.max(0, at - n);
  let seen = 0;
  for (let i = at - 1; i >= from; i--) {
    if (text.charCodeAt(i) === 10 && seen++ === lines) {
      from = i + 1;
      break;
    }
  }
  return text.slice(from, at);
}

const blank = (c: number) => c === 32 || c === 9;
/** Where the spaces and tabs just before `at` start (`at` when none stand there). */
export function spacesBack(text: string, at: number): number {
  while (at > 0 && blank(text.charCodeAt(at - 1))) at--;
  return at;
}
/** Where the spaces and tabs from `at` on end. */
export function spacesOn(text: string, at: number): number {
  while (blank(text.charCodeAt(at))) at++;
  return at;
}

/** Up to `n` characters from `at` on, not crossing `lines` newlines (0: this line only). */
export function after(text: string, at: number, n: number, lines = 0): string {
  let to = Math.min(text.length, at + n);
  let seen = 0;
  for (let i = at; i < to; i++) {
    if (text.charCodeAt(i) === 10 && seen++ === lines) {
      to = i;
      break;
    }
  }
  return text.slice(at, to);
}

/** Words that name an organisation: a contact next to one is the organisation's, not a person's. */
export const ORGANISATION =
  /\b(?:institutes?|cent(?:er|re)s?|foundations?|associations?|society|societies|administration|department|agency|office|council|clearinghouse|inc|llc|ltd|corporation|company|university|hospitals?|clinics?|library|services|program(?:me)?|network|alliance|coalition|federation|organi[sz]ation|commission|board|committee|laboratory|academy|college|school|trust|registry|project|initiative|consortium|helpline|hotline|information|nih|cdc|fda|nhs|niddk|nhlbi|ninds|nci|nia|nei|nlm|hhs|cms|who|national|american|british|international)\b/i;

/** Labels after which a date belongs to a person (birth, care, death). */
export const DATE_CUES =
  /\b(?:dob|d\.o\.b|birth|born|admitted|admission|admit|discharged?|seen|visit(?:ed)?|appointment|appt|surgery|operat(?:ion|ed)|died|death|deceased|dod|collected|dictated|transcribed|signed|attended|referred|referral)\b/i;
