import type { Pipeline } from '../config/load.js';
import type { QuantileThreshold } from '../decisions/quantiles.js';
import type { Reason } from '../decisions/reasons-sql.js';
import type { InputShard } from '../io/inputs.js';
import type { TaskContext } from './context.js';

/**
 * A reason source: one way a document can be dropped (bad input, the rule sets, exact and near
 * duplication, boilerplate-only documents). Each is one module holding its tasks (the phase
 * table's steps run them), the relation decide joins for a shard, the reasons it adds, and how
 * `winnow why` says them. Decide composes the sources in REASON_SOURCES' order, which is the order
 * rejected rows list their reasons and the manifest its rules.
 */
export interface ReasonSource<K extends keyof SourceInputs = keyof SourceInputs> {
  /** The key of its input in decide's task (what the phase table planned for it). */
  name: K;
  /** The rules it adds, in the order rejected rows list them: none when the pipeline has it off. */
  rules(pipeline: Pipeline): readonly string[];
  /** Joins its relation for one shard onto the signals (alias `s`) and says which rows it drops. */
  judge(ctx: TaskContext, shard: InputShard, input: SourceInputs[K]): Promise<Judgement>;
  /** How `winnow why` says one of its reasons; undefined leaves the generic wording. */
  explain?(reason: Reason, fate: DuplicateLinks): string | undefined;
}

/** What decide's task carries for each source: files of its global step, thresholds; absent when the source is off. */
export interface SourceInputs {
  bad_input: Record<string, never>;
  rules: { quantiles: QuantileThreshold[] };
  exact_duplicate: { files: string[] };
  near_duplicate: { file: string };
  boilerplate: { files: string[] };
}

/** The links a rejected row carries besides its reasons, for explanations. */
export interface DuplicateLinks {
  /** The copy that was kept (key, id): the near-duplicate cluster's keeper, else the exact keeper. */
  duplicate_of: string | null;
  duplicate_of_id: string | null;
  /** An exact duplicate's direct link: its exact cluster's keeper, which near dedup may have dropped in turn. */
  exact_keeper?: string | null;
  exact_keeper_id?: string | null;
  near_cluster: string | null;
}

/** One source's part in judging a shard. Every SQL fragment may use `s` (the shard's signals) and its own aliases. */
export interface Judgement {
  /** LEFT JOINs onto `s`, each keyed by s."row". */
  joins?: string;
  /** REASON_TYPE structs (NULL when the row passes), in the order of `rules`. */
  reasons: string[];
  /**
   * The kept copy a duplicate names (key and id); the last source giving one wins: near dedup's
   * cluster keeper holds every exact copy of its members too, so it is the copy finally kept.
   */
  duplicateOf?: { key: string; id: string };
  /** An exact duplicate's exact keeper (key and id), kept as its direct link beside duplicateOf. */
  exactKeeper?: { key: string; id: string };
  /** The near-duplicate cluster a row belongs to. */
  nearCluster?: string;
  /**
   * What curated rows change: a join onto `s` for them, their text (from the text as sources before
   * it left it), and the columns they gain
   * (`expression AS name`) with the names (an input column of the same name is refused).
   */
  curated?: { join: string; text(current: string): string; columns: string[]; names: readonly string[] };
  /** SQL run when decide is done with the shard (dropping the source's temporary tables). */
  cleanup?: string;
  /** Adds to the shard's manifest, from the judged rows (table `judged`: "row", reasons). */
  summarize?(): Promise<Record<string, unknown>>;
}
