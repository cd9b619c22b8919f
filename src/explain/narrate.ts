// A run's events told as a lesson: the graph, then each step in the order it happened (forward calls with the
// prompt sent and the reply, searches with their query and passages, an agent's turns and tool calls, the loss,
// each backward message along its edge, the optimizer's prompt and the update as a diff), each beside a sentence or
// two that ties it to ordinary backpropagation. Reads the event stream that `tgc run` records; computes nothing of
// its own.
import { diffLines } from "diff";
import type { Message } from "../engines/engine.js";
import type { Graph, GraphNode, NodeId } from "../ir/graph.js";
import type { RunEvent } from "../runtime/events.js";

export type Part =
  | { readonly kind: "text"; readonly label: string; readonly text: string }
  | { readonly kind: "diff"; readonly label: string; readonly lines: readonly { readonly op: "+" | "-" | " "; readonly text: string }[] };

export interface Section {
  readonly heading: string;
  readonly parts: readonly Part[];
  /** What this is in ordinary backpropagation. */
  readonly analogy: string;
}

export interface Narration {
  readonly title: string;
  readonly simulated: string | undefined;
  readonly sections: readonly Section[];
}

type EventOf<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;

/** Long texts are cut for the page; the run folder keeps them whole. */
const LIMIT = 1_500;
const clip = (text: string) => (text.length > LIMIT ? `${text.slice(0, LIMIT)}\n… (${text.length - LIMIT} more characters)` : text);

function describe(n: GraphNode, label: (id: NodeId) => string): string {
  switch (n.kind) {
    case "variable":
      return `${n.trainable ? "trainable" : "frozen"} variable`;
    case "input":
      return `the example's field ${n.field}`;
    case "template":
      return `text built from ${n.parts.filter((p): p is { node: NodeId } => "node" in p).map((p) => label(p.node)).join(", ") || "literal text"}`;
    case "llm_call":
      return `a call to ${n.engine} with ${n.system !== undefined ? `system ${label(n.system)} and ` : ""}user ${label(n.user)}`;
    case "native_call":
    case "metric":
      return `${n.module}.${n.native}(${n.args.map(label).join(", ")})`;
    case "loss":
      return n.rule.kind === "rubric" ? `a rubric loss judged by ${n.rule.engine} on ${n.rule.targets.map((t) => label(t.node)).join(", ")}` : n.rule.kind === "unless" ? "a rule loss" : `a loss computed by ${n.rule.module}.${n.rule.native}`;
    case "sum":
      return `the sum of ${n.terms.map((t) => label(t.node)).join(" + ")}`;
    case "retrieve":
      return `the ${n.k === 1 ? "passage" : `${n.k} passages`} of ${n.corpus} that best match${n.k === 1 ? "es" : ""} ${label(n.query)}`;
    case "agent":
      return `an agent run by ${n.engine} on ${label(n.user)}, with the tools ${n.tools.map((t) => t.name).join(", ")}`;
    case "answer":
      return `the final answer of ${label(n.agent)}`;
    case "tool_argument":
      return `the argument ${n.name} of the tool ${n.tool}`;
    default: {
      const never: never = n;
      return never;
    }
  }
}

/**
 * A prompt's message has more room (a backward prompt through a search or an agent holds the passages or the numbered
 * trajectory as well as the feedback), and is cut in its middle: its end is what the prompt asks (at which step the
 * agent went wrong, which words the query lacks), which a cut at the end would lose.
 */
const PROMPT_LIMIT = 3_000;
const clipMiddle = (text: string) => {
  if (text.length <= PROMPT_LIMIT) return text;
  const head = text.slice(0, PROMPT_LIMIT - 800);
  const tail = text.slice(-600);
  return `${head}\n… (${text.length - head.length - tail.length} characters left out) …\n${tail}`;
};
const messagesText = (messages: readonly Message[]) => messages.map((m) => `[${m.role}]\n${clipMiddle(m.content)}`).join("\n\n");

/** A tool call as the trajectory writes it: `calculate(expression: "2 * 3")`. */
const callText = (tool: string, args: Readonly<Record<string, unknown>>) =>
  `${tool}(${Object.entries(args).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")})`;
