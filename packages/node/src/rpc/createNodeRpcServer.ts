import { createNodeMetrics, type NodeMetrics } from '../metrics/createNodeMetrics.ts';
import type { ValidatorNode } from '../ValidatorNode.ts';
import { createRpcMethods } from './createRpcMethods.ts';
import { createRpcServer, type RpcServer } from './createRpcServer.ts';
import { defaultSubscriptionOptions } from './createSubscriptionMethods.ts';

export interface NodeRpcServerOptions {
  host: string;
  /** 0 picks a free port (read it back with `port()`). */
  port: number;
  maxRequestBytes?: number;
  maxBatch?: number;
  maxSubscriptionsPerConnection?: number;
}

export interface NodeRpcServerDependencies {
  /** Defaults to `createNodeMetrics(node)`. */
  metrics?: NodeMetrics;
  /** Bugs (not refusals) met while serving; the client only sees "internal error". */
  onInternalError?: (error: unknown, where: string) => void;
}

export const defaultNodeRpcLimits = { maxRequestBytes: 1024 * 1024, maxBatch: 100 } as const;

/**
 * The validator's one HTTP port: JSON-RPC over POST / and WebSocket, `GET /metrics` (Prometheus)
 * and `GET /health` (200 `ok`).
 */
export function createNodeRpcServer(
  node: ValidatorNode,
  options: NodeRpcServerOptions,
  deps: NodeRpcServerDependencies = {},
): RpcServer {
  const metrics = deps.metrics ?? createNodeMetrics(node);
  const methods = createRpcMethods(node, {
    subscriptions: {
      maxPerConnection: options.maxSubscriptionsPerConnection ?? defaultSubscriptionOptions.maxPerConnection,
      ...(deps.onInternalError ? { onError: deps.onInternalError } : {}),
    },
  });
  return createRpcServer(
    {
      host: options.host,
      port: options.port,
      maxRequestBytes: options.maxRequestBytes ?? defaultNodeRpcLimits.maxRequestBytes,
      maxBatch: options.maxBatch ?? defaultNodeRpcLimits.maxBatch,
    },
    {
      methods,
      getRoutes: {
        '/metrics': async () => {
          const { contentType, body } = await metrics.render();
          return [200, contentType, body];
        },
        '/health': async () => [200, 'text/plain', 'ok\n'],
      },
      ...(deps.onInternalError ? { onInternalError: deps.onInternalError } : {}),
    },
  );
}
