import autocannon, { type AutocannonRequest } from 'autocannon';

/** One HTTP request of a phase, built when autocannon is about to send it. */
export interface PhaseRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What a load phase measured, from autocannon and from every response's status. */
export interface PhaseResult {
  /** Wall-clock seconds autocannon ran. */
  durationSec: number;
  /** 2xx responses per second: the throughput (a 429 or other error is never counted here). */
  okPerSec: number;
  /** Every response per second, whatever its status. */
  responsesPerSec: number;
  ok: number;
  /** Responses by HTTP status, and 4xx/5xx by the API error code of their body. */
  statuses: Record<string, number>;
  errorCodes: Record<string, number>;
  /** Socket errors and timeouts (no HTTP answer). */
  errors: number;
  timeouts: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Requests handed out but not answered in the window (in flight when it ended, or cut). */
  unanswered: number[];
  /** True when `next` ran out of requests before the duration (the phase then ended early). */
  exhausted: boolean;
}

/**
 * Runs one autocannon instance for `durationSec` against `urls`. autocannon gives each connection one
 * URL in turn (connection i → urls[i mod n]), so with `connections` a multiple of the replica count the
 * load is spread evenly, with no proxy in front taking CPU. `next(i)` builds the i-th request handed
 * out (undefined: none left); every response's status is recorded against its request, so the caller
 * knows exactly which were answered 2xx, which failed and why, and which got no answer.
 */
export async function runLoadPhase(options: {
  urls: string[];
  connections: number;
  durationSec: number;
  next: (index: number) => PhaseRequest | undefined;
  onAnswer?: (index: number, status: number) => void;
}): Promise<PhaseResult> {
  let handedOut = 0;
  let exhausted = false;
  const answered = new Set<number>();
  const statuses: Record<string, number> = {};
  const errorCodes: Record<string, number> = {};
  let ok = 0;
  let instance: ReturnType<typeof autocannon> | undefined;
  // autocannon shares this object between connections; what is per connection lives in `context`.
  const request: AutocannonRequest = {
    setupRequest(base, context) {
      const index = handedOut;
      const built = options.next(index);
      if (built === undefined) {
        // Nothing left: stop the run, and send something harmless meanwhile (not counted as a request of ours).
        exhausted = true;
        instance?.stop();
        context.index = -1;
        return { ...base, method: 'GET', path: '/health', headers: {} };
      }
      handedOut++;
      context.index = index;
      return {
        ...base,
        method: built.method,
        path: built.path,
        headers: built.headers,
        ...(built.body === undefined ? {} : { body: built.body }),
      };
    },
    onResponse(status, body, context) {
      const index = context.index as number;
      if (index < 0) return;
      answered.add(index);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) ok++;
      else {
        let code = 'unparsed';
        try {
          code = (JSON.parse(body) as { error?: { code?: string } }).error?.code ?? 'no_code';
        } catch {}
        const key = `${status} ${code}`;
        errorCodes[key] = (errorCodes[key] ?? 0) + 1;
      }
      options.onAnswer?.(index, status);
    },
  };
  instance = autocannon({
    url: options.urls,
    connections: options.connections,
    duration: options.durationSec,
    timeout: 30,
    requests: [request],
  });
  if (exhausted) instance.stop();
  const result = await instance;
  const unanswered: number[] = [];
  for (let index = 0; index < handedOut; index++) if (!answered.has(index)) unanswered.push(index);
  const durationSec = result.duration;
  const responses = Object.values(statuses).reduce((sum, count) => sum + count, 0);
  return {
    durationSec,
    okPerSec: round(ok / durationSec),
    responsesPerSec: round(responses / durationSec),
    ok,
    statuses,
    errorCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    unanswered,
    exhausted,
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
