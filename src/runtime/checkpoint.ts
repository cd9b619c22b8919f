// What a run must keep to continue exactly where it stopped. The runtime hands one to its `checkpoint` sink after
// initialization and after every step; `runProgram({ resume })` continues from one. Together with the events
// emitted up to it (their count is part of it), a resumed run with a deterministic engine emits exactly the events
// and ends with exactly the values of a run that was never stopped.
import type { UsageSnapshot } from "../engines/cost.js";
import type { OptimizerState } from "./optimizer-memory.js";

export interface Checkpoint {
  readonly version: 1;
  /** Events emitted up to this checkpoint: a run folder keeps these and drops any written after. */
  readonly events: number;
  /** Every variable's value. */
  readonly values: Readonly<Record<string, string>>;
  /** The optimize block in progress (its index) and the steps it has completed; `finished` once it has ended. */
  readonly optimization: number;
  readonly step: number;
  readonly finished: boolean;
  /** The optimizer's memory: past values (momentum), past gradients, values validation rejected. */
  readonly optimizer: OptimizerState | undefined;
  /** Validation: the best score and the step that reached it, the current values' score, the values that scored best. */
  readonly validation:
    | { readonly best: number; readonly bestStep: number; readonly current: number; readonly bestValues: Readonly<Record<string, string>> }
    | undefined;
  /** Each step's value of the variable a vote chooses among, the initial one first. */
  readonly voteHistory: readonly string[];
  /** Where in the data the next step starts: its epoch and examples (the order follows from the seed). */
  readonly data: { readonly seed: number; readonly epoch: number | undefined; readonly next: readonly number[] } | undefined;
  /**
   * Test-time optimization over a data set: the example in progress (its values are among `values` once it has
   * begun), the score its first values got, what the examples before it ended with, and the value every example
   * starts each target declared without a parameter from.
   */
  readonly each?: {
    readonly example: number;
    readonly before: number | undefined;
    readonly finished: readonly ExampleResult[];
    readonly shared: Readonly<Record<string, string>>;
  };
  /** A digest of each data set read, so a resume refuses data that changed. */
  readonly datasets: Readonly<Record<string, string>>;
  /** Spend so far, when the caller meters it. */
  readonly usage: UsageSnapshot | undefined;
}

/** One example's test-time optimization: its variables' final values and the score of its first and final values. */
export interface ExampleResult {
  readonly example: number;
  readonly values: Readonly<Record<string, string>>;
  readonly before: number | undefined;
  readonly after: number | undefined;
}

export type CheckpointSink = (checkpoint: Checkpoint) => void;
