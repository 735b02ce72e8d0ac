/** Reading a source's data files, with problems named by file and line. */
import { parseObo, OboSyntaxError, type OboFile } from './obo.js';
import { MetBuildError, type InputFile } from './sources.js';
import { parseTsv, type TsvTable } from './tsv.js';

export function readObo(file: InputFile): OboFile {
  try {
    return parseObo(file.text);
  } catch (err) {
    if (err instanceof OboSyntaxError) throw new MetBuildError(`${file.path}: line ${err.line}: ${err.message}`);
    throw err;
  }
}

export interface Columns {
  [name: string]: number | undefined;
}

/**
 * A TSV and the positions of the named columns (case-insensitive; each name may have
 * alternatives, "label|name"). `required` columns must be present.
 */
export function readTsv(file: InputFile, wanted: { required: string[]; optional: string[] }): { table: TsvTable; col: Columns } {
  const table = parseTsv(file.text);
  if (table.header.length === 0) throw new MetBuildError(`${file.path}: line 1: empty file; expected a header line`);
  const header = table.header.map((h) => h.toLowerCase());
  const col: Columns = {};
  for (const spec of [...wanted.required, ...wanted.optional]) {
    const names = spec.split('|');
    const at = header.findIndex((h) => names.includes(h));
    col[names[0]!] = at >= 0 ? at : undefined;
    if (at < 0 && wanted.required.includes(spec)) {
      throw new MetBuildError(`${file.path}: line 1: no "${names[0]}" column (the header has ${table.header.join(', ')})`);
    }
  }
  return { table, col };
}

/** A cell, trimmed; '' when the row is short. */
export const cell = (fields: readonly string[], at: number | undefined): string => (at === undefined ? '' : (fields[at] ?? '').trim());

/** A pipe-separated cell as a list. */
export const list = (fields: readonly string[], at: number | undefined): string[] =>
  cell(fields, at)
    .split('|')
    .map((s) => s.trim())
    .filter((s) => s !== '');
