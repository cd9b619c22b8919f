// `sim`: a deterministic offline engine. It does not model language; it answers each purpose from the structured
// request so that every program runs with no key and every step of textual differentiation is visible:
// - forward: a response that follows the instructions it recognizes in the prompt (numbered steps, a final
//   "Answer:" line, listing items, using the given quantities) and quotes the question;
// - loss: the checks in checks.ts, each critique quoting the text it judges, and a score;
// - backward: the critique turned into a change to the variable ("Suggested change: …"): a direct edit for an
//   evaluated text, or the instruction a prompt lacks; an instruction to raise or lower a named weight
//   ("Raise the rectum weight (now 100)") doubles or halves that weight on the variable's line for it;
// - update: those suggested changes applied, in order, so the new value visibly follows from its gradients;
// - propose (the whole-graph optimizer): for each variable, the change backward would suggest from the step's
//   feedback, applied as update would, in one reply.
import { estimateTokens, usageOf, yieldToEventLoop, type EmbeddingReply, type Engine, type EngineReply, type EngineRequest, type RequestContext } from "../engine.js";
import { agentTurn } from "./agent.js";
import { answerFromPassages, asksForQuery, embedText, hasPassages, retrievalGradient, writeQuery } from "./retrieval.js";
import { applyEdit, checks, checksIn, decodeEdits, encodeEdit, type Edit } from "./checks.js";
import { wordChange } from "../word-change.js";
import { clip, hash, itemList, itemsAskedAbout, quantities, sentences, words } from "./text.js";

type Ctx<P extends RequestContext["purpose"]> = Extract<RequestContext, { purpose: P }>;

export class SimEngine implements Engine {
  readonly simulated = true;
  constructor(readonly id = "sim") {}

  async complete(request: EngineRequest): Promise<EngineReply> {
    await yieldToEventLoop();
    if (request.context.purpose === "agent") {
      const turn = agentTurn(request.context);
      const usage = usageOf(request, turn.text + JSON.stringify(turn.toolCalls ?? []));
      return turn.toolCalls ? { text: turn.text, toolCalls: turn.toolCalls, usage, finishReason: "tool_calls" } : { text: turn.text, usage, finishReason: "stop" };
    }
    const text = this.reply(request.context);
    return { text, usage: usageOf(request, text), finishReason: "stop" };
  }

  /** The stand-in for an embeddings endpoint (see embedText): deterministic, and honest that it is no model. */
  async embed(texts: readonly string[]): Promise<EmbeddingReply> {
    await yieldToEventLoop();
    return { vectors: texts.map(embedText), usage: { inputTokens: texts.reduce((n, t) => n + estimateTokens(t), 0), outputTokens: 0 } };
  }

  private reply(c: RequestContext): string {
    switch (c.purpose) {
      case "forward":
        return forward(c);
      case "agent":
        return agentTurn(c).text;
      case "loss":
        return critique(c);
      case "backward":
        return backward(c);
      case "update":
        return update(c);
      case "condense":
        return condense(c);
      case "propose":
        return propose(c);
      default: {
        const never: never = c;
        return never;
      }
    }
  }
}

/**
 * A request to complete a Python function from its signature and docstring (a HumanEval prompt). The simulator
 * writes no code, and says so in code that runs: the tests then report its NotImplementedError, and the rest of
 * the loop (critique, gradient, update) shows its mechanics on that.
 */
