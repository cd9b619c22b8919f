// Keeping within what a provider allows: calls in flight per engine, and optional requests-per-minute and
// tokens-per-minute limits. Calls wait their turn in the order they asked (first come, first served), so a schedule
// with the same replies is the same schedule. `--concurrency 1` is the sequential schedule of the Python reference.
import { estimateTokens, type EmbeddingReply, type Engine, type EngineReply, type EngineRequest } from "./engine.js";
import { realClock, type RetryClock } from "./retry.js";

export interface Limits {
  /** Calls in flight at once. */
  readonly concurrency: number;
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
}

const MINUTE = 60_000;

/** One engine's admission control, shared by every use of that engine in a run. */
export class Limiter {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  /** Start times and estimated tokens of the calls of the last minute. */
  private readonly recent: { at: number; tokens: number }[] = [];

  constructor(
    private readonly limits: Limits,
    private readonly now: () => number = Date.now,
    private readonly clock: Pick<RetryClock, "sleep"> = realClock,
  ) {}

  private async slot(signal: AbortSignal | undefined): Promise<void> {
    if (this.inFlight < this.limits.concurrency && this.waiting.length === 0) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(grant);
    });
    // The releasing call handed its slot over: inFlight is unchanged.
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }

  /** Waits until the per-minute limits leave room for a call of about `tokens` tokens. */
  private async rate(tokens: number, signal: AbortSignal | undefined): Promise<void> {
    const { requestsPerMinute: rpm, tokensPerMinute: tpm } = this.limits;
    if (rpm === undefined && tpm === undefined) return;
    for (;;) {
      const now = this.now();
      while (this.recent.length && this.recent[0]!.at <= now - MINUTE) this.recent.shift();
      const used = this.recent.reduce((n, r) => n + r.tokens, 0);
      const requestsOk = rpm === undefined || this.recent.length < rpm;
      // A single call larger than the whole per-minute budget still goes, alone in its minute.
      const tokensOk = tpm === undefined || used + tokens <= tpm || this.recent.length === 0;
      if (requestsOk && tokensOk) {
        this.recent.push({ at: now, tokens });
        return;
      }
      await this.clock.sleep(Math.max(1, this.recent[0]!.at + MINUTE - now), signal);
    }
  }

  async run<T>(tokens: number, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    await this.slot(signal);
    try {
      await this.rate(tokens, signal);
      return await call();
    } finally {
      this.release();
    }
  }
}

/** An engine whose calls pass through a limiter. */
export class LimitedEngine implements Engine {
  readonly id: string;
  readonly simulated: boolean;

  constructor(
    private readonly inner: Engine,
    private readonly limiter: Limiter,
  ) {
    this.id = inner.id;
    this.simulated = inner.simulated;
    const embed = inner.embed?.bind(inner);
    if (embed) {
      this.embed = (texts, signal) => this.limiter.run(texts.reduce((n, t) => n + estimateTokens(t), 0), signal, () => embed(texts, signal));
    }
  }

  /** Embeds within the same limits as completions (input tokens only); present when the inner engine embeds. */
  readonly embed?: (texts: readonly string[], signal?: AbortSignal) => Promise<EmbeddingReply>;

  complete(request: EngineRequest, signal?: AbortSignal): Promise<EngineReply> {
    const tokens = request.messages.reduce((n, m) => n + estimateTokens(m.content), 0) + (request.options.max_tokens ?? 1_000);
    return this.limiter.run(tokens, signal, () => this.inner.complete(request, signal));
  }
}
