/**
 * The names a node is matched by, and the policy that leaves some out (docs/met.md, "The tree:
 * sources and build"): cleaning of qualifiers, the ambiguous-word list, the length and number
 * rules, and the keys under which names are compared.
 */

/** Written in capitals (no lower-case letter, at least one capital): an acronym the matcher matches case-sensitively. */
export const isCapitals = (s: string): boolean => !/\p{Ll}/u.test(s) && /\p{Lu}/u.test(s);

const HYPHENS = /[\u002D\u2010-\u2015\u2212_]/g;
const APOSTROPHES = /['\u2018\u2019\u02BC]/g;

/**
 * The key under which two names are the same name for matching: NFKC, hyphens as spaces,
 * apostrophes dropped, spaces collapsed, lower-cased unless written in capitals (the matcher
 * matches those only in capitals, so "ALL" and "all" are different names).
 */
export function nameKey(s: string): string {
  let k = keyCache.get(s);
  if (k === undefined) {
    k = computeNameKey(s);
    keyCache.set(s, k);
  }
  return k;
}

/** Memos of the keys: a build computes each for the same ~150,000 names several times. */
const keyCache = new Map<string, string>();
const attachCache = new Map<string, string>();

/** Empties the memos (a build calls it when done, so a long-lived process does not keep them). */
export function clearNameCaches(): void {
  keyCache.clear();
  attachCache.clear();
}

function computeNameKey(s: string): string {
  const t = s.normalize('NFKC').replace(HYPHENS, ' ').replace(APOSTROPHES, '').replace(/\s+/g, ' ').trim();
  return isCapitals(t) ? t : t.toLowerCase();
}

/**
 * The looser key that attaches MONDO's entries to DOID's nodes and symptom phrases to existing
 * nodes: lower case, qualifiers removed, the word "the" dropped, then only letters and digits
 * ("Choriocarcinoma of the testis" = "choriocarcinoma of testis"; "brain stem" = "brainstem").
 */
export function attachKey(s: string): string {
  let k = attachCache.get(s);
  if (k === undefined) {
    k = cleanName(s)
      .text.normalize('NFKC')
      .toLowerCase()
      .replace(/\bthe\b/g, ' ')
      .replace(/[^\p{L}\p{N}]+/gu, '');
    attachCache.set(s, k);
  }
  return k;
}

/** Trailing ", NOS" / "NOS" / ", NEC/NOS": "not otherwise specified", a coding qualifier, never in prose. */
const NOS = /(?:,\s*|\s+)(?:NOS|NEC|NEC\/NOS|NOS\/NEC)$/;
/** A bracketed part after a space: "Bell's (facial) palsy", "[12th]". Notation such as "t(8;21)" or "del(5q)" has no space before its bracket and stays. */
const QUALIFIER = /\s+(?:\([^()]*\)|\[[^[\]]*\])/g;
/** SNOMED CT's semantic tags and the like: "anemia (disorder)", "hypochromic microcytic anemia (disease)". */
const SEMANTIC_TAG = /\s+\((?:disorder|disease|finding|morphologic abnormality|qualifier value|body structure|situation|procedure|observable entity|navigational concept|clinical|category|syndrome|entity)\)/gi;

export interface CleanedName {
  /** The name to use; '' when it is dropped. */
  text: string;
  /** Something was removed. */
  changed: boolean;
  /** Why the name is dropped, when it is. */
  dropped?: string;
}

/**
 * A name without coding qualifiers. Semantic tags ("(disorder)") and "NOS" are removed; another
 * bracketed part is removed when what remains is still a name of two words or more ("Bell's
 * (facial) palsy" is "Bell's palsy") or an acronym; otherwise the name is dropped: "blood
 * (leukemia)", a MONDO synonym of leukemia, is not "blood".
 */
export function cleanName(s: string): CleanedName {
  const before = s.replace(/\s+/g, ' ').trim();
  let t = before.replace(SEMANTIC_TAG, '').replace(NOS, '').replace(/[\s,;:]+$/, '').trim();
  const tagged = t;
  for (let i = 0; i < 3; i++) t = t.replace(QUALIFIER, '');
  t = t.replace(/[\s,;:]+$/, '').trim();
  if (t !== tagged && t.split(' ').length < 2 && !isCapitals(t)) {
    return { text: '', changed: true, dropped: `qualified: without its brackets it would read ${JSON.stringify(t)}` };
  }
  return { text: t, changed: t !== before };
}

/** Words that do not decide whether a RELATED synonym rewords a name. */
const FILLER = new Set(['of', 'the', 'a', 'an', 'in', 'with', 'and', 'or', 'to', 'by', 'type']);
const words = (s: string): string[] =>
  s
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '' && !FILLER.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w));

