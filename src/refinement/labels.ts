import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { WinnowError } from '../config/errors.js';

/** A reviewer's verdict on one document: should it be in the corpus? */
export type Verdict = 'keep' | 'drop';

export interface Label {
  id: string;
  label: Verdict;
  note?: string;
  /** The line of the label file it came from (the first line of a CSV record), for messages. */
  line: number;
}

export interface LabelFile {
  /** As given. */
  file: string;
  format: 'csv' | 'jsonl';
  /** sha256 of the file's bytes: what a manifest records of the labels an iteration learned from. */
  sha256: string;
  /** One per id, in file order. */
  labels: Label[];
  /** Records with an empty label: a review set handed back half done (`winnow sample` writes the column empty). */
  unlabelled: number;
  /** Ids given twice with the same label: counted once. */
  repeated: number;
}

/** A label file that cannot be read; the message names the file, the line and the bad value. */
export class LabelFileError extends WinnowError {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly line?: number,
  ) {
    super(`${file}${line !== undefined ? `, line ${line}` : ''}: ${problem}`);
    this.name = 'LabelFileError';
  }
}

const VERDICTS: Record<string, Verdict> = { keep: 'keep', drop: 'drop' };

/**
 * Reads review labels: CSV with a header naming `id` and `label` (and optionally `note`; other
 * columns, such as those `winnow sample` writes, are ignored), or JSON lines of
 * `{"id", "label", "note"?}`, chosen by the extension (`.csv`; `.jsonl`, `.ndjson`, `.json`).
 * Labels are `keep` or `drop`, in any case, trimmed; an empty label leaves the record unlabelled.
 * The same id with two different labels is an error: which one the reviewers meant cannot be guessed.
 */
export function readLabels(file: string): LabelFile {
  if (!existsSync(file)) throw new LabelFileError(file, 'no such file');
  if (statSync(file).isDirectory()) throw new LabelFileError(file, 'a folder, not a label file');
  const format = /\.csv$/i.test(file) ? 'csv' : /\.(jsonl|ndjson|json)$/i.test(file) ? 'jsonl' : undefined;
  if (!format) throw new LabelFileError(file, 'unknown format: expected .csv (id,label[,note] with a header) or JSON lines (.jsonl, .ndjson, .json)');
  const bytes = readFileSync(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LabelFileError(file, 'not UTF-8 text');
  }
  // Spreadsheets save CSV with a byte-order mark; it is not part of the first column's name.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const records = format === 'csv' ? csvRecords(file, text) : jsonRecords(file, text);
  return { file, format, sha256: createHash('sha256').update(bytes).digest('hex'), ...collect(file, records) };
}

interface RawRecord {
  line: number;
  id: string;
  label: string;
  note?: string;
}

function collect(file: string, records: readonly RawRecord[]): Pick<LabelFile, 'labels' | 'unlabelled' | 'repeated'> {
  const byId = new Map<string, Label>();
  let unlabelled = 0;
  let repeated = 0;
  for (const r of records) {
    if (r.id.trim() === '') throw new LabelFileError(file, 'empty id', r.line);
    const word = r.label.trim().toLowerCase();
    if (word === '') {
      unlabelled++;
      continue;
    }
    const label = VERDICTS[word];
    if (!label) throw new LabelFileError(file, `label ${JSON.stringify(r.label)} of id ${JSON.stringify(r.id)}: expected keep or drop`, r.line);
    const seen = byId.get(r.id);
    if (seen) {
      if (seen.label !== label) {
        throw new LabelFileError(file, `id ${JSON.stringify(r.id)} is labelled ${label} here and ${seen.label} on line ${seen.line}: keep one`, r.line);
      }
      repeated++;
      continue;
    }
    const note = r.note?.trim();
    byId.set(r.id, { id: r.id, label, ...(note ? { note } : {}), line: r.line });
  }
  return { labels: [...byId.values()], unlabelled, repeated };
}

function jsonRecords(file: string, text: string): RawRecord[] {
  const out: RawRecord[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new LabelFileError(file, `not JSON (${(err as Error).message})`, line);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LabelFileError(file, 'expected an object {"id", "label", "note"?}', line);
    const o = value as Record<string, unknown>;
    // Numeric ids are common in exports; they name the same document as their decimal text.
    const id = typeof o.id === 'number' ? String(o.id) : o.id;
    if (typeof id !== 'string') throw new LabelFileError(file, `"id": expected a string, got ${JSON.stringify(o.id) ?? 'nothing'}`, line);
    if (o.label !== undefined && o.label !== null && typeof o.label !== 'string') throw new LabelFileError(file, `"label" of id ${JSON.stringify(id)}: expected "keep" or "drop", got ${JSON.stringify(o.label)}`, line);
    if (o.note !== undefined && o.note !== null && typeof o.note !== 'string') throw new LabelFileError(file, `"note" of id ${JSON.stringify(id)}: expected a string`, line);
    out.push({ line, id, label: (o.label as string | null | undefined) ?? '', ...(typeof o.note === 'string' ? { note: o.note } : {}) });
  });
  return out;
}

function csvRecords(file: string, text: string): RawRecord[] {
  const rows = parseCsv(file, text).filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  const header = rows[0];
  if (!header) throw new LabelFileError(file, 'empty: expected a header id,label[,note] and one row per document');
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const at = (name: string) => names.indexOf(name);
  for (const needed of ['id', 'label']) {
    if (at(needed) < 0) throw new LabelFileError(file, `the header has no column "${needed}" (it has ${header.fields.map((f) => JSON.stringify(f)).join(', ')}); expected id,label[,note]`, header.line);
  }
  const [id, label, note] = [at('id'), at('label'), at('note')];
  return rows.slice(1).map((r) => {
    if (r.fields.length !== names.length) {
      throw new LabelFileError(file, `${r.fields.length} fields where the header has ${names.length}${r.fields.length > names.length ? ' (quote a field that holds a comma)' : ''}`, r.line);
    }
    return { line: r.line, id: r.fields[id]!, label: r.fields[label]!, ...(note >= 0 ? { note: r.fields[note]! } : {}) };
  });
}

/**
 * RFC 4180 records: fields quoted with double quotes may hold commas, line breaks and doubled
 * quotes; records end in CRLF or LF. Each record keeps the line it starts on.
 */
export function parseCsv(file: string, text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const opened = line;
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) throw new LabelFileError(file, 'a quoted field is never closed', opened);
          const chunk = text.slice(i, q);
          line += countNewlines(chunk);
          field += chunk;
          if (text[q + 1] === '"') {
            field += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        if (i < text.length && !/[,\r\n]/.test(text[i]!)) throw new LabelFileError(file, 'text after a closing quote: a quote inside a quoted field is written twice ("")', line);
      } else {
        let end = i;
        while (end < text.length && !/[,\r\n]/.test(text[end]!)) end++;
        field = text.slice(i, end);
        if (field.includes('"')) throw new LabelFileError(file, `a quote inside an unquoted field (${JSON.stringify(field)}): quote the whole field and write the quote twice`, line);
        i = end;
      }
      fields.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    records.push({ line: start, fields });
  }
  return records;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let at = s.indexOf('\n'); at >= 0; at = s.indexOf('\n', at + 1)) n++;
  return n;
}
