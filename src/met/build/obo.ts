/**
 * A reader for OBO flat files (format 1.2/1.4), the form the Disease Ontology, MONDO, Uberon and
 * most OBO Foundry ontologies publish. It keeps what a tree needs from each `[Term]` stanza: id,
 * name, definition, synonyms with their scope and type, xrefs, `is_a` parents, the genus of an
 * `intersection_of` definition, subsets, and the obsolete flag. `[Typedef]` and `[Instance]`
 * stanzas are skipped. Quoted strings honour OBO's backslash escapes; trailing `{modifiers}` and
 * `! comments` are dropped.
 */

export type SynonymScope = 'EXACT' | 'RELATED' | 'NARROW' | 'BROAD';

export interface OboSynonym {
  text: string;
  scope: SynonymScope;
  /** The synonym type, when given: `OMO:0003012` (acronym) in DOID, `ABBREVIATION`, ... */
  type?: string;
}

export interface OboTerm {
  id: string;
  name?: string;
  def?: string;
  synonyms: OboSynonym[];
  xrefs: string[];
  isA: string[];
  /** The genus of a logical definition (`intersection_of: UBERON:0000062` without a relation). */
  genus: string[];
  subsets: string[];
  obsolete: boolean;
  /** 1-based line of the `[Term]` header, for messages. */
  line: number;
}

export interface OboFile {
  /** Header tags (`format-version`, `data-version`, `ontology`, ...), the first value of each. */
  header: Record<string, string>;
  terms: OboTerm[];
}

export class OboSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const SCOPES = new Set<string>(['EXACT', 'RELATED', 'NARROW', 'BROAD']);

/** Reads a quoted OBO string starting at `s[start] === '"'`; returns the text and the index after the closing quote. */
function quoted(s: string, start: number, line: number): [string, number] {
  let out = '';
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      const n = s[++i]!;
      out += n === 'n' ? ' ' : n === 't' ? ' ' : n === 'W' ? ' ' : n;
    } else if (c === '"') {
      return [out, i + 1];
    } else {
      out += c;
    }
  }
  throw new OboSyntaxError(line, 'a quoted string does not end');
}

/** A tag's value without its trailing `! comment` and `{modifiers}` (outside quotes). */
function bare(value: string): string {
  let inQuote = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && c === '!' && (i === 0 || value[i - 1] === ' ')) {
      value = value.slice(0, i);
      break;
    }
  }
  value = value.trimEnd();
  if (value.endsWith('}')) {
    const open = value.lastIndexOf(' {');
    if (open >= 0 && !value.slice(open).includes('"')) value = value.slice(0, open).trimEnd();
  }
  return value;
}

/** The first whitespace-separated word of a value (an id), unescaped. */
const firstWord = (value: string): string => value.split(/\s+/)[0]!.replace(/\\(.)/g, '$1');

export function parseObo(text: string): OboFile {
  const header: Record<string, string> = {};
  const terms: OboTerm[] = [];
  let term: OboTerm | undefined;
  /** Inside a stanza that is not a [Term]: its tags are skipped. */
  let skipping = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!.replace(/\r$/, '');
    const line = raw.trim();
    if (line === '' || line.startsWith('!')) continue;
    if (line.startsWith('[')) {
      if (term) terms.push(term);
      term = undefined;
      skipping = line !== '[Term]';
      if (!skipping) term = { id: '', synonyms: [], xrefs: [], isA: [], genus: [], subsets: [], obsolete: false, line: lineNo };
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new OboSyntaxError(lineNo, `expected "tag: value", found ${JSON.stringify(line.slice(0, 40))}`);
    const tag = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (skipping) continue;
    if (!term) {
      if (!(tag in header)) header[tag] = value;
      continue;
    }
    switch (tag) {
      case 'id':
        term.id = firstWord(bare(value));
        break;
      case 'name':
        term.name = bare(value).replace(/\\(.)/g, '$1');
        break;
      case 'def': {
        if (!value.startsWith('"')) throw new OboSyntaxError(lineNo, 'def: expected a quoted definition');
        term.def = quoted(value, 0, lineNo)[0];
        break;
      }
      case 'synonym': {
        if (!value.startsWith('"')) throw new OboSyntaxError(lineNo, 'synonym: expected a quoted synonym');
        const [text, end] = quoted(value, 0, lineNo);
        // After the text: SCOPE, then an optional type, then the [xref list].
        const rest = value.slice(end).trim().split(/\s+/);
        const scope = rest[0] ?? '';
        if (!SCOPES.has(scope)) throw new OboSyntaxError(lineNo, `synonym: scope ${JSON.stringify(scope)} is not one of EXACT, RELATED, NARROW, BROAD`);
        const type = rest[1] && !rest[1].startsWith('[') ? rest[1] : undefined;
        term.synonyms.push(type ? { text, scope: scope as SynonymScope, type } : { text, scope: scope as SynonymScope });
        break;
      }
      case 'xref':
        term.xrefs.push(firstWord(bare(value)));
        break;
      case 'is_a':
        term.isA.push(firstWord(bare(value)));
        break;
      case 'intersection_of': {
        const words = bare(value).split(/\s+/);
        if (words.length === 1) term.genus.push(words[0]!);
        break;
      }
      case 'subset':
        term.subsets.push(firstWord(bare(value)));
        break;
      case 'is_obsolete':
        term.obsolete = bare(value) === 'true';
        break;
      default:
        break;
    }
  }
  if (term) terms.push(term);
  for (const t of terms) if (t.id === '') throw new OboSyntaxError(t.line, '[Term] without an id');
  return { header, terms };
}