const toolCount = (n: number) => (n === 0 ? "no tool call" : n === 1 ? "1 tool call" : `${n} tool calls`);
/** A passage on one line, in short: the search is shown ranked, its passages stay whole in the run folder. */
const inShort = (text: string, limit = 160) => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
};

const LOOKUP =
  "A lookup layer: its output is chosen from the corpus, not computed, as an embedding layer picks rows by index. The corpus is data, not weights, and the ranking has no gradient: the backward pass can change neither, only the query that chose these passages.";
const UNROLLED =
  "An agent is a loop, unrolled: each turn is one model call that reads everything so far (the task, its earlier calls and their results) and either calls a tool or answers, like one time step of a recurrent network that reads its previous state.";

/** A node as the narration names it: its label and, since two calls may share a label, its number. */
const nodeName = (graph: Graph, id: NodeId | undefined, fallback: string) => (id === undefined || !graph.nodes[id] ? fallback : `${graph.nodes[id]!.label} [${id}]`);

function graphSection(graph: Graph): Section {
  const label = (id: NodeId) => nodeName(graph, id, "?");
  // Literal text (criteria, fixed prompts) would crowd the picture: only nodes with a role in the computation.
  const shown = graph.nodes.filter((n) => n.kind !== "template" || n.parts.some((p) => "node" in p));
  return {
    heading: "The computation graph",
    parts: [{ kind: "text", label: "Nodes, in the order values are computed", text: shown.map((n) => `${label(n.id)}: ${describe(n, label)}`).join("\n") }],
    analogy:
      "Like a neural network's graph: each node's value is computed from its inputs, and the trainable variables play the part of the weights. Here every value is text.",
  };
}

