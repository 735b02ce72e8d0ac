import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder for the whole `vitest run`, shared by every test file (see `sharedDryRun` in helpers.ts). */
    winnowSession: string;
  }
}

/** Runs once per `vitest run`, before any test file: makes the session folder, and removes it at the end. */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-session-'));
  project.provide('winnowSession', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
