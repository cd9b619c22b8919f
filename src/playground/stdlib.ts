// The standard library as the page has it: every module's .tg source (bundled as a string), so that imports check
// as they do in the CLI, and the native functions that are pure JavaScript (std/metrics, std/choice, std/tools). The natives of
// std/code (a sandbox process), std/molecule (RDKit) and std/radiotherapy are not bundled: a program that reaches
// one stops with the runtime's own "no native" diagnostic.
import choiceTg from "../../stdlib/choice.tg";
import codeTg from "../../stdlib/code.tg";
import metricsTg from "../../stdlib/metrics.tg";
import moleculeTg from "../../stdlib/molecule.tg";
import radiotherapyTg from "../../stdlib/radiotherapy.tg";
import toolsTg from "../../stdlib/tools.tg";
import { choice } from "../../stdlib/choice.js";
import { metrics } from "../../stdlib/metrics.js";
import { tools } from "../../stdlib/tools.js";
import { nativeKey, type NativeFunction, type NativeRegistry } from "../runtime/natives.js";

export const stdlibSources: Readonly<Record<string, string>> = {
  "std/choice": choiceTg,
  "std/code": codeTg,
  "std/metrics": metricsTg,
  "std/molecule": moleculeTg,
  "std/radiotherapy": radiotherapyTg,
  "std/tools": toolsTg,
};

const modules: Record<string, Record<string, NativeFunction>> = { "std/metrics": metrics, "std/choice": choice, "std/tools": tools };

export const browserNatives: NativeRegistry = new Map(
  Object.entries(modules).flatMap(([module, fns]) => Object.entries(fns).map(([name, fn]) => [nativeKey(module, name), fn] as const)),
);
