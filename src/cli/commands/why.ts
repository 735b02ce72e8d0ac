import { resolve } from 'node:path';
import { why, formatWhy } from '../../audit/why.js';
import { openEngine } from '../../io/duckdb.js';

export async function whyCommand(query: string, flags: { run: string; json?: boolean }): Promise<number> {
  const con = await openEngine();
  const answer = await why(con, resolve(flags.run), query);
  con.closeSync();
  process.stdout.write(flags.json ? `${JSON.stringify(answer, null, 2)}\n` : `${formatWhy(answer)}\n`);
  return answer.fates.length > 0 ? 0 : 1;
}
