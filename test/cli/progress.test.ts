import { describe, expect, it } from 'vitest';
import { DRY_RUN, dryRunCopy, sharedDryRun, winnow } from '../helpers.js';

describe('progress output', () => {
  it('is plain log lines per phase when stderr is not a terminal (CI logs)', async () => {
    // The dry run the test files share: `winnow run pipelines/dry-run.yaml`, without --quiet.
    const r = await sharedDryRun();
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('[winnow] annotate: 5 parts to do');
    expect(lines).toContainEqual(expect.stringMatching(/^\[winnow\] annotate: done in [\d.]+ s \([\d,]+ docs\/s, [\d.]+ [kM]B\/s\)$/));
    expect(lines).toContain('[winnow] dedup: 12 partitions to do'); // exact, near and lines, 4 each
    expect(lines).toContain('[winnow] cluster: 1 task to do');
    expect(lines).toContainEqual(expect.stringMatching(/^\[winnow\] decide: done in [\d.]+ s$/));
    expect(r.stderr).not.toMatch(/\x1b\[/); // no terminal escape codes

    // Started again (on a copy: the shared run folder is only read), every task is reused.
    const again = winnow(['run', DRY_RUN, '--output', await dryRunCopy(), '--workers', '2']);
    expect(again.stderr).toContain('[winnow] annotate: 5 parts to do, 5 already complete (reused)');
  });
});
