import { ShardpayError } from '@shardpay/crypto';

/** One call of a batch. */
export interface BenchRpcCall {
  method: string;
  params: unknown;
}

/** One call's outcome: its result, or the node's refusal code (`error.data.code`, else the JSON-RPC code). */
export type BenchRpcOutcome = { ok: true; result: unknown } | { ok: false; code: string; message: string };

interface JsonRpcReply {
  id?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: { code?: unknown } };
}

function outcomeOf(reply: JsonRpcReply): BenchRpcOutcome {
  if (reply.error) {
    const code =
      typeof reply.error.data?.code === 'string' ? reply.error.data.code : `RPC_${String(reply.error.code)}`;
    return { ok: false, code, message: String(reply.error.message) };
  }
  return { ok: true, result: reply.result };
}

async function post(url: string, body: string, timeoutMs: number): Promise<unknown> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw new ShardpayError('NODE_UNREACHABLE', `no answer from ${url}: ${String(error)}`, {
      meta: { url },
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ShardpayError('NODE_UNREACHABLE', `${url} answered HTTP ${response.status} without JSON`, {
      meta: { url, status: response.status },
      cause: error,
    });
  }
}

/**
 * Sends one JSON-RPC batch over HTTP and returns the outcomes in the order of `calls`. A batch the
 * node refuses as a whole (too many calls, too large) or a node that does not answer is a
 * NODE_UNREACHABLE / BATCH_REFUSED error.
 */
export async function callBenchRpcBatch(
  url: string,
  calls: readonly BenchRpcCall[],
  timeoutMs: number,
): Promise<BenchRpcOutcome[]> {
  const body = JSON.stringify(
    calls.map((call, id) => ({ jsonrpc: '2.0', id, method: call.method, params: call.params })),
  );
  const parsed = await post(url, body, timeoutMs);
  if (!Array.isArray(parsed)) {
    const reply = outcomeOf((parsed ?? {}) as JsonRpcReply);
    throw new ShardpayError(
      'BATCH_REFUSED',
      `${url} refused the batch: ${reply.ok ? 'no array' : reply.message}`,
      {
        meta: { url },
      },
    );
  }
  const outcomes: BenchRpcOutcome[] = calls.map(() => ({
    ok: false,
    code: 'NO_RESPONSE',
    message: 'the batch response left this call out',
  }));
  for (const item of parsed as JsonRpcReply[]) {
    if (typeof item?.id === 'number' && item.id >= 0 && item.id < calls.length)
      outcomes[item.id] = outcomeOf(item);
  }
  return outcomes;
}

/** One JSON-RPC call over HTTP; a refusal becomes a ShardpayError with the node's code. */
export async function callBenchRpc(
  url: string,
  method: string,
  params: unknown,
  timeoutMs: number,
): Promise<unknown> {
  const reply = outcomeOf(
    (await post(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), timeoutMs)) as JsonRpcReply,
  );
  if (!reply.ok) throw new ShardpayError(reply.code, `${url} ${method}: ${reply.message}`, { meta: { url } });
  return reply.result;
}
