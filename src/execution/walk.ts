import type { PhaseName, RunLayout } from '../io/layout.js';
import { completedResult } from './markers.js';
import { emptyOutcomes, phaseOrder, stepOf, type Outcomes, type PhaseOutcome, type PlanInput, type StepName, type StepResults } from './phase-table.js';
import { RunError, type TaskMessage } from './tasks.js';

/**
 * Plans each phase of the table in order from the outcomes of the phases before it and hands its
 * tasks to `visit`, which runs them, or reads what earlier processes ran (a cluster task: src/execution/slice.ts).
 * Phases with no step on in this pipeline are passed over; the walk ends after `last` when given.
 */
export async function walkPhases(
  run: PlanInput,
  visit: (phase: PhaseName, tasks: TaskMessage[]) => Promise<PhaseOutcome<unknown>>,
  last?: PhaseName,
): Promise<Outcomes> {
  const done = emptyOutcomes();
  for (const { phase, steps } of phaseOrder()) {
    const running = steps.filter((s) => s.when?.(run.pipeline) ?? true);
    if (running.length > 0) {
      const tasks = running.flatMap((s) => s.plan(run, done).map((t): TaskMessage => ({ step: s.name, phase, ...t })));
      const outcome = await visit(phase, tasks);
      for (const s of running) record(done, s.name, outcome);
    }
    if (phase === last) break;
  }
  return done;
}

/** Whether a completed task's result can be reused, by its step's `stillValid`. */
export const reusable =
  (layout: RunLayout) =>
  async (result: unknown, task: TaskMessage): Promise<boolean> =>
    // The result is the one a task of this step returned (its marker's), so it has the step's result type.
    (await stepOf(task).stillValid?.(result as never, layout)) ?? true;

/**
 * A phase that other processes ran: every task's result from its completion marker. A phase not
 * complete is an error: a cluster engine starts a phase's jobs only after those of the phase before
 * succeeded, so a missing marker means a job failed or is being run out of order.
 */
export async function completedPhase(layout: RunLayout, phase: PhaseName, tasks: TaskMessage[]): Promise<PhaseOutcome<unknown>> {
  const valid = reusable(layout);
  const results = await Promise.all(
    tasks.map(async (t) => {
      const result = await completedResult<unknown>(layout, phase, t.task, t.fingerprint);
      return result !== undefined && (await valid(result, t)) ? result : undefined;
    }),
  );
  const missing = tasks.filter((_, i) => results[i] === undefined).map((t) => t.task);
  if (missing.length > 0) {
    const named = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
    throw new RunError(
      `the ${phase} phase of ${layout.root} is not complete: ${missing.length} of its ${tasks.length} task(s) have not finished for this pipeline (${named}); ` +
        `run \`winnow task ${phase} --run ${layout.root}\` (every index) first, or let the cluster's ${phase} job finish`,
    );
  }
  return { tasks, results };
}

/** Keeps a step's tasks and their results from its phase's outcome, in plan order. */
function record<K extends StepName>(done: { [P in K]: PhaseOutcome<StepResults[P]> }, name: K, outcome: PhaseOutcome<unknown>): void {
  const at = outcome.tasks.flatMap((t, i) => (t.step === name ? [i] : []));
  // Each result is what a task of this step returned (StepResults[name]).
  done[name] = { tasks: at.map((i) => outcome.tasks[i]!), results: at.map((i) => outcome.results[i] as StepResults[K]) };
}
