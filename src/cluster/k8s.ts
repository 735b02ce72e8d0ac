import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { stringify } from 'yaml';
import { jobsDir, type ClusterPlan } from './plan.js';
import { shellWord } from './slurm.js';
import { makeDirs } from '../storage/dirs.js';

export interface K8sOptions {
  /** The winnow image (the repository's Dockerfile builds one); its entry point is `winnow`. */
  image: string;
  namespace?: string;
  /**
   * The PersistentVolumeClaim every pod mounts: the storage holding the inputs, the pipeline and
   * the run folder. None for a run whose input and run folder are on S3 and whose pipeline (with
   * its rules and models) is in the image at the path it was planned from.
   */
  claim?: string;
  /** Where pods mount it: the path the plan's files are under (plan where the volume is mounted at the same path). */
  mount: string;
  /** A Secret whose keys become the pods' environment: the S3 credentials and endpoint (AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL_S3, ...). */
  secret?: string;
  /** The folder for the manifests and the apply script (jobsDir): by default the run folder's work/cluster/k8s/. */
  scripts?: string;
  /** CPUs of each pod: its worker threads. */
  cpus: number;
  /** Memory of each pod (`8Gi`). */
  memory?: string;
  /** The most pods of one phase at a time. */
  parallelism: number;
  /** The most indexes one phase is split into. */
  maxTasks: number;
  /** Retries of each index before the phase fails. */
  retries: number;
}

export interface K8sJob {
  phase: string;
  name: string;
  tasks: number;
  file: string;
  /** Typed by kubernetes-types: the compiler checks the manifest's shape against the Kubernetes API. */
  manifest: Job;
}

export const k8sDir = (plan: ClusterPlan, scripts?: string): string => jobsDir(plan, 'k8s', scripts);

/** A DNS-1123 label from a run folder's name: what Kubernetes names may hold. */
const label = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30) || 'run';

/**
 * One Indexed Job per phase of a planned run, in run order. Each pod runs the slice of its
 * completion index (`winnow task` reads JOB_COMPLETION_INDEX; the count, which Kubernetes does
 * not pass, as WINNOW_TASK_COUNT and --count). Kubernetes has no dependencies between Jobs: the
 * apply script (k8sApplyScript) applies each after the one before completed.
 */
export function k8sJobs(plan: ClusterPlan, options: K8sOptions): K8sJob[] {
  const run = label(plan.output.split('/').filter(Boolean).at(-1) ?? 'run');
  return plan.phases.map(({ phase, tasks: planned }, i) => {
    const tasks = Math.max(1, Math.min(planned.length, options.maxTasks));
    const name = `winnow-${run}-${String(i + 1).padStart(2, '0')}-${phase}`;
    const labels = { 'app.kubernetes.io/name': 'winnow', 'winnow/run': run, 'winnow/phase': phase };
    const resources = {
      requests: { cpu: String(options.cpus), ...(options.memory ? { memory: options.memory } : {}) },
      ...(options.memory ? { limits: { memory: options.memory } } : {}),
    };
    const manifest: Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, ...(options.namespace ? { namespace: options.namespace } : {}), labels },
      spec: {
        completionMode: 'Indexed',
        completions: tasks,
        parallelism: Math.min(tasks, options.parallelism),
        // Retries per index (Kubernetes 1.29 and later); a slice that fails them fails the phase.
        backoffLimitPerIndex: options.retries,
        maxFailedIndexes: 0,
        // A replacement pod only once the one it replaces has stopped: two pods of one index would
        // run the same tasks in the same scratch folders at once.
        podReplacementPolicy: 'Failed',
        ttlSecondsAfterFinished: 7 * 24 * 3600,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'winnow',
                image: options.image,
                args: ['task', phase, '--run', plan.output, '--count', String(tasks), '--workers', String(options.cpus), '--quiet'],
                env: [{ name: 'WINNOW_TASK_COUNT', value: String(tasks) }],
                ...(options.secret ? { envFrom: [{ secretRef: { name: options.secret } }] } : {}),
                resources,
                ...(options.claim ? { volumeMounts: [{ name: 'data', mountPath: options.mount }] } : {}),
              },
            ],
            ...(options.claim ? { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: options.claim } }] } : {}),
          },
        },
      },
    };
    return { phase, name, tasks, file: join(k8sDir(plan, options.scripts), `${String(i + 1).padStart(2, '0')}-${phase}.yaml`), manifest };
  });
}

/** Applies the Jobs in order, each once the one before completed; stops at the first that failed. */
export function k8sApplyScript(jobs: K8sJob[], namespace?: string): string {
  const kubectl = `kubectl${namespace ? ` --namespace ${shellWord(namespace)}` : ''}`;
  return [
    '#!/bin/bash',
    '# Written by `winnow k8s`: runs the phases in order, each Job once the one before completed.',
    '# Running it again is safe: each Job is made afresh, and completed tasks are reused.',
    'set -euo pipefail',
    'finished() {',
    '  while true; do',
    // An API server's hiccup is not the job's failure: ask again.
    `    complete=$(${kubectl} get job "$1" -o jsonpath='{.status.conditions[?(@.type=="Complete")].status}' || true)`,
    `    failed=$(${kubectl} get job "$1" -o jsonpath='{.status.conditions[?(@.type=="Failed")].status}' || true)`,
    '    if [ "$complete" = True ]; then return 0; fi',
    `    if [ "$failed" = True ]; then echo "winnow: job $1 failed; its logs: ${kubectl} logs -l job-name=$1" >&2; return 1; fi`,
    '    sleep 10',
    '  done',
    '}',
    // A Job of the same name left from an earlier run (a re-plan gives the same names) would look
    // complete already: each phase's Job is made afresh, and its completed tasks are reused.
    ...jobs.flatMap((j) => [`${kubectl} delete job ${j.name} --ignore-not-found --wait=true`, `${kubectl} create -f ${shellWord(j.file)}`, `finished ${j.name}`]),
    '',
  ].join('\n');
}

export function writeK8sJobs(plan: ClusterPlan, jobs: K8sJob[], namespace?: string, scripts?: string): string {
  makeDirs(k8sDir(plan, scripts));
  for (const j of jobs) writeFileSync(j.file, stringify(j.manifest, { aliasDuplicateObjects: false }));
  const script = join(k8sDir(plan, scripts), 'apply.sh');
  writeFileSync(script, k8sApplyScript(jobs, namespace));
  chmodSync(script, 0o755);
  return script;
}
