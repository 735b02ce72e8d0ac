import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/config/ruleset.js';
import { reasonsExpression } from '../../src/decisions/reasons-sql.js';
import { rows } from '../helpers.js';

type Reason = { rule: string; signal: string; op: string; value: string; threshold: string | null };

async function judge(rules: Rule[], values: string, extra = ''): Promise<Reason[][]> {
  const expr = reasonsExpression({ rules, badInput: 'bad', exactKeeper: 'keeper', contentHash: 'h' });
  const result = await rows<{ reasons: Reason[] }>(
    `SELECT ${expr} AS reasons FROM (VALUES ${values}) t(i, word_count, lang, bad, keeper, h) ${extra} ORDER BY i`,
  );
  return result.map((r) => r.reasons);
}

const minWords: Rule = { name: 'min_words', signal: 'word_count', op: '>=', threshold: 50 };
const maxWords: Rule = { name: 'max_words', signal: 'word_count', op: '<=', threshold: 100 };
const english: Rule = { name: 'english', signal: 'lang', op: 'in', threshold: ['en', 'fr'] };

describe('reasonsExpression', () => {
  it('keeps exactly the boundary values the comparison allows', async () => {
    const r = await judge(
      [minWords, maxWords],
      `(1, 49, 'en', NULL, NULL, NULL::UBIGINT), (2, 50, 'en', NULL, NULL, NULL), (3, 100, 'en', NULL, NULL, NULL), (4, 101, 'en', NULL, NULL, NULL)`,
    );
    expect(r.map((x) => x.map((y) => y.rule))).toEqual([['min_words'], [], [], ['max_words']]);
    expect(r[0]![0]).toEqual({ rule: 'min_words', signal: 'word_count', op: '>=', value: '49', threshold: '50' });
  });

  it('treats a missing (NULL) signal as failing, with value "null"', async () => {
    const r = await judge([minWords], `(1, NULL::INTEGER, 'en', NULL, NULL, NULL::UBIGINT)`);
    expect(r[0]).toEqual([{ rule: 'min_words', signal: 'word_count', op: '>=', value: 'null', threshold: '50' }]);
  });

  it('compares lists with in / not_in', async () => {
    const r = await judge([english], `(1, 60, 'en', NULL, NULL, NULL::UBIGINT), (2, 60, 'de', NULL, NULL, NULL)`);
    expect(r[0]).toEqual([]);
    expect(r[1]).toEqual([{ rule: 'english', signal: 'lang', op: 'in', value: 'de', threshold: '[en, fr]' }]);
    const notIn = await judge([{ ...english, op: 'not_in' }], `(1, 60, 'en', NULL, NULL, NULL::UBIGINT)`);
    expect(notIn[0]![0]!.rule).toBe('english');
  });

  it('orders reasons: bad input, rules as declared, then duplication; bad input silences the rules', async () => {
    const r = await judge(
      [maxWords, minWords],
      `(1, 10, 'en', NULL, 'shard#3', 255::UBIGINT), (2, NULL, NULL, 'text is null', NULL, NULL)`,
    );
    expect(r[0]!.map((x) => x.rule)).toEqual(['min_words', 'exact_duplicate']);
    expect(r[0]![1]).toMatchObject({ value: '00000000000000ff', threshold: 'content_hash of shard#3' });
    expect(r[1]).toEqual([{ rule: 'bad_input', signal: 'text', op: 'valid', value: 'text is null', threshold: null }]);
  });
});
