/**
 * Bad input data: a shard that cannot be read, a missing column, a row that cannot be processed.
 * The message always names the file, and the row and document id when there is one.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly where: { row?: number; id?: string } = {},
  ) {
    const at = [where.row !== undefined ? `row ${where.row}` : '', where.id !== undefined ? `id ${JSON.stringify(where.id)}` : '']
      .filter(Boolean)
      .join(', ');
    super(`${file}${at ? ` (${at})` : ''}: ${problem}`);
    this.name = 'InputError';
  }

  toJSON() {
    return { file: this.file, problem: this.problem, ...this.where, message: this.message };
  }
}
