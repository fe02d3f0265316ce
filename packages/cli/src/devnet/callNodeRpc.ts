import { ShardpayError } from '@shardpay/crypto';

export interface CallNodeRpcOptions {
  /** Gives up after this long (the node may be down or busy). */
  timeoutMs: number;
}

/**
 * One JSON-RPC call to a validator over HTTP. A JSON-RPC error becomes a ShardpayError with the
 * node's code (`error.data.code`); a node that cannot be reached is NODE_UNREACHABLE.
 */
export async function callNodeRpc(
  url: string,
  method: string,
  params: unknown,
  options: CallNodeRpcOptions,
): Promise<unknown> {
  let response: Response;
  let body: unknown;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    body = await response.json();
  } catch (error) {
    throw new ShardpayError('NODE_UNREACHABLE', `no answer from ${url}: ${reasonOf(error)}`, {
      meta: { url },
      cause: error,
    });
  }
  const reply = body as { result?: unknown; error?: { message?: unknown; data?: { code?: unknown } } } | null;
  if (reply?.error) {
    const code = typeof reply.error.data?.code === 'string' ? reply.error.data.code : 'RPC_ERROR';
    throw new ShardpayError(code, `${url}: ${String(reply.error.message)}`, { meta: { url } });
  }
  if (!reply || !('result' in reply)) {
    throw new ShardpayError(
      'NODE_UNREACHABLE',
      `${url} answered HTTP ${response.status} without a JSON-RPC result`,
      {
        meta: { url },
      },
    );
  }
  return reply.result;
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error.cause as NodeJS.ErrnoException | undefined)?.code;
    if (error.name === 'TimeoutError') return 'timed out';
    return cause ?? error.message;
  }
  return String(error);
}
