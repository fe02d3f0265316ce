import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isShardpayError } from '@shardpay/crypto';
import { type WebSocket, WebSocketServer } from 'ws';

/** JSON-RPC 2.0 error codes, plus one application code under which ShardpayError codes travel. */
export const RpcErrorCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** A refusal with a ShardpayError code in `error.data.code`. */
  APPLICATION_ERROR: -32000,
} as const;

export interface RpcError {
  code: number;
  message: string;
  data?: { code: string; meta?: Record<string, unknown> };
}

/** What a method sees of the connection it was called on (for subscriptions). */
export interface RpcCallContext {
  /** Present on WebSocket calls: pushes a notification to this client. */
  notify?: (method: string, params: unknown) => void;
  /** Present on WebSocket calls: runs when the client goes away. */
  onClose?: (cleanup: () => void) => void;
  /** Present on WebSocket calls: the same object for every call of one connection (a key for per-client state). */
  connection?: object;
  /**
   * Runs `task` once the response of this call was sent, so that a subscription's first notification
   * never reaches the client before the subscription id does.
   */
  afterResponse?: (task: () => void) => void;
}

export type RpcMethod = (params: unknown, context: RpcCallContext) => unknown;

export interface RpcServerOptions {
  host: string;
  port: number;
  /** Largest request body (HTTP) or message (WebSocket) accepted, in bytes. */
  maxRequestBytes: number;
  /** Most calls in one batch. */
  maxBatch: number;
}

export interface RpcServerDependencies {
  methods: Readonly<Record<string, RpcMethod>>;
  /** Extra GET routes on the same port, e.g. `/metrics`. Returns [status, contentType, body]. */
  getRoutes?: Readonly<Record<string, () => Promise<[number, string, string]>>>;
  /** Called for errors that are not ShardpayErrors (bugs): logged by the caller, hidden from clients. */
  onInternalError?: (error: unknown, method: string) => void;
}

export interface RpcServer {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The bound port (after start; useful with port 0). */
  port(): number;
}

interface JsonRpcRequest {
  jsonrpc: '2.0';
  id?: string | number | null;
  method: string;
  params?: unknown;
}

/** Protocol-level errors carry a ShardpayError code too, so clients match on `error.data.code` alone. */
const protocolErrorCodes: Readonly<Record<number, string>> = {
  [RpcErrorCode.PARSE_ERROR]: 'RPC_PARSE_ERROR',
  [RpcErrorCode.INVALID_REQUEST]: 'RPC_INVALID_REQUEST',
  [RpcErrorCode.METHOD_NOT_FOUND]: 'RPC_METHOD_NOT_FOUND',
  [RpcErrorCode.INTERNAL_ERROR]: 'RPC_INTERNAL_ERROR',
};

function errorResponse(id: JsonRpcRequest['id'] | undefined, error: RpcError) {
  const code = error.message.startsWith('request larger than')
    ? 'RPC_REQUEST_TOO_LARGE'
    : protocolErrorCodes[error.code];
  const withCode = error.data === undefined && code !== undefined ? { ...error, data: { code } } : error;
  return { jsonrpc: '2.0' as const, id: id ?? null, error: withCode };
}

function isValidRequest(value: unknown): value is JsonRpcRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const request = value as Record<string, unknown>;
  const id = request.id;
  const idOk =
    id === undefined ||
    id === null ||
    typeof id === 'string' ||
    (typeof id === 'number' && Number.isFinite(id));
  return request.jsonrpc === '2.0' && typeof request.method === 'string' && idOk;
}

