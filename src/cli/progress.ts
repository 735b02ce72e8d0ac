import cliProgress from 'cli-progress';
import { formatBytes } from '../config/bytes.js';
import type { PhaseName } from '../io/layout.js';
import type { PhaseTiming } from '../phases/report.js';
import { PHASE_UNITS } from '../execution/phase-table.js';
import type { RunEvents } from '../execution/executor.js';

/** Phases without units (the report) are not shown: they are over as soon as they start. */
const shown = (phase: PhaseName): boolean => PHASE_UNITS[phase] !== null;
const units = (phase: PhaseName, n: number): string => PHASE_UNITS[phase]?.[n === 1 ? 0 : 1] ?? '';
const LOG_EVERY_MS = 10_000;

/**
 * Progress on stderr: a bar per phase on a terminal, plain periodic lines elsewhere (CI logs),
 * nothing at all when quiet.
 */
export function progressReporter(options: { quiet: boolean; tty: boolean }): RunEvents {
  if (options.quiet) return {};
  return options.tty ? barReporter() : lineReporter();
}

function rate(docs: number, bytes: number, seconds: number): string {
  if (seconds <= 0 || docs === 0) return '';
  return `${Math.round(docs / seconds).toLocaleString('en-US')} docs/s, ${formatBytes(bytes / seconds)}/s`;
}

function barReporter(): RunEvents {
  let bar: cliProgress.SingleBar | undefined;
  let started = 0;
  return {
    onPhaseStart(phase, tasks, reused) {
      if (!shown(phase)) return;
      started = performance.now();
      bar = new cliProgress.SingleBar(
        {
          format: `${phase.padEnd(8)} {bar} {value}/{total} ${units(phase, tasks)}{reused} {docs} {rate}`,
          barsize: 30,
          hideCursor: true,
          clearOnComplete: false,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(tasks, reused, { reused: reused > 0 ? ` (${reused} reused)` : '', docs: '', rate: '' });
    },
    onProgress(_phase, p) {
      const seconds = (performance.now() - started) / 1000;
      bar?.update(p.tasksDone, { docs: p.docs > 0 ? `| ${p.docs.toLocaleString('en-US')} docs` : '', rate: p.docs > 0 ? `| ${rate(p.docs, p.bytes, seconds)}` : '' });
    },
    onPhaseEnd() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function lineReporter(): RunEvents {
  let started = 0;
  let lastLog = 0;
  let last = { tasksDone: 0, docs: 0, bytes: 0 };
  let total = 0;
  const log = (phase: PhaseName, note: string) => process.stderr.write(`[winnow] ${phase}: ${note}\n`);
  return {
    onPhaseStart(phase, tasks, reused) {
      if (!shown(phase)) return;
      started = lastLog = performance.now();
      total = tasks;
      last = { tasksDone: reused, docs: 0, bytes: 0 };
      log(phase, `${tasks} ${units(phase, tasks)} to do${reused > 0 ? `, ${reused} already complete (reused)` : ''}`);
    },
    onProgress(phase, p) {
      if (!shown(phase)) return;
      last = p;
      const now = performance.now();
      if (now - lastLog < LOG_EVERY_MS) return;
      lastLog = now;
      log(phase, `${p.tasksDone}/${total} ${units(phase, total)}, ${p.docs.toLocaleString('en-US')} docs, ${rate(p.docs, p.bytes, (now - started) / 1000)}`);
    },
    onPhaseEnd(phase, timing: PhaseTiming) {
      if (!shown(phase)) return;
      const speed = rate(last.docs, last.bytes, timing.seconds);
      log(phase, `done in ${timing.seconds.toFixed(1)} s${speed ? ` (${speed})` : ''}`);
    },
  };
}
