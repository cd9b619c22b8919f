// An agent's loop: the engine is offered the tools; each tool call it asks for is checked against the tool's
// parameters and run (a `.tg` function's nodes with its arguments set, or a native), and its result goes back as
// the tool's reply, until the engine answers or has made as many calls as it may. A call with bad arguments, to an
// unknown tool, or that fails, is answered with the error, so the model can repair it; it never ends the run.
import type { AgentStep, Message, ToolCall, ToolSpec } from "../engines/engine.js";
import type { GraphNode, Tool } from "../ir/graph.js";
import { askWithTools, RuntimeFailure, type RuntimeContext } from "./context.js";
import { forward, textOf, type ForwardInput, type Value } from "./forward.js";

type AgentNode = Extract<GraphNode, { kind: "agent" }>;

/** The name a tool goes by on the wire (providers allow letters, digits, `_` and `-`): its own, unqualified. */
const wireName = (t: Tool) => t.name.slice(t.name.lastIndexOf("#") + 1);

export function toolSpecs(tools: readonly Tool[]): ToolSpec[] {
  return tools.map((t) => ({ name: wireName(t), description: t.description, parameters: t.parameters.map((p) => ({ name: p.name, type: p.type })) }));
}

/** A call's arguments as the tool's parameters take them (text), or what is wrong with them. */
function readArguments(tool: Tool, call: ToolCall): { values: string[] } | { error: string } {
  if ("__malformed" in call.arguments) return { error: `the arguments are not valid JSON: ${String(call.arguments["__malformed"]).slice(0, 200)}` };
  const values: string[] = [];
  for (const p of tool.parameters) {
    const v = call.arguments[p.name];
    if (v === undefined || v === null) return { error: `missing argument '${p.name}' (${p.type})` };
    if (p.type === "number") {
      const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
      if (!Number.isFinite(n)) return { error: `argument '${p.name}' must be a number, not ${JSON.stringify(v)}` };
      values.push(String(n));
    } else if (p.type === "bool") {
      if (v !== true && v !== false && v !== "true" && v !== "false") return { error: `argument '${p.name}' must be true or false, not ${JSON.stringify(v)}` };
      values.push(String(v));
    } else {
      values.push(typeof v === "string" ? v : JSON.stringify(v));
    }
  }
  return { values };
}

async function runTool(ctx: RuntimeContext, tools: readonly Tool[], call: ToolCall, input: ForwardInput): Promise<{ result: string; failed: boolean }> {
  const tool = tools.find((t) => wireName(t) === call.name);
  if (!tool) return { result: `unknown tool '${call.name}'; the tools are: ${tools.map(wireName).join(", ")}`, failed: true };
  const args = readArguments(tool, call);
  if ("error" in args) return { result: args.error, failed: true };
  const preset = new Map<number, Value>(tool.parameters.map((p, i) => [p.node, { kind: "text", text: args.values[i]! }]));
  try {
    const values = await forward(ctx, [tool.result], input, preset);
    return { result: textOf(values.get(tool.result)), failed: false };
  } catch (e) {
    // A native that fails on these arguments (a calculator given "2 +") tells the model so; anything else stops the run.
    if (e instanceof RuntimeFailure && e.code === "TG4007") return { result: e.message.replace(/^\S+ failed: /, ""), failed: true };
    throw e;
  }
}

const argumentText = (args: Readonly<Record<string, unknown>>) =>
  Object.entries(args)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(", ");

/** A trajectory as the program reads it: each step's call and result, then the final answer. */
export function trajectoryText(steps: readonly AgentStep[], answer: string): string {
  const lines = steps.map((s, i) => {
    const result = s.result.includes("\n") ? `\n${s.result.replace(/^/gm, "  ")}` : ` ${s.result}`;
    return `Step ${i + 1}: ${s.call.name}(${argumentText(s.call.arguments)}) → ${s.failed ? "error:" : "returned:"}${result}`;
  });
  if (steps.length === 0) lines.push("Step 1: no tool call; the agent answered directly.");
  lines.push("Final answer:", answer);
  return lines.join("\n");
}

export async function runAgent(ctx: RuntimeContext, n: AgentNode, input: ForwardInput, text: (id: number) => string): Promise<Value> {
  const system = n.system === undefined ? undefined : text(n.system);
  const user = text(n.user);
  const tools = toolSpecs(n.tools);
  const messages: Message[] = [...(system !== undefined ? [{ role: "system" as const, content: system }] : []), { role: "user", content: user }];
  const steps: AgentStep[] = [];
  const site = { node: n.id, label: n.label, sample: input.sample };
  let answer = "";
  let exhausted = false;
  for (;;) {
    const left = n.maxSteps - steps.length;
    if (left <= 0) {
      exhausted = true;
      messages.push({ role: "user", content: `You have made ${n.maxSteps} tool calls, as many as allowed. Answer now, without calling a tool.` });
    }
    // A snapshot: the conversation grows after this turn, and the turn's record must show what was sent.
    const prompt = { messages: [...messages], prefixMarks: system !== undefined ? [{ message: 0, chars: system.length }] : [] };
    const context = { purpose: "agent" as const, system, user, role: n.role, tools, trajectory: [...steps], turnsLeft: Math.max(0, left) };
    const reply = await askWithTools(ctx, n.engine, prompt, context, site, n.options, tools);
    const calls = reply.toolCalls ?? [];
    if (calls.length === 0 || left <= 0) {
      answer = reply.text.trim() || (calls.length ? "(no answer: the agent asked for more tool calls than it had left)" : "");
      break;
    }
    // Calls beyond the steps left are not run; each still gets a reply, as the providers require.
    messages.push({ role: "assistant", content: reply.text, toolCalls: calls });
    for (const call of calls) {
      const outcome = steps.length < n.maxSteps ? await runTool(ctx, n.tools, call, input) : { result: "not run: no tool calls are left", failed: true };
      if (steps.length < n.maxSteps) {
        steps.push({ call, result: outcome.result, failed: outcome.failed });
        ctx.emit({ type: "agent_step", node: n.id, label: n.label, sample: input.sample, step: steps.length, tool: call.name, arguments: call.arguments, result: outcome.result, failed: outcome.failed });
      }
      messages.push({ role: "tool", toolCallId: call.id, name: call.name, content: outcome.result });
    }
  }
  ctx.emit({ type: "agent_finished", node: n.id, label: n.label, sample: input.sample, steps: steps.length, answer, exhausted });
  return { kind: "trajectory", steps, answer, text: trajectoryText(steps, answer) };
}
