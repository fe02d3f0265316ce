/** Polls `condition` until it holds, failing with `what` after `timeoutMs`. No fixed sleeps in tests. */
export async function waitFor(
  what: string,
  timeoutMs: number,
  condition: () => boolean | Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 100);
  }
}

/** A message of GET /v1/events/stream. */
export interface StreamMessage {
  type: 'ready' | 'event' | 'error';
  event?: { id: string; object: string; type: string; created: number; data: Record<string, unknown> };
  error?: { type: string; code: string; message: string; param: string | null; request_id: string };
}

/** A WebSocket client of the event stream (Node's global WebSocket) that records what it receives. */
export interface EventStreamClient {
  messages: StreamMessage[];
  /** The received events, in order. */
  events(): NonNullable<StreamMessage['event']>[];
  /** Resolves with the close code once the server closes. */
  closed: Promise<number>;
  close(): void;
}

/** Connects to `baseUrl` (http://…) and sends the auth message (when `auth` is given). */
export async function openEventStream(
  baseUrl: string,
  auth: { access_token: string; after?: string } | { raw: string } | undefined,
): Promise<EventStreamClient> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/v1/events/stream`);
  const messages: StreamMessage[] = [];
  const closed = Promise.withResolvers<number>();
  socket.addEventListener('message', (message) => {
    messages.push(JSON.parse(String(message.data)) as StreamMessage);
  });
  socket.addEventListener('close', (event) => closed.resolve(event.code));
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('could not connect')), { once: true });
  });
  if (auth !== undefined) {
    socket.send('raw' in auth ? auth.raw : JSON.stringify({ type: 'auth', ...auth }));
  }
  return {
    messages,
    events: () => messages.flatMap((message) => (message.event === undefined ? [] : [message.event])),
    closed: closed.promise,
    close: () => socket.close(),
  };
}

/** Opens a stream and waits for its `ready`. */
export async function openReadyEventStream(
  baseUrl: string,
  auth: { access_token: string; after?: string },
): Promise<EventStreamClient> {
  const client = await openEventStream(baseUrl, auth);
  await waitFor('the stream to be ready', 5000, () => client.messages.length > 0);
  if (client.messages[0]?.type !== 'ready')
    throw new Error(`not ready: ${JSON.stringify(client.messages[0])}`);
  return client;
}