/** The lesson for one or more steps of a run, from its events. */
export function narrate(graph: Graph, events: readonly RunEvent[], program: string): Narration {
  const started = events.find((e): e is EventOf<"run_started"> => e.type === "run_started");
  const simulated = started?.engines.filter((e) => e.simulated);
  const sections: Section[] = [graphSection(graph)];
  let step: EventOf<"step_started"> | undefined;
  /** Forward calls after a step's update score the held-out set, as those before the first step that initialize nothing do. */
  let updated = false;
  // Variables are initialized first, each announced once its value is known; what comes before the last is initialization.
  const initialized = events.reduce((last, e, i) => (e.type === "variable_initialized" ? i : last), -1);
  let sawSystem = false;
  const received = new Map<string, number>();
  const pendingCall = new Map<string, EventOf<"call">>();
  /** Test-time optimization over a data set (`each:`): the example whose own story is being told, and its first values. */
  let example: { readonly started: EventOf<"example_started">; readonly firstValues: Part[]; readonly first: Map<string, string>; steps: number } | undefined;
  const exampleName = (i: number) => `example ${i + 1}`;
  /** How the finished examples' scores moved, for the closing line. */
  const moved = { improved: 0, worse: 0, unchanged: 0 };
  // Inside an example's story every sample is that example: saying so at each heading would only repeat it.
  const of = (sample: number | undefined) => (sample !== undefined && !example ? ` (example ${sample})` : "");
  /** What a forward computation (a call, a search, an agent's turn) is part of, from where it happens. */
  type Kind = "forward" | "initialization" | "validation";
  const kindOf = (index: number): Kind => (step ? (updated ? "validation" : "forward") : index < initialized ? "initialization" : "validation");
  const kindHeading = (kind: Kind) => (kind === "forward" ? "Forward" : kind === "initialization" ? "Initialization" : step ? "Validation" : "Validation before training");
  const NO_GRADIENT = "During validation no loss is computed and no gradient flows.";
  /** An agent's latest turn, per node and example: the turn that answers is told with its answer. */
  const agentTurns = new Map<string, { readonly call: EventOf<"call">; readonly turn: number; readonly kind: Kind; readonly shown: boolean }>();
  for (const [index, e] of events.entries()) {
    switch (e.type) {
      case "example_started": {
        // An example's optimization starts anew: its initialization is not the previous example's validation.
        step = undefined;
        updated = false;
        received.clear();
        example = { started: e, firstValues: [], first: new Map(), steps: 0 };
        sections.push({
          heading: `Example ${e.example + 1} of ${e.examples}`,
          parts: example.firstValues,
          analogy:
            "Test-time optimization: this example's own values start fresh and are optimized for it alone, as if a separate small model were fitted to each example. Nothing learned on the example before carries over, and its steps count from 1 again.",
        });
        break;
      }
      case "variable_initialized":
        // An example's variables are announced before its first step: the story's opening values.
        if (example && example.steps === 0) {
          example.first.set(e.name, e.value);
          example.firstValues.push({ kind: "text", label: `${e.name} starts as`, text: clip(e.value) });
        }
        break;
      case "vote":
        sections.push({
          heading: `Vote${example ? ` for ${exampleName(example.started.example)}` : ""}: ${e.winner === undefined ? "no value gave an answer" : `the majority chose ${e.winner}`}`,
          parts: [
            {
              kind: "text",
              label: `The answer each value of ${e.variable} gives`,
              text: e.answers.map((a) => `${a.step === 0 ? "first value" : `after step ${a.step}`}: ${a.answer || "(none)"}`).join("\n"),
            },
            { kind: "text", label: "Kept", text: e.winner === undefined ? "the last value" : `the value ${e.chosenStep === 0 ? "it started with" : `after step ${e.chosenStep}`}, whose answer is ${e.winner}` },
          ],
          analogy:
            "Majority voting: each step's value is a sample of the answer, and the most common one is kept, as an ensemble's members vote. One noisy step cannot decide the result alone.",
        });
        break;
      case "example_finished": {
        const scored = typeof e.before === "number" || typeof e.after === "number";
        const score = (n: number | undefined | null) => (typeof n === "number" ? String(Number(n.toFixed(3))) : "–");
        if (scored) {
          // As the runtime's mean does, a missing score counts 0.
          const d = (typeof e.after === "number" ? e.after : 0) - (typeof e.before === "number" ? e.before : 0);
          moved[d > 0 ? "improved" : d < 0 ? "worse" : "unchanged"]++;
        }
        sections.push({
          heading: `End of ${exampleName(e.example)}${scored ? `: score ${score(e.before)} → ${score(e.after)}` : ""}`,
          parts: Object.entries(e.values)
            // A value that never changed (the frozen question) was shown as the example began.
            .filter(([n, v]) => example?.first.get(n) !== v)
            .map(([n, v]) => ({ kind: "text" as const, label: `${n} ends as`, text: clip(v) })),
          analogy: scored
            ? "The score compares the example's first values with its final ones on the same metric, as a test set is scored before and after fine-tuning; the data set's mean comes at the end."
            : "The example's final values: without a score: line the run cannot say whether they are better, only what changed.",
        });
        example = undefined;
        step = undefined;
        break;
      }
      case "each_finished": {
        const mean = (n: number | undefined | null) => (typeof n === "number" ? String(Number(n.toFixed(3))) : undefined);
        const before = mean(e.before);
        const after = mean(e.after);
        sections.push({
          heading: `All ${e.examples} example${e.examples === 1 ? "" : "s"} optimized${before !== undefined || after !== undefined ? `: mean score ${before ?? "–"} → ${after ?? "–"} (${moved.improved} improved, ${moved.worse} worse, ${moved.unchanged} unchanged)` : ""}`,
          parts: [],
          analogy:
            "The data set's result is the mean over its examples, each optimized on its own: like reporting a model's accuracy on a test set, except that here every example got its own optimization at test time.",
        });
        // A later each block counts its own examples.
        Object.assign(moved, { improved: 0, worse: 0, unchanged: 0 });
        break;
      }
      case "step_started":
        step = e;
        updated = false;
        received.clear();
        if (example) example.steps++;
        sections.push({
          heading: example
            ? `Step ${e.step} of ${exampleName(example.started.example)}`
            : `Step ${e.step}${e.epoch !== undefined ? ` (epoch ${e.epoch}, examples ${e.examples.join(", ")})` : ""}`,
          parts: [],
          analogy:
            e.examples.length > 1
              ? `A batch of ${e.examples.length} examples: each goes forward and backward on its own, and their gradients meet in one update per variable, as a mini-batch's gradients are averaged.`
              : "One step of gradient descent: forward, loss, backward, update.",
        });
        break;
      case "call": {
        const sample = of(e.sample);
        // The optimizer's system prompt is the same in every backward and update call: shown once.
        const system = e.messages.find((m) => m.role === "system");
        const shown = e.purpose === "backward" || e.purpose === "update" ? (sawSystem ? e.messages.filter((m) => m.role !== "system") : e.messages) : e.messages;
        if (system && (e.purpose === "backward" || e.purpose === "update")) sawSystem = true;
        if (e.purpose === "forward") {
          const kind = kindOf(index);
          sections.push({
            heading: `${kindHeading(kind)}: ${nodeName(graph, e.node ?? undefined, e.label)}${sample}`,
            parts: [
              { kind: "text", label: "Prompt sent", text: messagesText(e.messages) },
              { kind: "text", label: "Reply", text: clip(e.reply) },
            ],
            analogy:
              kind === "forward"
                ? "The forward pass: this node's value is computed from its inputs, in topological order, as a layer computes its activations."
                : kind === "initialization"
                  ? example
                    ? "Initialization: this example's own first value, computed anew for every example, as a model fitted to each example would start from fresh weights."
                    : "Initialization: a variable's first value, computed once before training, as weights are initialized before the first step."
                  : "Validation: the program runs on held-out examples to score the current values; no loss is computed and no gradient flows, as a model is evaluated on a validation set.",
          });
        } else if (e.purpose === "agent") {
          const kind = kindOf(index);
          const turn = e.messages.filter((m) => m.role === "assistant").length + 1;
          const calls = e.toolCalls ?? [];
          // A turn that calls tools is told at once, before its tools run (a tool written in .tg may call a model
          // itself); the turn that answers is told with the answer.
          agentTurns.set(`${e.node} ${e.sample}`, { call: e, turn, kind, shown: calls.length > 0 });
          if (calls.length > 0) {
            sections.push({
              heading: `${kindHeading(kind)}: ${nodeName(graph, e.node ?? undefined, e.label)}, turn ${turn}${sample}`,
              parts: [
                // Later turns read what came before: the tool calls and results told just above.
                ...(turn === 1 ? [{ kind: "text" as const, label: "Prompt sent", text: messagesText(e.messages) }] : []),
                ...(e.reply.trim() ? [{ kind: "text" as const, label: "Reply", text: clip(e.reply) }] : []),
                { kind: "text", label: calls.length === 1 ? "Tool call asked for" : "Tool calls asked for", text: calls.map((c) => callText(c.name, c.arguments)).join("\n") },
              ],
              analogy: [
                turn === 1 ? UNROLLED : "The loop's next time step: the model reads the task again with every call so far and its result, as a recurrent network's step reads the state the previous step left.",
                kind === "validation" ? NO_GRADIENT : "",
              ]
                .filter(Boolean)
                .join(" "),
            });
          }
        } else if (e.purpose === "loss") {
          pendingCall.set(`loss ${e.node} ${e.sample}`, e);
        } else if (e.purpose === "backward") {
          pendingCall.set(`backward ${e.label} ${e.sample}`, { ...e, messages: shown });
        } else if (e.purpose === "update") {
          pendingCall.set(`update ${e.label}`, { ...e, messages: shown });
        }
        break;
      }
      case "retrieval": {
        const kind = kindOf(index);
        sections.push({
          heading: `${kindHeading(kind)}: ${nodeName(graph, e.node, e.label)}${of(e.sample)}`,
          parts: [
            { kind: "text", label: "Query", text: clip(e.query) },
            {
              kind: "text",
              label: `Passages of ${e.corpus}, best first${e.index ? ` (ranked by ${e.index})` : ""}`,
              text: e.passages.length ? e.passages.map((p, i) => `${i + 1}. ${p.source} (score ${p.score.toFixed(2)}): ${inShort(p.text)}`).join("\n") : "(no passage matches)",
            },
          ],
          analogy: `${LOOKUP} ${
            kind === "validation"
              ? NO_GRADIENT
              : "So in the backward pass the feedback on what the passages lack goes, with the passages, to whatever wrote the query."
          }`,
        });
        break;
      }
      case "agent_step":
        sections.push({
          heading: `Tool call ${e.step} of ${nodeName(graph, e.node, e.label)}: ${e.tool}${e.failed ? ", failed" : ""}${of(e.sample)}`,
          parts: [
            { kind: "text", label: "Arguments", text: Object.entries(e.arguments).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join("\n") || "(none)" },
            { kind: "text", label: e.failed ? "Error, sent back to the agent as the tool's reply" : "Result", text: clip(e.result) },
          ],
          analogy: [
            `Step ${e.step} of the unrolled loop: the tool is a fixed function, like a layer without weights; the model wrote its arguments, and its result is the next turn's input. The trajectory numbers the step, so a gradient can name it.`,
            e.failed ? "A failed call does not stop the run: the error is the tool's reply, and the agent can read it and correct the call at its next turn." : "",
          ]
            .filter(Boolean)
            .join(" "),
        });
        break;
      case "agent_finished": {
        const key = `${e.node} ${e.sample}`;
        const last = agentTurns.get(key);
        agentTurns.delete(key);
        const kind = last?.kind ?? kindOf(index);
        // The turn that answered, unless it asked for tools it had no steps left for (told above).
        const answering = last && !last.shown ? last : undefined;
        sections.push({
          heading: `${kindHeading(kind)}: ${nodeName(graph, e.node, e.label)}${answering ? `, turn ${answering.turn}` : ""}: the answer, after ${toolCount(e.steps)}${e.exhausted ? " (out of steps)" : ""}${of(e.sample)}`,
          parts: [
            ...(answering?.turn === 1 ? [{ kind: "text" as const, label: "Prompt sent", text: messagesText(answering.call.messages) }] : []),
            { kind: "text", label: "Answer", text: clip(e.answer || "(none)") },
          ],
          analogy: [
            answering?.turn === 1 ? `${UNROLLED} This one answered at its first turn, without a tool: a loop of one step.` : "",
            e.exhausted ? "It made as many tool calls as max_steps allows and was told to answer: the loop is cut at a fixed length, as a recurrent network is unrolled for a fixed number of steps." : "",
            kind === "validation"
              ? `The answer is scored on a held-out example. ${NO_GRADIENT}`
              : "The node's value is the whole trajectory: each tool call with its arguments and result, then this answer. The loss reads it all, and the backward pass shows it numbered and asks at which step the agent went wrong, as backpropagation through time sends the gradient back through each step of an unrolled network.",
          ]
            .filter(Boolean)
            .join(" "),
        });
        break;
      }
      case "loss": {
        const call = pendingCall.get(`loss ${e.node} ${e.sample}`);
        sections.push({
          heading: `Loss: ${nodeName(graph, e.node, e.label)}${of(e.sample)}${e.loss !== undefined ? ` = ${e.loss.toFixed(2)}` : ""}`,
          parts: [...(call ? [{ kind: "text" as const, label: "Prompt sent to the judge", text: messagesText(call.messages) }] : []), { kind: "text", label: "Critique", text: clip(e.text || "(nothing to fix)") }],
          analogy:
            "The loss: in a network a single number; here a critique in words (with a score, when the rubric gives one, shown as 1 − score/10). The words say how the output is wrong, which a number cannot.",
        });
        break;
      }
      case "gradient": {
        // Several successors of one node, in one example: its gradients add up (a batch's examples are said apart).
        const key = `${e.to} ${e.sample}`;
        const count = (received.get(key) ?? 0) + 1;
        received.set(key, count);
        const call = pendingCall.get(`backward ${e.fromLabel} → ${e.toLabel} ${e.sample}`) ?? pendingCall.get(`backward ${e.fromLabel} ${e.sample}`);
        const source = graph.nodes[e.from];
        const fromLoss = source?.kind === "loss";
        const target = graph.nodes[e.to];
        sections.push({
          heading: `Backward: ${nodeName(graph, e.from, e.fromLabel)} → ${nodeName(graph, e.to, e.toLabel)}${of(e.sample)}`,
          parts: [...(call ? [{ kind: "text" as const, label: "What was asked", text: messagesText(call.messages) }] : []), { kind: "text", label: `Gradient reaching ${e.toLabel}`, text: clip(e.text) }],
          analogy: [
            fromLoss
              ? `The first link of the chain rule: the loss's critique becomes the gradient of the text it judged, advice on how that text should change.${target?.kind === "agent" ? " Here that text is the agent's whole trajectory, so the critique can name the step that went wrong." : ""}`
              : source?.kind === "retrieve"
                ? "Through the lookup: the passages cannot change (the corpus is data, and choosing has no gradient), so the feedback on what they lack goes, with the passages themselves, to the text that wrote the query, asking which words the query should contain to find what was missing."
                : source?.kind === "agent"
                  ? "Backpropagation through time: the backward prompt shows the whole trajectory, numbered, and asks at which step the agent first went wrong and how its input should change so that it acts differently there. Every turn read this same input, as a recurrent network's steps share their weights, so its one gradient answers for all of them."
                  : "The chain rule: the feedback this node received is passed back to its input, through what the node did with it (here, the prompt the input took part in).",
            target?.kind === "retrieve"
              ? "The passages took part in that prompt, so they get a gradient, as any activation does; it cannot change them (they are chosen, not computed), but the search's own backward step passes it on to the query."
              : "",
            count > 1 ? `This is gradient ${count} to reach ${e.toLabel} in this step: like partial derivatives from several successors, they add up; the update reads them all.` : "",
            target?.kind === "variable" && target.trainable ? `${e.toLabel} is trainable: its gradients wait for the optimizer.` : "",
          ]
            .filter(Boolean)
            .join(" "),
        });
        break;
      }
      case "update": {
        updated = true;
        const call = pendingCall.get(`update update ${e.variable}`);
        const momentum = call?.messages.some((m) => m.content.includes("<PAST_VALUES>")) ?? false;
        sections.push({
          heading: `Update: ${e.variable}`,
          parts: [
            ...(call ? [{ kind: "text" as const, label: "The optimizer's prompt", text: messagesText(call.messages) }] : []),
            { kind: "diff", label: `${e.variable}, before → after`, lines: lineDiff(e.before, e.after) },
          ],
          analogy: [
            "The update: where gradient descent computes w ← w − η·∇L, textual gradient descent asks a model to rewrite the variable as its gradients say.",
            momentum ? "Momentum: the prompt also shows the variable's earlier values, so the step keeps a consistent direction, as momentum averages past gradients." : "",
          ]
            .filter(Boolean)
            .join(" "),
        });
        break;
      }
      case "update_skipped":
        updated = true;
        sections.push({
          heading: `No update: ${e.variable}`,
          parts: [{ kind: "text", label: "Why", text: e.reason }],
          analogy: "A zero gradient leaves a weight where it is.",
        });
        break;
      case "validation":
        if (e.step > 0) {
          sections.push({
            heading: `Validation after step ${e.step}: ${e.score.toFixed(3)}${e.reverted ? " (worse: reverted)" : ""}`,
            parts: [],
            analogy: e.reverted
              ? "Keep-best: the update made the held-out score worse, so it is undone, as one keeps the best checkpoint."
              : "Validation: the held-out score after the update, to see whether the training generalizes.",
          });
        }
        break;
      default:
        break;
    }
  }
  const engines = simulated?.map((e) => e.name).join(", ");
  return {
    title: `tgc explain ${program}`,
    simulated: simulated?.length ? `SIMULATED (${engines}): the replies come from ${started!.engines.every((e) => e.id.startsWith("scripted:")) ? "a rules file" : "tgc's deterministic simulator"}; they show the mechanics, not a model's quality.` : undefined,
    sections: condenseValidation(sections),
  };
}

