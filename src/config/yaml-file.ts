import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './errors.js';
import type { KeyLines } from './key-lines.js';

/** How much of a user's own text a message may quote: enough to recognise, never a whole file. */
const EXCERPT = 32;
/** Problems listed per file: a file that is not what it should be gives hundreds, and two say it. */
const MAX_PROBLEMS = 12;

export const excerpt = (value: unknown, max = EXCERPT): string => {
  const s = typeof value === 'string' ? value : String(JSON.stringify(value));
  const flat = s.replace(/[\r\n\t]+/g, ' ');
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
};

/**
 * Reads a YAML file and validates it against a schema. Every problem is reported with the
 * file, the line and the dotted key, so `winnow validate` can print them directly. Messages quote
 * at most a short excerpt of what was found: a pipeline pointing at the wrong file (a key, a
 * password file) must not print it.
 */
export function loadYamlFile<S extends z.ZodType>(file: string, schema: S, what = 'configuration'): z.infer<S> {
  return loadYamlFileWithLines(file, schema, what).data;
}

export function loadYamlFileWithLines<S extends z.ZodType>(file: string, schema: S, what = 'configuration'): { data: z.infer<S>; lines: KeyLines } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [`cannot read the file${code ? ` (${code})` : ''}`]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(file, [
      ...doc.errors.slice(0, 3).map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: ${shortYamlMessage(e.message)}`),
      ...(doc.errors.length > 3 ? [`and ${doc.errors.length - 3} more YAML errors; is this a ${what} file?`] : []),
    ]);
  }
  const value: unknown = doc.toJS() ?? {};
  const expected = expectedKeys(schema);
  if (expected && (typeof value !== 'object' || Array.isArray(value) || (Object.keys(value as object).length > 0 && !Object.keys(value as object).some((k) => expected.includes(k))))) {
    throw new ConfigError(file, [`does not look like a ${what} file: expected a YAML mapping with keys such as ${expected.slice(0, 4).join(', ')}`]);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const [inner, message] = describeIssue(issue);
      const path = [...issue.path, ...inner].map(String);
      const line = lineOf(doc, lineCounter, path);
      const key = path.length > 0 ? path.join('.') : '(top level)';
      return `${line ? `line ${line}: ` : ''}${key}: ${message}`;
    });
    throw new ConfigError(file, [
      ...problems.slice(0, MAX_PROBLEMS),
      ...(problems.length > MAX_PROBLEMS ? [`and ${problems.length - MAX_PROBLEMS} more problems`] : []),
    ]);
  }
  return { data: result.data, lines: keyLines(doc, lineCounter) };
}


/** The parser's own words, first line, without position or the quoted source it may append. */
const shortYamlMessage = (message: string): string => {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return first.length > 120 ? `${first.slice(0, 120)}…` : first;
};

type Issue = z.core.$ZodIssue;

/**
 * Zod's messages, with two repairs: unknown keys are named briefly (a stray file gives thousands
 * of them, each a line of that file), and a union that fails on its discriminating key ("op")
 * names the values every branch accepts instead of "Invalid input".
 */
function describeIssue(issue: Issue): [PropertyKey[], string] {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys;
    return [[], `unknown key${keys.length > 1 ? 's' : ''} ${keys.slice(0, 2).map((k) => excerpt(k)).join(', ')}${keys.length > 2 ? ` and ${keys.length - 2} more` : ''}`];
  }
  if (issue.code === 'invalid_union') {
    const branches = issue.errors;
    const allowed = new Map<string, Set<string>>();
    for (const branch of branches) {
      for (const inner of branch) {
        if (inner.code !== 'invalid_value') continue;
        const key = inner.path.map(String).join('.');
        const set = allowed.get(key) ?? new Set<string>();
        for (const v of inner.values) set.add(String(v));
        allowed.set(key, set);
      }
    }
    for (const [key, values] of allowed) {
      const at = branches.map((b) => b.find((i) => i.code === 'invalid_value' && i.path.map(String).join('.') === key));
      if (at.every((i) => i !== undefined)) return [at[0]!.path, `expected one of ${[...values].join(', ')}`];
    }
    // Otherwise the branch that came closest (fewest problems) says what is wrong.
    const best = [...branches].sort((a, b) => a.length - b.length)[0];
    if (best && best.length > 0) {
      const [first, ...rest] = best.map((i) => describeIssue(i).concat([i.path]) as [PropertyKey[], string, PropertyKey[]]);
      return [[...first![2], ...first![0]], [first![1], ...rest.map(([p, m, q]) => `${[...q, ...p].join('.')}: ${m}`)].join('; ')];
    }
  }
  return [[], issue.message.length > 200 ? `${issue.message.slice(0, 200)}…` : issue.message];
}

function expectedKeys(schema: z.ZodType): string[] | undefined {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : undefined;
}

/** The line of the deepest existing node on a key path (the parent, for a missing key). */
function lineOf(doc: Document, lines: LineCounter, path: string[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const keyPath = path.slice(0, n).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const node = n === 0 ? doc.contents : doc.getIn(keyPath, true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

function keyLines(doc: Document, lines: LineCounter): KeyLines {
  const out: KeyLines = {};
  const walk = (node: unknown, prefix: string, depth: number): void => {
    if (depth > 8) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (k === undefined) continue;
        const key = prefix ? `${prefix}.${k}` : k;
        const at = (pair.key as Node).range ?? (isNode(pair.value) ? pair.value.range : undefined);
        if (at) out[key] = lines.linePos(at[0]).line;
        walk(pair.value, key, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const key = prefix ? `${prefix}.${i}` : String(i);
        if (isNode(item) && item.range) out[key] = lines.linePos(item.range[0]).line;
        walk(item, key, depth + 1);
      });
    }
  };
  walk(doc.contents, '', 0);
  return out;
}
