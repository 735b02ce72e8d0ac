import { RE2JS } from 're2js';
import { isDynamicPattern } from 'tinyglobby';
import { InputError } from './errors.js';

/**
 * An input glob, matched in linear time. picomatch (under tinyglobby) turns a glob into a
 * backtracking regular expression: `/data/*a*a*a/*a*a*b/x.parquet` against two 255-character
 * folder names did not finish in two minutes, so a user's glob could hang a run before it
 * starts. Here the glob is translated to RE2 syntax and matched with re2js, and the directory
 * walk uses a simplified pattern (one `*` per wildcard segment, which cannot backtrack) whose
 * results the exact matcher then filters.
 *
 * Supported: `*` and `?` (not across `/`), `**` as a whole segment (any depth), `[...]` and
 * `[!...]` classes, `{a,b}` alternatives (nestable), `\` escapes. Extglobs (`+(a|b)`) are not:
 * their characters are literal.
 */
export interface Glob {
  /** Whether an absolute path with "/" separators matches the whole glob. */
  matches(path: string): boolean;
  /** A pattern for the directory walk that lists a superset of the matches. */
  walk: string;
}

export function compileGlob(pattern: string): Glob {
  let source: string;
  try {
    source = translate(pattern);
  } catch (err) {
    throw new InputError(pattern, `not a valid glob: ${(err as Error).message}`);
  }
  const re = RE2JS.compile(`^${source}$`);
  return { matches: (path) => re.matches(path), walk: walkPattern(pattern) };
}

const META = /[\\^$.|?*+()[\]{}]/;
const literal = (c: string): string => (META.test(c) ? `\\${c}` : c);

function translate(glob: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    const atSegmentStart = i === 0 || glob[i - 1] === '/';
    if (c === '\\') {
      out += literal(glob[++i] ?? '\\');
    } else if (c === '*' && glob[i + 1] === '*' && atSegmentStart && (glob[i + 2] === '/' || i + 2 === glob.length)) {
      // A whole-segment `**`: any number of folders (with its slash), or anything at the end.
      if (glob[i + 2] === '/') {
        out += '(?:[^/]*/)*';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') {
      while (glob[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^/' : ''}${body.replace(/\\/g, '\\\\').replace(/\[/g, '\\[')}]`;
      i = end;
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === ',' && braces > 0) {
      out += '|';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else {
      out += literal(c);
    }
  }
  if (braces > 0) throw new Error('a "{" is not closed');
  return out;
}

/** Every wildcard segment becomes `*` (`.*` if it starts with a dot); `**` stays. */
function walkPattern(glob: string): string {
  if (/\{[^}]*\/[^}]*\}/.test(glob)) {
    // Alternatives spanning folders: walk everything below the fixed part.
    const parts = glob.split('/');
    const fixed = parts.findIndex((p) => isDynamicPattern(p));
    return [...parts.slice(0, fixed), '**'].join('/');
  }
  return glob
    .split('/')
    .map((segment) => (segment === '**' || !isDynamicPattern(segment) ? segment : segment.startsWith('.') ? '.*' : '*'))
    .join('/');
}
