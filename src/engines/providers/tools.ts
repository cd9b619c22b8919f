// What both providers share about tools: a tool's parameters as a JSON Schema object, and a model's arguments read
// back without ever throwing (the runtime tells the model what was wrong with them).
import type { ToolCall, ToolParameter, ToolSpec } from "../engine.js";

/** The JSON Schema of a tool's input: an object with every parameter required and nothing else allowed. */
export interface ParametersSchema {
  readonly type: "object";
  readonly properties: Record<string, { readonly type: "string" | "number" | "boolean"; readonly description?: string }>;
  readonly required: string[];
  readonly additionalProperties: false;
}

const jsonType = { text: "string", number: "number", bool: "boolean" } as const satisfies Record<ToolParameter["type"], string>;

export function parametersSchema(tool: ToolSpec): ParametersSchema {
  const properties: ParametersSchema["properties"] = {};
  for (const p of tool.parameters) properties[p.name] = { type: jsonType[p.type], ...(p.description !== undefined ? { description: p.description } : {}) };
  return { type: "object", properties, required: tool.parameters.map((p) => p.name), additionalProperties: false };
}

/** The key under which arguments that are not a JSON object are kept, raw, so the runtime can tell the model. */
export const MALFORMED = "__malformed";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A model's arguments (a JSON string on OpenAI's wire): the object, or `{ __malformed: raw }`. Never throws. */
export function parseArguments(raw: string): ToolCall["arguments"] {
  if (raw.trim() === "") return {}; // some servers send nothing for a call without parameters
  try {
    const value: unknown = JSON.parse(raw);
    return isRecord(value) ? value : { [MALFORMED]: raw };
  } catch {
    return { [MALFORMED]: raw };
  }
}

/** Arguments as an object from a provider that sends them parsed (Anthropic's `input`). */
export function argumentsOf(input: unknown): ToolCall["arguments"] {
  return isRecord(input) ? input : { [MALFORMED]: JSON.stringify(input) ?? String(input) };
}

/** The arguments as the model wrote them: the raw text of malformed ones, else their JSON. */
export function argumentsText(args: ToolCall["arguments"]): string {
  const keys = Object.keys(args);
  const raw = args[MALFORMED];
  return keys.length === 1 && typeof raw === "string" ? raw : JSON.stringify(args);
}
