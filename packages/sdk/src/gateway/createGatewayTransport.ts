import { bytesToHex, randomBytes } from '@shardpay/crypto';
import type { FetchFunction } from '../createNodeClient.ts';
import { GatewayError, gatewayErrorFromBody, isGatewayError } from './GatewayError.ts';
import type { GatewaySession } from './gatewayTypes.ts';

/** The tokens of a logged-in session, as the client holds them. */
export interface GatewayTokens {
  accessToken: string;
  refreshToken: string;
  /** Unix seconds. */
  expiresAt?: number;
  refreshTokenExpiresAt?: number;
}

export interface GatewayTransportOptions {
  /** The gateway's base URL (`http://127.0.0.1:8080`); paths are appended to it. */
  url: string;
  /** Defaults to the global fetch. */
  fetch?: FetchFunction;
  accessToken?: string;
  refreshToken?: string;
  /** Told of every new pair of tokens (log-in, refresh) and of `null` on log-out, to persist them. */
  onTokens?: (tokens: GatewayTokens | null) => void;
  /** Per-attempt timeout (default 15 s). */
  requestTimeoutMs?: number;
  /** Extra attempts after a network failure, a 502/503/504, a 429 or a 409 key-in-use (default 2). */
  retries?: number;
  /** First pause between attempts, doubled each time (default 250 ms). */
  retryDelayMs?: number;
}

/** One call: method, path under the base URL, and how to send it. */
export interface GatewayRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Send the access token (and refresh it once on 401 token_expired). */
  auth?: boolean;
  /** For POSTs: the Idempotency-Key; one is generated per call when left out. */
  idempotencyKey?: string;
  /** false: a single attempt (a refresh token is single-use, so its call must never be repeated). */
  retry?: boolean;
  /** Extra headers, e.g. `Shardpay-Merchant: mer_…` for the owner's calls on a merchant's routes. */
  headers?: Record<string, string>;
}

/** The HTTP layer of the gateway client: tokens, retries with one Idempotency-Key, error mapping. */
export interface GatewayTransport {
  readonly url: string;
  request<Result>(request: GatewayRequest): Promise<Result>;
  tokens(): GatewayTokens | null;
  /** Replaces the held tokens (after log-in or refresh) and tells `onTokens`. */
  setTokens(tokens: GatewayTokens | null): void;
  /** Trades the refresh token for a new session; concurrent callers share one refresh. */
  refresh(): Promise<GatewaySession>;
}

const defaultRequestTimeoutMs = 15_000;
const retryableStatuses = new Set([502, 503, 504, 429]);

/** A fresh Idempotency-Key: 16 random bytes, hex. */
export function newIdempotencyKey(): string {
  return `sdk_${bytesToHex(randomBytes(16))}`;
}

export function sessionTokens(session: GatewaySession): GatewayTokens {
  return {
    accessToken: session.access_token,
    refreshToken: session.refresh_token,
    expiresAt: session.expires_at,
    refreshTokenExpiresAt: session.refresh_token_expires_at,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function assertUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    parsed = new URL('invalid:');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new GatewayError(
      'PARAMETER_INVALID',
      'the gateway URL is an http(s) URL such as http://127.0.0.1:8080',
      {
        status: 0,
        type: 'invalid_request_error',
        param: 'url',
        requestId: null,
      },
    );
  }
  return url.replace(/\/+$/, '');
}

