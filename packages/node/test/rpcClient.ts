/** Small JSON-RPC clients over HTTP and WebSocket for the RPC tests. */
import WebSocket from 'ws';

export interface RpcReply {
  jsonrpc: '2.0';
  id: number | string | null;
  result?: unknown;
  error?: { code: number; message: string; data?: { code: string; meta?: Record<string, unknown> } };
}

export interface Notification {
  jsonrpc: '2.0';
  method: string;
  params: { subscription: string; result: Record<string, unknown> };
}

/** POSTs a raw body; returns the status and the parsed body (undefined for 204). */
export async function postRaw(url: string, body: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** One call over HTTP. */
export async function callHttp(url: string, method: string, params?: unknown): Promise<RpcReply> {
  const { body } = await postRaw(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));
  return body as RpcReply;
}

/** A WebSocket client that keeps every message it receives, in order. */
export interface WsClient {
  call(method: string, params?: unknown): Promise<RpcReply>;
  /** Resolves when `count` notifications arrived (bounded by `timeoutMs`). */
  notifications(count: number, timeoutMs?: number): Promise<Notification[]>;
  /** Every message received so far (responses and notifications). */
  readonly messages: Array<RpcReply | Notification>;
  close(): Promise<void>;
}

export async function connectWs(url: string): Promise<WsClient> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'));
  const messages: Array<RpcReply | Notification> = [];
  const waiters: Array<() => void> = [];
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as RpcReply | Notification);
    for (const wake of waiters.splice(0)) wake();
  });
  let nextId = 1;

  async function waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  return {
    messages,
    call(method, params) {
      const id = nextId++;
      socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      return waitFor(
        () => messages.find((m): m is RpcReply => 'id' in m && m.id === id),
        5000,
        `the response to ${method}`,
      );
    },
    notifications(count, timeoutMs = 5000) {
      return waitFor(
        () => {
          const found = messages.filter((m): m is Notification => 'method' in m);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        `${count} notifications`,
      );
    },
    close() {
      return new Promise<void>((resolve) => {
        if (socket.readyState === socket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      });
    },
  };
}
