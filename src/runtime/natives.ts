// Functions implemented in TypeScript and declared with `extern fn` in a stdlib module.
// The CLI hands the runtime a registry keyed by "std/<module>.<name>".

export type NativeResult = string | number;
export type NativeFunction = (args: readonly string[]) => NativeResult;
export type NativeRegistry = ReadonlyMap<string, NativeFunction>;

export const nativeKey = (module: string, name: string) => `${module}.${name}`;
