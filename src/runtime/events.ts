// The one record of what a run did. `tgc run` prints it, the run folder stores it as JSONL, and later
// `report`, `explain` and `--resume` read it. Events are emitted in a deterministic order.
import type { UsageSnapshot } from "../engines/cost.js";
import type { Message, Purpose, ToolCall, Usage } from "../engines/engine.js";
import type { NodeId } from "../ir/graph.js";

export type RunEvent =
  | {
      readonly type: "run_started";
      readonly program: string;
      readonly engines: readonly { readonly name: string; readonly id: string; readonly simulated: boolean }[];
    }
  | { readonly type: "variable_initialized"; readonly name: string; readonly value: string }
  | {
      readonly type: "step_started";
      readonly optimization: number;
      readonly step: number;
      /** The steps this optimization is scheduled for (it may end sooner: solved, early stopping). */
      readonly steps: number;
      readonly epoch: number | undefined;
      /** Indexes of the step's examples in the data set, or empty without data. */
      readonly examples: readonly number[];
    }
  | {
      readonly type: "call";
      readonly purpose: Purpose;
      readonly engine: string;
      readonly node: NodeId | undefined;
      readonly label: string;
      readonly sample: number | undefined;
      readonly messages: readonly Message[];
      readonly reply: string;
      /** The tools the reply asks to call (an agent's turn). */
      readonly toolCalls?: readonly ToolCall[];
      readonly usage: Usage;
      /** Served by the response cache: no call was made and it cost nothing. */
      readonly cached: boolean;
    }
  /** A retrieve step's passages, best first, with their scores. */
  | {
      readonly type: "retrieval";
      readonly node: NodeId;
      readonly label: string;
      readonly sample: number | undefined;
      readonly corpus: string;
      /** How the corpus is ranked: `bm25`, or `embeddings:<engine>`. */
      readonly index: string;
      readonly query: string;
      readonly passages: readonly { readonly source: string; readonly score: number; readonly text: string }[];
    }
  /** One step of an agent: a tool call, its arguments, and what the tool answered (or why it failed). */
  | {
      readonly type: "agent_step";
      readonly node: NodeId;
      readonly label: string;
      readonly sample: number | undefined;
      readonly step: number;
      readonly tool: string;
      readonly arguments: Readonly<Record<string, unknown>>;
      readonly result: string;
      readonly failed: boolean;
    }
  /** An agent's end: its answer after `steps` tool calls; `exhausted` when it used every step it had. */
  | { readonly type: "agent_finished"; readonly node: NodeId; readonly label: string; readonly sample: number | undefined; readonly steps: number; readonly answer: string; readonly exhausted: boolean }
  | { readonly type: "loss"; readonly node: NodeId; readonly label: string; readonly sample: number | undefined; readonly text: string; readonly loss: number | undefined }
  | {
      readonly type: "gradient";
      readonly from: NodeId;
      readonly fromLabel: string;
      readonly to: NodeId;
      readonly toLabel: string;
      readonly sample: number | undefined;
      readonly text: string;
    }
  | { readonly type: "gradients_condensed"; readonly variable: string; readonly count: number; readonly before: number; readonly after: number }
  /** A call failed in a way worth retrying (rate limit, server error, timeout) and will be tried again. */
  | {
      readonly type: "retry";
      readonly engine: string;
      readonly attempt: number;
      readonly status: number | undefined;
      readonly message: string;
      readonly delayMs: number;
    }
  /** A reply that could not be used; `retrying` when it is asked again, false when that was the last attempt. */
  | { readonly type: "reply_malformed"; readonly purpose: Purpose; readonly engine: string; readonly attempt: number; readonly problem: string; readonly retrying: boolean }
  | { readonly type: "update"; readonly variable: string; readonly step: number; readonly before: string; readonly after: string }
  | { readonly type: "update_skipped"; readonly variable: string; readonly step: number; readonly reason: string }
  | {
      readonly type: "validation";
      readonly step: number;
      readonly score: number;
      readonly best: number;
      readonly reverted: boolean;
      /** No variable changed in this step, so the score is the previous one and no call was made. */
      readonly unchanged?: boolean;
    }
  | { readonly type: "step_finished"; readonly step: number; readonly loss: number | undefined }
  /** The optimization ended early: its loss found nothing left to fix (`stop_when_solved`). */
  | { readonly type: "solved"; readonly step: number }
  /** The optimization ended early: validation had not improved for `patience` steps; `best` was reached at `bestStep`. */
  | { readonly type: "early_stopped"; readonly step: number; readonly patience: number; readonly best: number; readonly bestStep: number }
  /** Test-time optimization's last step: the answer each value gave, and the value chosen by majority. */
  | {
      readonly type: "vote";
      readonly variable: string;
      readonly answers: readonly { readonly step: number; readonly answer: string }[];
      readonly winner: string | undefined;
      readonly chosenStep: number;
    }
  /** Test-time optimization over a data set (`each:`): an example's own optimization begins; its steps follow. */
  | { readonly type: "example_started"; readonly optimization: number; readonly example: number; readonly examples: number }
  /** An example's optimization ended: its variables' final values, and the score of its first and final values. */
  | {
      readonly type: "example_finished";
      readonly optimization: number;
      readonly example: number;
      readonly values: Readonly<Record<string, string>>;
      readonly before: number | undefined;
      readonly after: number | undefined;
    }
  /** Every example optimized: the mean score of the examples' first values and of their final ones. */
  | { readonly type: "each_finished"; readonly optimization: number; readonly examples: number; readonly before: number | undefined; readonly after: number | undefined }
  /** Tokens and cost so far, per engine and per phase, after each step and at the end. */
  | { readonly type: "usage"; readonly step: number | undefined; readonly usage: UsageSnapshot }
  | {
      readonly type: "run_finished";
      readonly status: "completed" | "failed" | "interrupted" | "budget";
      readonly values: Readonly<Record<string, string>>;
      /** Why the run stopped early: the budget it reached, or the failure. */
      readonly reason?: string;
    };

export type EventSink = (event: RunEvent) => void;
