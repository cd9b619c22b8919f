// Surviving a provider: a timeout per attempt, retries with exponential backoff and jitter on rate limits, server
// errors, overload and lost connections (honouring the provider's retry-after), a bounded number of attempts, then a
// clear error naming the engine, the status and the message. A wrapper around any engine, not a feature of one.
import { EngineError, ProviderError, type EmbeddingReply, type Engine, type EngineReply, type EngineRequest } from "./engine.js";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** The limit on one attempt. */
  readonly timeoutMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, timeoutMs: 120_000, baseDelayMs: 1_000, maxDelayMs: 60_000 };

export interface RetryNotice {
  readonly engine: string;
  readonly attempt: number;
  readonly status: number | undefined;
  readonly message: string;
  readonly delayMs: number;
}

/** What a retrying engine needs from the world: time and chance, replaceable in tests. */
export interface RetryClock {
  sleep(ms: number, signal: AbortSignal | undefined): Promise<void>;
  random(): number;
}

export const realClock: RetryClock = {
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
  random: Math.random,
};

const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`);

export class RetryingEngine implements Engine {
  readonly id: string;
  readonly simulated: boolean;

  constructor(
    private readonly inner: Engine,
    private readonly policy: RetryPolicy = defaultRetryPolicy,
    private readonly onRetry: (notice: RetryNotice) => void = () => {},
    private readonly clock: RetryClock = realClock,
  ) {
    this.id = inner.id;
    this.simulated = inner.simulated;
    const embed = inner.embed?.bind(inner);
    if (embed) this.embed = (texts, signal) => this.attempts((s) => embed(texts, s), signal, this.onRetry);
  }

  /** Embeds with the same timeouts and retries as completions; present when the inner engine embeds. */
  readonly embed?: (texts: readonly string[], signal?: AbortSignal) => Promise<EmbeddingReply>;

  /** Full jitter on an exponential backoff, unless the provider said how long to wait. */
  private delay(attempt: number, error: ProviderError): number {
    if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, this.policy.maxDelayMs);
    const ceiling = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.clock.random() * ceiling) / 2);
  }

  complete(request: EngineRequest, signal?: AbortSignal): Promise<EngineReply> {
    // The request's own listener records it in order with the request's events; the engine's is the fallback.
    return this.attempts((s) => this.inner.complete(request, s), signal, request.onRetry ?? this.onRetry);
  }

  private async attempts<T>(call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal | undefined, onRetry: (notice: RetryNotice) => void): Promise<T> {
    let last: ProviderError | undefined;
    for (let attempt = 1; attempt <= this.policy.attempts; attempt++) {
      const timeout = AbortSignal.timeout(this.policy.timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      try {
        return await call(combined);
      } catch (e) {
        if (signal?.aborted) throw e; // the run is stopping: no retry, no wrapping
        const error =
          timeout.aborted && !(e instanceof ProviderError && e.status !== undefined)
            ? new ProviderError(`no reply within ${duration(this.policy.timeoutMs)}`, this.id, undefined, true, undefined)
            : e;
        if (!(error instanceof ProviderError) || !error.retryable) throw error;
        last = error;
        if (attempt === this.policy.attempts) break;
        const delayMs = this.delay(attempt, error);
        const notice = { engine: this.id, attempt, status: error.status, message: error.message, delayMs };
        onRetry(notice);
        await this.clock.sleep(delayMs, signal);
      }
    }
    const status = last?.status === undefined ? "" : ` (last status ${last.status})`;
    throw new EngineError(`${this.id} failed ${this.policy.attempts} times${status}: ${last?.message ?? "unknown error"}`, this.id, last?.hint);
  }
}
