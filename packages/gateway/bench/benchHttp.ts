/**
 * The two ways the gateway bench talks to the system outside autocannon: the gateway's HTTP API
 * (setup and checks) and a validator's JSON-RPC (the chain's own view: nonces, blocks), so that
 * finality is checked without going through the gateway under test.
 */

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function callApi(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; idempotencyKey?: string } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    signal: AbortSignal.timeout(30_000),
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** `callApi` that insists on `status`, naming the step and the answer otherwise. */
export async function expectApi(
  status: number,
  what: string,
  ...args: Parameters<typeof callApi>
): Promise<Record<string, unknown>> {
  const answer = await callApi(...args);
  if (answer.status !== status) {
    throw new Error(`${what}: expected HTTP ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

let rpcId = 0;

/**
 * One JSON-RPC call. The bench only reads (accounts, blocks, heights), so a transport failure is
 * retried twice: a node may close a kept-alive socket just as it is reused ("other side closed").
 */
export async function callRpc<T>(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      if (attempt >= 3) throw error;
      continue;
    }
    const answer = (await response.json()) as { result?: T; error?: { message: string } };
    if (answer.error) throw new Error(`${method} on ${url}: ${answer.error.message}`);
    return answer.result as T;
  }
}

/** Runs `work` over `items` with at most `limit` at a time; the results in order. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

/** Polls `condition` until it holds, failing with `what` after `timeoutMs` (no fixed sleeps). */
export async function waitUntil(
  what: string,
  timeoutMs: number,
  condition: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
