// tgc's TypeScript API: what `import … from "tgc"` gives an application. Compile a `.tg` program, run or evaluate it
// with engines of your own, and register native functions (scorers, tools, retrievers) for programs to import.
// Every export here is documented in docs/api.md, which `npm run docs:api` writes from these declarations.

export { compile, type CompileInput, type CompileOptions, type CompileResult, type Program } from "./program.js";
export { run, evaluate, type Engines, type DataFiles, type RunOptions, type RunResult, type StepLoss, type Validation, type EvaluateOptions, type EvaluateResult } from "./run.js";
export { defineNative, defineNatives, type NativeDefinition, type NativeModule, type NativeReturns, type NativeSignature, type NativeValue } from "./natives.js";
export { defineEngine, simEngine, programEngines, type EngineAnswer, type EngineDefinition, type ProgramEngineOptions } from "./engines.js";

// The types the API's values are made of.
export type { Diagnostic, Range, Severity } from "../diagnostics/diagnostic.js";
export type { Engine, EngineReply, EngineRequest, Message, RequestContext, SamplingOptions, Usage } from "../engines/engine.js";
export { EngineError } from "../engines/engine.js";
export type { DataHost, Example } from "../runtime/data.js";
export type { RunEvent } from "../runtime/events.js";
export type { MetricScores } from "../runtime/evaluate.js";
export type { NativeFunction, NativeRegistry, NativeResult } from "../runtime/natives.js";
export type { Graph } from "../ir/graph.js";