/**
 * Validation runs the same calls for every held-out example. The first example's are told in full; the others, which
 * would only repeat them for a class, become one section that says how many there were.
 */
function condenseValidation(sections: readonly Section[]): Section[] {
  const isValidationCall = (s: Section) => /^Validation( before training)?: /.test(s.heading);
  const out: Section[] = [];
  for (let i = 0; i < sections.length; ) {
    if (!isValidationCall(sections[i]!)) {
      out.push(sections[i++]!);
      continue;
    }
    let end = i;
    while (end < sections.length && isValidationCall(sections[end]!)) end++;
    // One example's calls end where the first call's heading comes round again.
    const repeat = sections.slice(i + 1, end).findIndex((s) => s.heading === sections[i]!.heading);
    const perExample = repeat < 0 ? end - i : repeat + 1;
    out.push(...sections.slice(i, i + perExample));
    const rest = end - i - perExample;
    if (rest > 0) {
      const examples = Math.round(rest / perExample);
      out.push({
        heading: `${sections[i]!.heading.startsWith("Validation before training") ? "Validation before training" : "Validation"}: the same for the other ${examples} example${examples === 1 ? "" : "s"}`,
        parts: [{ kind: "text", label: "Not shown", text: `${rest} more ${rest === 1 ? "computation" : "computations"} like the ones above, one set per held-out example; the run's events keep them all.` }],
        analogy: "A validation set is scored example by example with the same computation; only the score matters, and it follows.",
      });
    }
    i = end;
  }
  return out;
}

