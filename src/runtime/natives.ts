// Functions implemented in TypeScript and declared with `extern fn` in a stdlib module.
// The CLI hands the runtime a registry keyed by "std/<module>.<name>".

/** Text, a score (a metric), or a critique with its size in [0, 1] (a loss, 0 when there is nothing to fix). */
export type NativeResult = string | number | { readonly critique: string; readonly loss: number };
/** Natives may take their time (running tests in a sandbox): the runtime awaits them. */
export type NativeFunction = (args: readonly string[]) => NativeResult | Promise<NativeResult>;
export type NativeRegistry = ReadonlyMap<string, NativeFunction>;

export const nativeKey = (module: string, name: string) => `${module}.${name}`;
