// The registry of the stdlib's native functions, keyed as the runtime looks them up ("std/metrics.exact_number").
import { nativeKey, type NativeFunction, type NativeRegistry } from "../src/runtime/natives.js";
import { choice } from "./choice.js";
import { code } from "./code/module.js";
import { metrics } from "./metrics.js";
import { molecule } from "./molecule/module.js";
import { radiotherapy } from "./radiotherapy/module.js";
import { tools } from "./tools.js";

const modules: Record<string, Record<string, NativeFunction>> = {
  "std/metrics": metrics,
  "std/choice": choice,
  "std/code": code,
  "std/molecule": molecule,
  "std/radiotherapy": radiotherapy,
  "std/tools": tools,
};

export const stdlibNatives: NativeRegistry = new Map(
  Object.entries(modules).flatMap(([module, fns]) => Object.entries(fns).map(([name, fn]) => [nativeKey(module, name), fn] as const)),
);