function pythonStub(c: Ctx<"forward">): string | undefined {
  const lines = c.user.replace(/\s+$/, "").split("\n");
  // HumanEval's shape: the user message is code that ends in a function still to write (its signature, or the end of
  // its docstring), and the request mentions Python.
  const open = /^def \w+\(.*:$/.test(lines.at(-1)!) || /^\s+("""|''')$/.test(lines.at(-1)!);
  if (!open || !lines.some((l) => /^def \w+\(.*:\s*$/.test(l)) || !/python/i.test(`${c.system ?? ""}\n${c.user}`)) return undefined;
  const indent = /^\s+/.exec(lines.at(-1)!)?.[0] ?? "    ";
  return ["```python", ...lines, `${indent}raise NotImplementedError("the simulator writes no code")`, "```"].join("\n");
}

function forward(c: Ctx<"forward">): string {
  const stub = pythonStub(c);
  if (stub) return stub;
  const prompt = `${c.system ?? ""}\n${c.user}`;
  const follows = (id: string) => checks.find((k) => k.id === id)!.followedBy(prompt);
  if (asksForQuery(c.system)) return writeQuery(c.system, c.user);
  if (hasPassages(c.user)) return answerFromPassages(c.user, (id) => checks.find((k) => k.id === id)!.followedBy(c.system ?? ""));
  const parts = sentences(c.user);
  const given = parts.filter((s) => !s.includes("?"));
  const asked = parts.filter((s) => s.includes("?"));
  const items = itemList(c.user);
  let value: string;
  const body: string[] = [];
  if (items.length && /how many/i.test(c.user)) {
    if (follows("items")) {
      const counted = itemsAskedAbout(c.user, items);
      body.push(`Items: ${items.map((i) => `${i.quantity} ${i.name}`).join("; ")}.`);
      value = String(counted.reduce((n, i) => n + i.quantity, 0));
      body.push(`Counting only ${counted.map((i) => i.name).join(", ")} gives ${value}.`);
    } else {
      value = String(items.length);
      body.push(`There are ${value} things in the list.`);
    }
  } else if (/\(A\)[\s\S]*\(B\)/.test(c.user)) {
    // A multiple-choice question: the simulator does not reason either; it names a stable letter.
    value = "ABCD"[hash(prompt) % 4]!;
    body.push(`Weighing the options, the best fit is (${value}).`);
  } else {
    // The simulator does not reason: its "result" is a stable number derived from the prompt.
    value = ((hash(prompt) % 90) + 10) / 10 + "";
    body.push(`Putting these together gives ${value}.`);
  }
  if (given.length) body.unshift(`The question gives: ${clip(given[0]!, 12)}`);
  if (asked.length) body.splice(1, 0, `It asks: ${clip(asked.join(" "), 20)}`);
  if (follows("quantities")) {
    const q = quantities(c.user);
    if (q.length) body.splice(1, 0, `It uses ${q.join(", ")}.`);
  }
  const lines = follows("steps") ? body.map((s, i) => `Step ${i + 1}: ${s}`) : [body.join(" ")];
  if (follows("final-answer")) lines.push(`Answer: ${value}`);
  return lines.join("\n");
}

function critique(c: Ctx<"loss">): string {
  const context = c.context.map((x) => x.text);
  const found: string[] = [];
  let applicable = 0;
  for (const t of c.targets) {
    for (const k of checks) {
      if (k.applies && !k.applies({ target: t.text, context })) continue;
      const problem = k.find({ target: t.text, context });
      applicable++;
      if (problem) found.push(c.targets.length > 1 ? `${t.label}: ${problem}` : problem);
    }
  }
  const score = Math.round((10 * (applicable - found.length)) / Math.max(1, applicable));
  const shown = found.slice(0, 2);
  const head = `Judged against the criteria ("${clip(c.criteria, 12)}"):`;
  if (shown.length === 0) return `${head}\nNo remaining problems found: the response is organized, complete and states its result.\nScore: 10/10`;
  return `${head}\n${shown.map((p, i) => `${i + 1}. ${p}`).join("\n")}\nScore: ${score}/10`;
}

function backward(c: Ctx<"backward">): string {
  if (c.process?.kind === "retrieval") return retrievalGradient(c.variable, c.process.passages, c.feedback.join("\n"));
  const feedback = c.feedback.join("\n");
  // Feedback that says it is not about what came before (a search that found the right passages) asks no change.
  if (c.feedback.length > 0 && c.feedback.every((f) => /not what needs to change/.test(f))) {
    return "The feedback is not about this variable: it needs no change.";
  }
  const adjusted = weightEdits(feedback, c.variable);
  if (adjusted.length) return adjusted.flatMap(({ instruction, edit }) => [`The feedback says: ${instruction}.`, encodeEdit(edit)]).join("\n");
  // An agent's wrong total is a symptom of the step that went wrong: when the feedback names that step, it is what
  // the instruction should address (counting advice would not help an agent that never called its calculator).
  const named = checksIn(feedback);
  const found = named.some((k) => k.id === "tool-unused" || k.id === "tool-error") ? named.filter((k) => k.id !== "reference") : named;
  if (found.length === 0) {
    const first = sentences(feedback.replace(/^Judged against[^\n]*\n/, ""))[0] ?? feedback;
    return `The feedback says: ${clip(first, 30)}\n${encodeEdit({ op: "append", text: `Address this: ${clip(first, 20)}` })}`;
  }
  const lines: string[] = [];
  for (const k of found) {
    const quoted = feedback.split("\n").find((l) => k.phrase.test(l))?.replace(/^\s*(\d+\.\s*)?(The evaluation found: )?/, "") ?? k.id;
    if (c.relation === "evaluated") {
      lines.push(`The evaluation found: ${quoted}`, encodeEdit(k.fix(c.variable, quoted)));
    } else if (k.followedBy(c.variable)) {
      lines.push(`The output (${c.outputRole}) still has this problem although the variable asks to avoid it: ${quoted} Make that instruction more prominent.`);
      lines.push(encodeEdit({ op: "replace", from: k.instruction, to: `Important: ${k.instruction}` }));
    } else {
      lines.push(`The output (${c.outputRole}) has this problem: ${quoted} The variable never asks to avoid it.`, encodeEdit({ op: "append", text: k.instruction }));
    }
  }
  return lines.join("\n");
}

/**
 * "Raise the NAME weight (now N)" / "Lower …": the variable's line that starts with NAME and holds "weight N", with
 * the weight doubled or halved. Instructions naming a weight the variable does not hold are left out.
 */
function weightEdits(feedback: string, variable: string): { instruction: string; edit: Edit }[] {
  const out: { instruction: string; edit: Edit }[] = [];
  const lines = variable.split("\n");
  for (const m of feedback.matchAll(/\b(raise|increase|lower|reduce|decrease) the ([^()\n]+?) weight \(now (\d+(?:\.\d+)?)\)/gi)) {
    const [instruction, verb, name, now] = [m[0], m[1]!, m[2]!.toLowerCase(), m[3]!];
    const weight = new RegExp(`(weight\\s*[:=]?\\s*)${now.replace(".", "\\.")}(?![\\d.])`);
    const line = lines.find((l) => l.trim().toLowerCase().startsWith(name) && weight.test(l));
    if (line === undefined || out.some((o) => o.edit.op === "replace" && o.edit.from === line)) continue;
    const next = Number((Number(now) * (/raise|increase/i.test(verb) ? 2 : 0.5)).toFixed(2));
    out.push({ instruction, edit: { op: "replace", from: line, to: line.replace(weight, `$1${next}`) } });
  }
  return out;
}

function update(c: Ctx<"update">): string {
  const edits: Edit[] = [];
  const seen = new Set<string>();
  for (const g of c.gradients) {
    for (const e of decodeEdits(g)) {
      const key = JSON.stringify(e);
      if (!seen.has(key)) edits.push(e);
      seen.add(key);
    }
  }
  let value = c.variable;
  const applied: string[] = [];
  // The simulator cannot fix code: a note it adds to code goes in as a comment, so the code still runs.
  const comment = /^\s*(def |class |import |from )/m.test(value) ? "# " : /\bfunction\b|=>|\bconst\b/.test(value) ? "// " : undefined;
  for (const raw of edits) {
    const e = comment && raw.op === "append" && raw.text.startsWith("Address this:") ? { ...raw, text: comment + raw.text } : raw;
    const next = applyEdit(value, e);
    // A step size: the edits that would move the value further than it allows wait for a later step.
    if (c.maxChange !== undefined && wordChange(c.variable, next) > c.maxChange) continue;
    if (next !== value) applied.push(encodeEdit(e).replace("Suggested change: ", ""));
    value = next;
  }
  if (c.rejected.some((r) => r.value === value)) value = `${value.trimEnd()}\nBe careful and precise.`;
  const limit = c.constraints.map((x) => /under (\d+) words/i.exec(x)).find(Boolean);
  if (limit && words(value).length > Number(limit[1])) value = words(value).slice(0, Number(limit[1])).join(" ");
  const summary = applied.length ? `Applied ${applied.length} change(s): ${applied.join("; ")}.` : "No suggested change applies; the value is kept.";
  return `${summary}\n<IMPROVED_VARIABLE>\n${value}\n</IMPROVED_VARIABLE>`;
}

function propose(c: Ctx<"propose">): string {
  const blocks: string[] = [];
  for (const v of c.variables) {
    const gradient = backward({ purpose: "backward", variable: v.value, variableRole: v.role, relation: v.relation, output: v.value, outputRole: "the program's output", feedback: c.feedback, prompt: undefined });
    const updated = update({ purpose: "update", variable: v.value, variableRole: v.role, gradients: [gradient], pastValues: v.pastValues, pastGradients: [], rejected: v.rejected, constraints: c.constraints, examples: c.examples, maxChange: undefined });
    const value = /<IMPROVED_VARIABLE>\n([\s\S]*)\n<\/IMPROVED_VARIABLE>/.exec(updated)?.[1];
    if (value !== undefined && value !== v.value) blocks.push(`<VARIABLE name="${v.name}">\n${value}\n</VARIABLE>`);
  }
  return blocks.length ? `Changes for ${blocks.length} variable(s), from the feedback.\n${blocks.join("\n")}` : "No change follows from the feedback.\n<NO_CHANGE/>";
}

function condense(c: Ctx<"condense">): string {
  const lines = new Set<string>();
  for (const g of c.gradients) for (const l of g.split("\n")) if (l.trim()) lines.add(l.trim());
  return `<FEEDBACK>\n${[...lines].join("\n")}\n</FEEDBACK>`;
}
