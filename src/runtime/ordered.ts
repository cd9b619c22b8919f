// Running independent work at once while keeping the record in a fixed order. Each task gets a context whose
// events go to its own buffer; when the group settles, the buffers are emitted in the order the tasks would have
// run one after another. So the events, and everything built from them, do not depend on which reply came first.
// The first failure aborts the rest of the group (no money spent on work that will be thrown away); events of the
// calls that completed are still emitted, then the failure that stopped the group is rethrown.
import type { RuntimeContext } from "./context.js";
import type { RunEvent } from "./events.js";

export class OrderedGroup {
  private readonly buffers = new Map<number, RunEvent[]>();
  private readonly controller = new AbortController();
  /** The first failure in time: it caused the abort of the others, so it is the one to report. */
  private failure: { readonly error: unknown } | undefined;
  readonly signal: AbortSignal;

  constructor(private readonly parent: RuntimeContext) {
    this.signal = parent.signal ? AbortSignal.any([parent.signal, this.controller.signal]) : this.controller.signal;
  }

  /** The context for task `key`: its events are held until `settle`, in `key` order. */
  context(key: number): RuntimeContext {
    const buffer: RunEvent[] = [];
    this.buffers.set(key, buffer);
    return { ...this.parent, emit: (e) => buffer.push(e), signal: this.signal };
  }

  /** Runs a task in this group; a failure is recorded and stops the others. */
  async run<T>(key: number, task: (ctx: RuntimeContext) => Promise<T>): Promise<T | undefined> {
    try {
      return await task(this.context(key));
    } catch (e) {
      if (!this.failure) {
        this.failure = { error: e };
        this.controller.abort(e);
      }
      return undefined;
    }
  }

  /** Emits every buffered event in key order, then rethrows the failure that stopped the group, if any. */
  settle(): void {
    const keys = [...this.buffers.keys()].sort((a, b) => a - b);
    for (const k of keys) for (const e of this.buffers.get(k)!) this.parent.emit(e);
    if (this.failure) throw this.failure.error;
  }
}

/**
 * Runs tasks at once and returns their results in order, with their events in order. With `lead`, the first task
 * runs alone before the others start (so that a provider has cached the prefix they share when they arrive).
 */
export async function inOrder<T>(ctx: RuntimeContext, tasks: readonly ((ctx: RuntimeContext) => Promise<T>)[], lead = false): Promise<T[]> {
  const group = new OrderedGroup(ctx);
  const first = lead && tasks.length > 1 ? [await group.run(0, tasks[0]!)] : [];
  const rest = await Promise.all(tasks.slice(first.length).map((t, i) => group.run(i + first.length, t)));
  group.settle();
  return [...first, ...rest] as T[];
}
