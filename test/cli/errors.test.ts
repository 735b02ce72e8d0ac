import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/errors.js';
import { ConfigError } from '../../src/config/errors.js';
import { BIN, ROOT, winnow } from '../helpers.js';

/** Captures what reportError writes to stderr. */
function report(err: unknown, debug = false): { code: number; text: string } {
  const write = process.stderr.write;
  let text = '';
  process.stderr.write = ((chunk: string) => ((text += chunk), true)) as typeof process.stderr.write;
  try {
    return { code: reportError(err, { debug }), text };
  } finally {
    process.stderr.write = write;
  }
}

describe('errors as users see them', () => {
  it('an expected failure is its message and its exit code, the trace only with --debug', () => {
    const err = new ConfigError('/p.yaml', ['line 3: name: required']);
    expect(report(err)).toEqual({ code: 2, text: 'winnow: /p.yaml:\n  - line 3: name: required\n' });
    expect(report(err, true).text).toMatch(/\n\s+at /);
  });

  it('a file-system error is one line naming the path and the cause', () => {
    const err = Object.assign(new Error("EACCES: permission denied, mkdir '/data/run'"), { code: 'EACCES', syscall: 'mkdir', path: '/data/run' });
    const { code, text } = report(err);
    expect(code).toBe(1);
    expect(text).toBe('winnow: cannot create the folder /data/run: permission denied (EACCES)\n');
  });

  it('anything else is an internal error, exit 70, with the way to get the trace', () => {
    const { code, text } = report(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(code).toBe(70);
    expect(text).toMatch(/^winnow: internal error: Cannot read properties/);
    expect(text).toMatch(/--debug \(or WINNOW_DEBUG=1\)/);
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('--debug is accepted before or after the command', () => {
    for (const args of [['--debug', 'why', 'x', '--run', '/nonexistent-run'], ['why', 'x', '--run', '/nonexistent-run', '--debug']]) {
      const r = winnow(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^winnow: \/nonexistent-run: no such run folder/);
      expect(r.stderr).toMatch(/\n\s+at /);
    }
    expect(winnow(['why', 'x', '--run', '/nonexistent-run']).stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it.skipIf(!existsSync('/proc/self'))('a folder that cannot be made is an error at once, not a hang (Node\'s recursive mkdir spun under /proc)', () => {
    const r = spawnSync(process.execPath, [BIN, 'run', 'pipelines/dry-run.yaml', '--output', '/proc/nope/run'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('winnow: cannot create the folder /proc/nope: no such file or folder (ENOENT)\n');
  });
});
