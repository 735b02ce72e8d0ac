import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/config/ruleset.js';
import { badInputReason, reasonList, ruleReasons } from '../../src/decisions/reasons-sql.js';
import type { NearDedupConfig } from '../../src/config/pipeline.js';
import { exactDuplicateReason } from '../../src/phases/exact-dedup.js';
import { nearDuplicateReason, nearDuplicateSource, parseNearThreshold } from '../../src/phases/near-dedup.js';
import { rows } from '../helpers.js';

type Reason = { rule: string; signal: string; op: string; value: string; threshold: string | null };

async function judge(rules: Rule[], values: string, extra = ''): Promise<Reason[][]> {
  // Composed as decide composes its reason sources: bad input, the rules, exact duplication.
  const expr = reasonList([badInputReason('bad'), ...ruleReasons({ rules, badInput: 'bad' }), exactDuplicateReason('keeper', 'h')]);
  const result = await rows<{ reasons: Reason[] }>(
    `SELECT ${expr} AS reasons FROM (VALUES ${values}) t(i, word_count, lang, bad, keeper, h) ${extra} ORDER BY i`,
  );
  return result.map((r) => r.reasons);
}

const minWords: Rule = { name: 'min_words', signal: 'word_count', op: '>=', threshold: 50 };
const maxWords: Rule = { name: 'max_words', signal: 'word_count', op: '<=', threshold: 100 };
const english: Rule = { name: 'english', signal: 'lang', op: 'in', threshold: ['en', 'fr'] };

describe('reasons, composed from their sources', () => {
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

describe('the near-duplicate reason', () => {
  const near = (verify: 'none' | 'signature' | 'exact') =>
    ({ enabled: true, shingle: 5, bands: 14, rows: 8, threshold: 0.8, keep: 'longest', partitions: 1, seed: 1, verify }) as NearDedupConfig;
  const judgeNear = async (verify: 'none' | 'signature' | 'exact', similarity: string) => {
    const expr = nearDuplicateReason(near(verify), { keeper: 'k', similarity: 'sim', cluster: 'c', clusterSize: 'n' });
    const [r] = await rows<{ reason: Reason }>(`SELECT ${expr} AS reason FROM (VALUES ('s#1', ${similarity}, 's#0', 3::BIGINT)) t(k, sim, c, n)`);
    return r!.reason;
  };

  it('names what linked the pair: the signature when verified, the bands alone with verify: none', async () => {
    expect(await judgeNear('signature', '0.91::DOUBLE')).toEqual({
      rule: 'near_duplicate',
      signal: 'minhash_signature',
      op: 'linked',
      value: '0.910',
      threshold: 'estimated Jaccard >= 0.8 with s#1 (cluster s#0 of 3)',
    });
    const banded = await judgeNear('none', 'NULL::DOUBLE');
    expect(banded).toMatchObject({ signal: 'minhash_bands', value: 'null', threshold: 'a shared MinHash band with s#1 (cluster s#0 of 3)' });
  });

  it('is read back by `why` as it was written: link, keeper, cluster and size', async () => {
    for (const verify of ['none', 'signature', 'exact'] as const) {
      const reason = await judgeNear(verify, verify === 'none' ? 'NULL::DOUBLE' : '0.85::DOUBLE');
      expect(parseNearThreshold(reason.threshold)).toEqual({ link: expect.any(String), keeper: 's#1', cluster: 's#0', size: 3 });
      const said = nearDuplicateSource.explain!(reason, { duplicate_of: 's#1', duplicate_of_id: null, near_cluster: 's#0' });
      expect(said).toContain('with s#1, the kept document of its cluster (3 documents, named s#0');
      expect(said).toContain(verify === 'none' ? 'shares a MinHash band' : 'estimated Jaccard similarity 0.850');
    }
  });
});
