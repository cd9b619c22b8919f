// An agent's tool loop through `tgc run` against loopback servers that speak OpenAI's and Anthropic's wire formats:
// the tools offered as each API defines them, the model's tool calls run, and their results sent back as each API
// requires, through the real SDKs.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startAnthropicServer, startOpenAIServer, type Behavior, type FakeServer, type RecordedRequest } from "../engines/fake-providers.js";
import { root, stackTrace, tgcAsync } from "./run-cli.js";

const KEY = "sk-test-agent-0123456789";


/** examples/agent.tg with one example and one step, in a folder of its own. */
function program(): string {
  const dir = mkdtempSync(join(tmpdir(), "tgc-agent-"));
  mkdirSync(join(dir, "agent"));
  writeFileSync(join(dir, "agent/shopping.train.jsonl"), readFileSync(join(root, "examples/agent/shopping.train.jsonl"), "utf8").split("\n")[0] + "\n");
  copyFileSync(join(root, "examples/agent/shopping.val.jsonl"), join(dir, "agent/shopping.val.jsonl"));
  const source = readFileSync(join(root, "examples/agent.tg"), "utf8").replace("batch: 3", "batch: 1").replace("epochs: 4", "epochs: 1").replace(/\n  validate:[^\n]*/, "");
  writeFileSync(join(dir, "agent.tg"), source);
  return join(dir, "agent.tg");
}

type Body = { messages: { role: string; content: unknown; tool_calls?: unknown }[]; tools?: unknown[]; system?: unknown };
const flat = (c: unknown): string => (typeof c === "string" ? c : Array.isArray(c) ? c.map((b: { text?: string; content?: unknown }) => b.text ?? flat(b.content)).join("") : "");

/** A model that calls the calculator once, then answers with its result; and a terse teacher. */
function toolUser(req: RecordedRequest): Behavior {
  const body = req.body as Body;
  const all = body.messages.map((m) => flat(m.content)).join("\n") + flat(body.system);
  if (body.tools?.length) {
    const result = /"?(?:content|tool_result)"?[^]*?(\d+(?:\.\d+)?)\s*$/.exec(flat(body.messages.at(-1)!.content))?.[1];
    const answered = body.messages.some((m) => m.role === "tool" || (Array.isArray(m.content) && m.content.some((b: { type?: string }) => b.type === "tool_result")));
    return answered
      ? { kind: "reply", text: `The calculator says ${result}.\nAnswer: ${result}` }
      : { kind: "reply", text: "", toolCalls: [{ name: "calculate", arguments: { expression: "3 * 2.50 + 2 * 1.25" } }] };
  }
  if (all.includes("This step is the update")) return { kind: "reply", text: "<IMPROVED_VARIABLE>\nUse the calculate tool for every sum.\n</IMPROVED_VARIABLE>" };
  if (all.includes("This step is the backward pass")) return { kind: "reply", text: "Step 1 was right; ask for the tool explicitly." };
  return { kind: "reply", text: "The trajectory uses the calculator correctly.\nScore: 8/10" };
}

let server: FakeServer | undefined;
afterEach(async () => server?.close());

describe("an agent through the providers' tool APIs", () => {
  it("OpenAI: tools as functions, tool_calls run, results as tool messages", async () => {
    server = await startOpenAIServer({ apiKey: KEY });
    server.setDefault(toolUser);
    const r = await tgcAsync(["run", program(), "--engine", "openai:gpt-4o-mini", "--no-cache", "--no-save"], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url });
    expect(r.stderr).not.toMatch(stackTrace);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/step 1 \[example 0\] calculate\(expression: "3 \* 2\.50 \+ 2 \* 1\.25"\)/);
    expect(r.stdout).toMatch(/answer \[example 0\] after 1 tool call/);
    const agentCalls = server.requests.map((q) => q.body as Body).filter((b) => b.tools?.length);
    expect(agentCalls[0]!.tools![0]).toEqual({
      type: "function",
      function: {
        name: "calculate",
        description: expect.stringContaining("arithmetic expression"),
        parameters: { type: "object", properties: { expression: { type: "string" } }, required: ["expression"], additionalProperties: false },
      },
    });
    const followUp = agentCalls[1]!.messages;
    const assistant = followUp.find((m) => m.role === "assistant")!;
    const call = (assistant.tool_calls as { id: string; type: string; function: { name: string; arguments: string } }[])[0]!;
    expect(call).toMatchObject({ type: "function", function: { name: "calculate", arguments: JSON.stringify({ expression: "3 * 2.50 + 2 * 1.25" }) } });
    expect(followUp.at(-1)).toEqual({ role: "tool", tool_call_id: call.id, content: "10" });
  }, 60_000);

  it("Anthropic: tools with input schemas, tool_use blocks run, results as tool_result blocks", async () => {
    server = await startAnthropicServer({ apiKey: KEY });
    server.setDefault(toolUser);
    const r = await tgcAsync(["run", program(), "--engine", "anthropic:claude-sonnet-4-5", "--no-cache", "--no-save"], { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url });
    expect(r.stderr).not.toMatch(stackTrace);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/answer \[example 0\] after 1 tool call/);
    const agentCalls = server.requests.map((q) => q.body as Body).filter((b) => b.tools?.length);
    expect(agentCalls[0]!.tools![0]).toEqual({
      name: "calculate",
      description: expect.stringContaining("arithmetic expression"),
      input_schema: { type: "object", properties: { expression: { type: "string" } }, required: ["expression"], additionalProperties: false },
    });
    const followUp = agentCalls[1]!.messages;
    const use = (followUp.find((m) => m.role === "assistant")!.content as { type: string; id: string; name: string; input: unknown }[]).find((b) => b.type === "tool_use")!;
    expect(use).toMatchObject({ name: "calculate", input: { expression: "3 * 2.50 + 2 * 1.25" } });
    const last = followUp.at(-1)!;
    expect(last.role).toBe("user");
    expect(last.content).toEqual([expect.objectContaining({ type: "tool_result", tool_use_id: use.id, content: "10" })]);
  }, 60_000);
});