/**
 * Whether a RELATED synonym only rewords one of the node's names: the same content words in any
 * order ("adenocarcinoma of breast" for "breast adenocarcinoma"), or, written in capitals, the
 * initials of one ("PML" for "progressive multifocal leukoencephalopathy").
 */
export function rewords(synonym: string, names: readonly string[]): boolean {
  const target = words(synonym).sort().join(' ');
  if (target === '') return false;
  for (const name of names) {
    if (words(name).sort().join(' ') === target) return true;
    if (/^[A-Z]{3,}$/.test(synonym) && initialsOf(name) === synonym) return true;
  }
  return false;
}

/** The capital initials of a name's words, filler words left out: "lupus erythematosus tumidus" is "LET". */
export function initialsOf(name: string): string {
  return name
    .split(/[\s-]+/)
    .filter((w) => /^\p{L}/u.test(w) && !FILLER.has(w.toLowerCase()))
    .map((w) => w[0]!.toUpperCase())
    .join('');
}

/**
 * MONDO writes many acronyms in lower case ("men" for multiple endocrine neoplasia, "let" for
 * lupus erythematosus tumidus): a lower-case word of up to six letters that spells the initials
 * of one of the entry's names is that acronym, and is restored to capitals.
 */
export function restoreAcronym(synonym: string, names: readonly string[]): string {
  if (!/^[a-z]{3,6}$/.test(synonym)) return synonym;
  const caps = synonym.toUpperCase();
  return names.some((n) => n !== synonym && initialsOf(n) === caps) ? caps : synonym;
}

/** One entry of the ambiguous list: a name and the reason it is not matched. */
export interface AmbiguousEntry {
  /** As written: in capitals it rules out the capital form (an acronym), otherwise every other form. */
  name: string;
  reason: string;
  line: number;
}

/**
 * Parses the ambiguous list: one name a line; `# text` after a name is its reason, a `## text`
 * line gives the reason of the names below it that have none of their own.
 */
export function parseAmbiguous(text: string): AmbiguousEntry[] {
  const out: AmbiguousEntry[] = [];
  let group = '';
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const heading = /^\s*##\s*(.*)$/.exec(line);
    if (heading) {
      group = heading[1]!.trim();
      return;
    }
    const hash = line.indexOf('#');
    const name = (hash >= 0 ? line.slice(0, hash) : line).trim();
    const own = hash >= 0 ? line.slice(hash + 1).trim() : '';
    if (name === '') return;
    out.push({ name, reason: own || group || 'ambiguous', line: i + 1 });
  });
  return out;
}

/**
 * Looks names up in the ambiguous list, by their key. The matcher matches a name written in
 * capitals only in capitals, and any other name in any case; so an entry in capitals ("COLD")
 * rules out the acronym, and an entry in lower case ("cold") every name but the acronym.
 */
export class AmbiguousList {
  private readonly byKey = new Map<string, AmbiguousEntry>();

  constructor(readonly entries: readonly AmbiguousEntry[]) {
    for (const e of entries) this.byKey.set(nameKey(e.name), e);
  }

  /** The entry that rules a name out, if any. */
  find(name: string): AmbiguousEntry | undefined {
    return this.byKey.get(nameKey(name));
  }
}

/** Why a name is left out on its own (before comparing it with other nodes' names), or undefined to keep it. */
export function intrinsicExclusion(name: string, ambiguous: AmbiguousList): string | undefined {
  const bare = name.replace(/\s+/g, '');
  if (!/\p{L}/u.test(name)) return 'number: no letters';
  if ([...bare].length <= 2) return `too short: ${[...bare].length} characters`;
  const entry = ambiguous.find(name);
  if (entry) return `ambiguous word: ${entry.reason}`;
  return undefined;
}
