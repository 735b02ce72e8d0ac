import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findByText, formatWhy, whyMany } from '../../audit/why.js';
import { openEngine } from '../../io/duckdb.js';
import { RunError } from '../../execution/tasks.js';

/**
 * `winnow why`: one id or key; a file of them (`--ids`, JSON lines, one pass over the run); or the
 * documents whose text holds a snippet (`--text`). Exits 1 when any id is not found.
 */
export async function whyCommand(id: string | undefined, flags: { run: string; ids?: string; text?: string; limit: number; json?: boolean }): Promise<number> {
  const given = [id !== undefined, flags.ids !== undefined, flags.text !== undefined].filter(Boolean).length;
  if (given !== 1) throw new RunError('give one of: an id (or key), --ids FILE, or --text SNIPPET');
  const run = resolve(flags.run);
  const con = await openEngine();
  try {
    if (flags.ids !== undefined) {
      const ids = readIds(flags.ids);
      const answers = await whyMany(con, run, ids);
      for (const a of answers) process.stdout.write(`${JSON.stringify(a)}\n`);
      return answers.every((a) => a.fates.length > 0) ? 0 : 1;
    }
    if (flags.text !== undefined) {
      const { keys, total } = await findByText(con, run, flags.text, flags.limit);
      const answers = await whyMany(con, run, keys);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ text: flags.text, total, shown: keys.length, answers }, null, 2)}\n`);
      } else {
        const head = `${total.toLocaleString('en-US')} document${total === 1 ? '' : 's'} contain ${JSON.stringify(flags.text)}${total > keys.length ? ` (the first ${keys.length} shown; --limit for more)` : ''}`;
        process.stdout.write(`${[head, ...answers.map(formatWhy)].join('\n')}\n`);
      }
      return total > 0 ? 0 : 1;
    }
    const [answer] = await whyMany(con, run, [id!]);
    process.stdout.write(flags.json ? `${JSON.stringify(answer, null, 2)}\n` : `${formatWhy(answer!)}\n`);
    return answer!.fates.length > 0 ? 0 : 1;
  } finally {
    con.closeSync();
  }
}

/** Ids, one per line (blank lines and a Windows line end ignored), each once, in file order. */
function readIds(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RunError(`--ids ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const ids = [...new Set(text.split('\n').map((l) => l.replace(/\r$/, '').trim()).filter((l) => l !== ''))];
  if (ids.length === 0) throw new RunError(`--ids ${file}: no ids in it (one id or key per line)`);
  return ids;
}
