// The live line at the bottom of a terminal while `tgc run` works: the step, its examples, the calls in flight,
// tokens and cost so far, and the time left at the pace of the steps so far. It is redrawn a few times a second on
// stderr and cleared before every printed line, so the run's lines scroll above it. Only on a terminal: piped
// output gets the plain lines alone.
import type { UsageSnapshot } from "../engines/cost.js";
import type { Engine } from "../engines/engine.js";
import type { RunEvent } from "../runtime/events.js";

export interface StatusFields {
  readonly step: number | undefined;
  readonly steps: number | undefined;
  readonly examples: number;
  readonly inFlight: number;
  readonly usage: UsageSnapshot | undefined;
  /** Milliseconds the finished steps took, this optimization's. */
  readonly stepTimes: readonly number[];
  /** Milliseconds since the current step started. */
  readonly elapsed: number;
}

const count = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** The status as one line: `step 3/12 ▕███░░░░░░▏ 3 examples · 2 calls in flight · 12,345 tokens · 0.0123 USD · ETA 1m20s`. */
export function statusText(f: StatusFields, width = 24): string {
  const parts: string[] = [];
  if (f.step !== undefined && f.steps) {
    const done = Math.min(f.steps, f.step - 1);
    const filled = Math.round((done / f.steps) * width);
    parts.push(`step ${f.step}/${f.steps} ▕${"█".repeat(filled)}${"░".repeat(width - filled)}▏`);
  }
  if (f.examples > 0) parts.push(`${f.examples} example${f.examples === 1 ? "" : "s"}`);
  parts.push(`${f.inFlight} call${f.inFlight === 1 ? "" : "s"} in flight`);
  if (f.usage) {
    const t = f.usage.total;
    parts.push(`${count(t.inputTokens + t.outputTokens)} tokens`);
    parts.push(t.cost === null ? "cost unknown" : `${t.cost.toFixed(4)} USD`);
  }
  if (f.step !== undefined && f.steps && f.stepTimes.length) {
    const mean = f.stepTimes.reduce((a, b) => a + b, 0) / f.stepTimes.length;
    const remaining = Math.max(0, mean * (f.steps - f.step + 1) - f.elapsed);
    parts.push(`ETA ${duration(remaining)}`);
  }
  return parts.join(" · ");
}

/** Counts the calls in flight: given to the engines' setup, it wraps each engine inside its concurrency limit. */
export class InFlight {
  count = 0;
  readonly track = (e: Engine): Engine => {
    const counted =
      <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        this.count++;
        try {
          return await f(...args);
        } finally {
          this.count--;
        }
      };
    const embed = e.embed;
    return {
      id: e.id,
      simulated: e.simulated,
      complete: counted((request: Parameters<Engine["complete"]>[0], signal?: AbortSignal) => e.complete(request, signal)),
      ...(embed ? { embed: counted((texts: readonly string[], signal?: AbortSignal) => embed.call(e, texts, signal)) } : {}),
    };
  };
}

export class StatusLine {
  private timer: NodeJS.Timeout | undefined;
  private shown = false;
  private step: number | undefined;
  private steps: number | undefined;
  private examples = 0;
  private stepStart = Date.now();
  private stepTimes: number[] = [];

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly inFlight: InFlight,
    private readonly usage: () => UsageSnapshot,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.draw(), 250);
    this.timer.unref();
  }

  /** Follows the run: which step, its examples, how long steps take. */
  observe(e: RunEvent): void {
    if (e.type === "step_started") {
      if (e.step === 1) this.stepTimes = [];
      this.step = e.step;
      this.steps = e.steps;
      this.examples = e.examples.length;
      this.stepStart = Date.now();
    } else if (e.type === "step_finished") {
      this.stepTimes.push(Date.now() - this.stepStart);
    }
  }

  /** Removes the line, so that a printed line takes its place; the next tick draws it again. */
  clear(): void {
    if (this.shown) this.stream.write("\r\u001b[K");
    this.shown = false;
  }

  private draw(): void {
    const text = statusText({
      step: this.step,
      steps: this.steps,
      examples: this.examples,
      inFlight: this.inFlight.count,
      usage: this.usage(),
      stepTimes: this.stepTimes,
      elapsed: Date.now() - this.stepStart,
    });
    const columns = this.stream.columns || 100;
    this.stream.write(`\r\u001b[K\u001b[2m${text.length > columns - 1 ? text.slice(0, columns - 2) + "…" : text}\u001b[0m`);
    this.shown = true;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
  }
}