/** A line diff: removed lines with "-", added with "+", kept with " ". */
export function lineDiff(before: string, after: string): { op: "+" | "-" | " "; text: string }[] {
  const out: { op: "+" | "-" | " "; text: string }[] = [];
  for (const change of diffLines(before.endsWith("\n") ? before : `${before}\n`, after.endsWith("\n") ? after : `${after}\n`)) {
    const op = change.added ? "+" : change.removed ? "-" : " ";
    for (const line of change.value.replace(/\n$/, "").split("\n")) out.push({ op, text: line });
  }
  return out;
}

/** The narration as terminal text. */
export function narrationText(n: Narration): string {
  const out = [n.title, ...(n.simulated ? [n.simulated] : []), ""];
  n.sections.forEach((s, i) => {
    out.push(`${i + 1}. ${s.heading}`);
    for (const p of s.parts) {
      out.push(`   ${p.label}:`);
      if (p.kind === "text") out.push(...p.text.split("\n").map((l) => `     │ ${l}`));
      else out.push(...p.lines.map((l) => `     ${l.op} ${l.text}`));
    }
    out.push(`   ↳ ${s.analogy}`, "");
  });
  return out.join("\n");
}

const esc = (t: string) => t.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The narration as one self-contained lesson page: no script, no network. */
export function narrationHtml(n: Narration): string {
  const css = `body{font:16px/1.5 "DejaVu Sans",system-ui,sans-serif;max-width:920px;margin:2em auto;padding:0 1em;color:#1f2937;background:#fafafa}
h1{font-size:1.5em}section{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:.8em 1.2em;margin:1em 0}
h2{font-size:1.1em;margin:.2em 0 .6em}pre{background:#f3f4f6;padding:.6em .8em;border-radius:6px;white-space:pre-wrap;font-size:13px;max-height:24em;overflow:auto}
.label{font-weight:600;font-size:.9em;color:#4b5563;margin:.6em 0 .2em}.analogy{border-left:4px solid #6366f1;padding:.3em .8em;background:#eef2ff;color:#3730a3}
.banner{background:#fef3c7;border:1px solid #f59e0b;border-radius:8px;padding:.6em 1em}.add{background:#dcfce7;display:block}.del{background:#fee2e2;text-decoration:line-through;display:block}`;
  const part = (p: Part) =>
    p.kind === "text"
      ? `<div class="label">${esc(p.label)}</div><pre>${esc(p.text)}</pre>`
      : `<div class="label">${esc(p.label)}</div><pre>${p.lines.map((l) => `<span class="${l.op === "+" ? "add" : l.op === "-" ? "del" : "same"}">${esc(`${l.op} ${l.text}`)}</span>`).join("")}</pre>`;
  const sections = n.sections.map((s, i) => `<section><h2>${i + 1}. ${esc(s.heading)}</h2>${s.parts.map(part).join("")}<p class="analogy">${esc(s.analogy)}</p></section>`).join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>${esc(n.title)}</title><style>${css}</style></head><body><h1>${esc(n.title)}</h1>${n.simulated ? `<p class="banner">${esc(n.simulated)}</p>` : ""}\n${sections}\n</body></html>\n`;
}