/** Why a fetch threw, without the stack: a timeout, or the low-level cause (ECONNREFUSED…). */
function describeNetworkFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer in ${timeoutMs} ms`;
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string' && cause.message !== '') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

export function createGatewayTransport(options: GatewayTransportOptions): GatewayTransport {
  const baseUrl = assertUrl(options.url);
  const doFetch: FetchFunction = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const requestTimeoutMs = options.requestTimeoutMs ?? defaultRequestTimeoutMs;
  const retries = options.retries ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 250;
  let tokens: GatewayTokens | null =
    options.accessToken !== undefined || options.refreshToken !== undefined
      ? { accessToken: options.accessToken ?? '', refreshToken: options.refreshToken ?? '' }
      : null;
  let refreshing: Promise<GatewaySession> | undefined;

  function setTokens(next: GatewayTokens | null): void {
    tokens = next;
    options.onTokens?.(next === null ? null : { ...next });
  }

  function urlOf(request: GatewayRequest): string {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) query.set(name, String(value));
    }
    const text = query.toString();
    return `${baseUrl}${request.path}${text === '' ? '' : `?${text}`}`;
  }

  /** One HTTP exchange: the parsed body, or a GatewayError; `null` status means no answer at all. */
  async function exchange(
    request: GatewayRequest,
    idempotencyKey: string | undefined,
  ): Promise<{ status: number; body: unknown; headers: Headers }> {
    const headers: Record<string, string> = { ...request.headers, accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.auth && tokens?.accessToken) headers.authorization = `Bearer ${tokens.accessToken}`;
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    const response = await doFetch(urlOf(request), {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const text = await response.text();
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
        if (response.ok) {
          throw new GatewayError(
            'GATEWAY_RESPONSE_INVALID',
            `the gateway answered HTTP ${response.status} with a body that is not JSON`,
            {
              status: response.status,
              type: 'api_error',
              param: null,
              requestId: response.headers.get('request-id'),
            },
          );
        }
      }
    }
    return { status: response.status, body, headers: response.headers };
  }

  async function request<Result>(call: GatewayRequest): Promise<Result> {
    // One key per logical call, reused on every retry below, so the gateway runs it at most once.
    const idempotencyKey = call.method === 'POST' ? (call.idempotencyKey ?? newIdempotencyKey()) : undefined;
    let refreshed = false;
    let lastFailure: GatewayError | undefined;
    const attempts = call.retry === false ? 0 : retries;
    for (let attempt = 0; attempt <= attempts; attempt++) {
      if (attempt > 0) await sleep(retryDelayMs * 2 ** (attempt - 1));
      let answer: Awaited<ReturnType<typeof exchange>>;
      try {
        answer = await exchange(call, idempotencyKey);
      } catch (error) {
        if (isGatewayError(error)) throw error;
        lastFailure = new GatewayError(
          'GATEWAY_UNREACHABLE',
          `cannot reach the gateway at ${baseUrl} (${describeNetworkFailure(error, requestTimeoutMs)}); is it running? (--gateway URL / SHARDPAY_GATEWAY)`,
          { status: 0, type: 'api_error', param: null, requestId: null },
          { cause: error },
        );
        continue;
      }
      const { status, body, headers } = answer;
      if (status >= 200 && status < 300) return body as Result;
      const failure = gatewayErrorFromBody(status, body, headers.get('request-id'));
      if (
        status === 401 &&
        failure.code === 'TOKEN_EXPIRED' &&
        call.auth &&
        !refreshed &&
        tokens?.refreshToken
      ) {
        refreshed = true;
        await refresh();
        attempt -= 1; // the refresh is not a failed attempt
        continue;
      }
      const retryable = retryableStatuses.has(status) || failure.code === 'IDEMPOTENCY_KEY_IN_USE';
      if (!retryable) throw failure;
      lastFailure = failure;
    }
    throw (
      lastFailure ??
      new GatewayError('GATEWAY_UNREACHABLE', `cannot reach the gateway at ${baseUrl}`, {
        status: 0,
        type: 'api_error',
        param: null,
        requestId: null,
      })
    );
  }

  function refresh(): Promise<GatewaySession> {
    refreshing ??= (async () => {
      try {
        const refreshToken = tokens?.refreshToken;
        if (!refreshToken) {
          throw new GatewayError('AUTHENTICATION_REQUIRED', 'no refresh token held: log in again', {
            status: 0,
            type: 'authentication_error',
            param: null,
            requestId: null,
          });
        }
        let session: GatewaySession;
        try {
          session = await request<GatewaySession>({
            method: 'POST',
            path: '/v1/sessions/refresh',
            body: { refresh_token: refreshToken },
            retry: false,
          });
        } catch (error) {
          // The gateway refused the refresh token (used, revoked, expired): the session is over, so
          // the held tokens go and `onTokens(null)` tells the app to show the user logged out.
          // An unreachable gateway (status 0) or a 5xx keeps them for a later try.
          if (isGatewayError(error) && error.meta.status === 401) setTokens(null);
          throw error;
        }
        setTokens(sessionTokens(session));
        return session;
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  }

  return {
    url: baseUrl,
    request,
    tokens: () => (tokens === null ? null : { ...tokens }),
    setTokens,
    refresh,
  };
}
