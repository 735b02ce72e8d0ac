/**
 * Tab-separated tables as ontologies publish them: a header line, one record a line, fields
 * optionally in double quotes (`"DOID:4"`, with `""` for a quote inside), `\r\n` or `\n` endings.
 * Fields never span lines here: a quote is only unwrapped when it encloses the whole field.
 */
export interface TsvRow {
  /** 1-based line in the file. */
  line: number;
  fields: string[];
}

export interface TsvTable {
  /** Column names as written (unquoted, trimmed). */
  header: string[];
  rows: TsvRow[];
}

const unquote = (field: string): string => {
  const f = field.trim();
  return f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f;
};

export function parseTsv(text: string): TsvTable {
  const lines = text.split('\n');
  let header: string[] | undefined;
  const rows: TsvRow[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = line.split('\t').map(unquote);
    if (!header) header = fields;
    else rows.push({ line: i + 1, fields });
  }
  return { header: header ?? [], rows };
}