/** A JSON-RPC 2.0 server over HTTP POST and WebSocket, with size limits and coded errors. */
export function createRpcServer(options: RpcServerOptions, deps: RpcServerDependencies): RpcServer {
  let server: Server | undefined;
  let sockets: WebSocketServer | undefined;

  /** Runs one call; returns its response as JSON text, or undefined for a notification. */
  async function call(request: unknown, context: RpcCallContext): Promise<string | undefined> {
    if (!isValidRequest(request)) {
      return JSON.stringify(
        errorResponse(undefined, {
          code: RpcErrorCode.INVALID_REQUEST,
          message: 'not a JSON-RPC 2.0 request',
        }),
      );
    }
    const isNotification = request.id === undefined;
    const method = Object.hasOwn(deps.methods, request.method) ? deps.methods[request.method] : undefined;
    if (!method) {
      return isNotification
        ? undefined
        : JSON.stringify(
            errorResponse(request.id, {
              code: RpcErrorCode.METHOD_NOT_FOUND,
              message: `unknown method "${request.method}"`,
            }),
          );
    }
    try {
      const result = await method(request.params, context);
      // Serialized inside the try: a result JSON cannot hold (a bigint) is a bug, reported as one.
      return isNotification
        ? undefined
        : JSON.stringify({ jsonrpc: '2.0', id: request.id, result: result ?? null });
    } catch (error) {
      if (isNotification) return undefined;
      if (isShardpayError(error)) {
        const code =
          error.code === 'INVALID_PARAMS' ? RpcErrorCode.INVALID_PARAMS : RpcErrorCode.APPLICATION_ERROR;
        return JSON.stringify(
          errorResponse(request.id, {
            code,
            message: error.message,
            data: { code: error.code, meta: jsonSafe(error.meta) },
          }),
        );
      }
      deps.onInternalError?.(error, request.method);
      return JSON.stringify(
        errorResponse(request.id, { code: RpcErrorCode.INTERNAL_ERROR, message: 'internal error' }),
      );
    }
  }

  /** Handles one raw payload (a request or a batch); returns the response text or undefined. */
  async function handlePayload(text: string, context: RpcCallContext): Promise<string | undefined> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return JSON.stringify(
        errorResponse(null, { code: RpcErrorCode.PARSE_ERROR, message: 'the body is not valid JSON' }),
      );
    }
    if (Array.isArray(parsed)) {
      if (parsed.length === 0 || parsed.length > options.maxBatch) {
        return JSON.stringify(
          errorResponse(null, {
            code: RpcErrorCode.INVALID_REQUEST,
            message: `a batch holds 1 to ${options.maxBatch} calls`,
          }),
        );
      }
      const responses = (await Promise.all(parsed.map((item) => call(item, context)))).filter(
        (r) => r !== undefined,
      );
      return responses.length > 0 ? `[${responses.join(',')}]` : undefined;
    }
    return call(parsed, context);
  }

  function send(res: ServerResponse, status: number, contentType: string, body: string): void {
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  function readBody(req: IncomingMessage): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxRequestBytes) {
          // Stop reading; the caller answers 413 and closes the connection once the answer is out.
          req.pause();
          req.removeAllListeners('data');
          resolve(undefined);
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET') {
      const route = deps.getRoutes && Object.hasOwn(deps.getRoutes, path) ? deps.getRoutes[path] : undefined;
      if (route) {
        const [status, contentType, body] = await route();
        send(res, status, contentType, body);
      } else send(res, 404, 'text/plain', 'not found\n');
      return;
    }
    if (req.method !== 'POST' || path !== '/') {
      send(res, 405, 'text/plain', 'JSON-RPC takes POST /\n');
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > options.maxRequestBytes) {
      refuseTooLarge(req, res);
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      refuseTooLarge(req, res);
      return;
    }
    const response = await handlePayload(body, {});
    if (response === undefined) {
      res.writeHead(204).end();
      return;
    }
    send(res, 200, 'application/json', response);
  }

  /** Answers 413 without reading the rest of the body, then drops the connection (destroying first loses the answer). */
  function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
    const body = JSON.stringify(
      errorResponse(null, {
        code: RpcErrorCode.INVALID_REQUEST,
        message: `request larger than ${options.maxRequestBytes} bytes`,
      }),
    );
    res.writeHead(413, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    res.end(body, () => req.destroy());
  }

  function handleSocket(socket: WebSocket): void {
    const cleanups: Array<() => void> = [];
    const connection = {};
    const notify = (method: string, params: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ jsonrpc: '2.0', method, params }));
    };
    const onClose = (cleanup: () => void) => {
      cleanups.push(cleanup);
    };
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        socket.send(
          JSON.stringify(
            errorResponse(null, { code: RpcErrorCode.INVALID_REQUEST, message: 'send text frames' }),
          ),
        );
        return;
      }
      const afterResponse: Array<() => void> = [];
      const context: RpcCallContext = {
        notify,
        onClose,
        connection,
        afterResponse: (task) => {
          afterResponse.push(task);
        },
      };
      handlePayload(String(data), context)
        .then((response) => {
          if (response !== undefined && socket.readyState === socket.OPEN) socket.send(response);
        })
        .catch((error: unknown) => deps.onInternalError?.(error, 'websocket'))
        .finally(() => {
          for (const task of afterResponse.splice(0)) {
            try {
              task();
            } catch (error) {
              deps.onInternalError?.(error, 'websocket');
            }
          }
        });
    });
    socket.on('close', () => {
      for (const cleanup of cleanups.splice(0)) cleanup();
    });
    socket.on('error', () => socket.terminate());
  }

  return {
    async start() {
      server = createServer((req, res) => {
        handleHttp(req, res).catch((error: unknown) => {
          deps.onInternalError?.(error, 'http');
          if (!res.headersSent)
            send(
              res,
              500,
              'application/json',
              JSON.stringify(
                errorResponse(null, { code: RpcErrorCode.INTERNAL_ERROR, message: 'internal error' }),
              ),
            );
        });
      });
      const listening = server;
      try {
        await new Promise<void>((resolve, reject) => {
          listening.once('error', reject);
          listening.listen(options.port, options.host, () => {
            listening.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        server = undefined;
        throw error;
      }
      // Attached once listening: a WebSocketServer re-emits its server's errors, and a failed listen
      // (port taken) would otherwise surface as an unhandled 'error' event instead of this rejection.
      sockets = new WebSocketServer({ server: listening, maxPayload: options.maxRequestBytes });
      sockets.on('connection', handleSocket);
      sockets.on('error', (error) => deps.onInternalError?.(error, 'websocket'));
      listening.on('error', (error) => deps.onInternalError?.(error, 'http'));
    },
    async stop() {
      for (const client of sockets?.clients ?? []) client.terminate();
      await new Promise<void>((resolve) => (sockets ? sockets.close(() => resolve()) : resolve()));
      await new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
    port: () => (server?.address() as AddressInfo | null)?.port ?? 0,
  };
}

/** Error metadata may hold bigints or bytes; JSON cannot. */
function jsonSafe(meta: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(meta, (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
      return value;
    }),
  ) as Record<string, unknown>;
}
