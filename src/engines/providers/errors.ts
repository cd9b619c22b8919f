// Turning what the provider SDKs throw into ProviderErrors: retryable or not, with the status, the provider's
// message and how long it asked us to wait. Both SDKs (openai, @anthropic-ai/sdk) share one error model:
// APIError with `status` and `headers`, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError.
import { ProviderError } from "../engine.js";

interface SdkError {
  readonly message?: string;
  readonly status?: number;
  readonly headers?: { get(name: string): string | null };
  readonly error?: unknown;
  /** Anthropic's SDK keeps the API's own message here (its `message` holds the whole body). */
  readonly apiMessage?: unknown;
  readonly cause?: unknown;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** The error classes both SDKs export (they are generated from one template). */
export interface SdkErrorClasses {
  readonly APIError: ErrorClass;
  readonly APIConnectionError: ErrorClass;
  readonly APIConnectionTimeoutError: ErrorClass;
  readonly APIUserAbortError: ErrorClass;
}

/** Removes keys and URL credentials from text that may reach a log, an event or a terminal. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(/\/\/[^/@\s:]+:[^/@\s]+@/g, "//***@").replace(/([?&](?:api[_-]?key|key|token)=)[^&\s]+/gi, "$1***");
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join("***");
  return out;
}

/** Milliseconds from `retry-after-ms`, or `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: SdkError["headers"], now = Date.now()): number | undefined {
  const ms = Number(headers?.get("retry-after-ms"));
  if (headers?.get("retry-after-ms") && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

const retryableStatus = (s: number) => s === 408 || s === 409 || s === 429 || s >= 500;

function providerMessage(e: SdkError): string {
  if (typeof e.apiMessage === "string" && e.apiMessage) return e.apiMessage;
  const body = e.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  const m = body?.error?.message ?? body?.message;
  return typeof m === "string" && m ? m : (e.message ?? "unknown error");
}

function hintFor(status: number, keyVariable: string | undefined): string | undefined {
  if (status === 401 || status === 403) return keyVariable ? `check the key in ${keyVariable}` : "check the API key";
  if (status === 404) return "check the model name and the base URL";
  return undefined;
}

/** A ProviderError for an SDK failure; the SDK's abort error passes through untouched (the run is stopping). */
export function fromSdkError(
  e: unknown,
  classes: SdkErrorClasses,
  engine: string,
  secrets: readonly string[],
  keyVariable: string | undefined,
): unknown {
  const clean = (m: string) => redact(m, secrets);
  if (e instanceof classes.APIUserAbortError || (e instanceof Error && e.name === "AbortError")) return e;
  if (e instanceof classes.APIConnectionTimeoutError) return new ProviderError("the request timed out", engine, undefined, true, undefined);
  if (e instanceof classes.APIConnectionError) {
    const cause = ((e as SdkError).cause as { message?: string } | undefined)?.message;
    return new ProviderError(clean(`connection failed${cause ? ` (${cause})` : ""}`), engine, undefined, true, undefined);
  }
  if (e instanceof classes.APIError && typeof (e as SdkError).status === "number") {
    const err = e as SdkError;
    const status = err.status!;
    const shouldRetry = err.headers?.get("x-should-retry");
    const retryable = shouldRetry === "true" ? true : shouldRetry === "false" ? false : retryableStatus(status);
    return new ProviderError(clean(`status ${status}: ${providerMessage(err)}`), engine, status, retryable, retryAfterMs(err.headers), hintFor(status, keyVariable));
  }
  // The SDKs read the body after their own retry logic, so a reply cut off in transfer surfaces as fetch's
  // TypeError ("terminated") and a body that is not JSON as a SyntaxError. Both are worth another attempt.
  if (e instanceof TypeError) return new ProviderError(clean(`the connection broke while reading the reply (${e.message})`), engine, undefined, true, undefined);
  if (e instanceof SyntaxError) return new ProviderError(clean(`malformed reply (${e.message})`), engine, undefined, true, undefined);
  return e;
}
