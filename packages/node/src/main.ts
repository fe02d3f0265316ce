import { parseArgs } from 'node:util';
import { isShardpayError } from '@shardpay/crypto';
import { createValidatorNode, type ValidatorNodeOptions } from './createValidatorNode.ts';
import { loadNodeConfig } from './loadNodeConfig.ts';
import { createNodeMetrics } from './metrics/createNodeMetrics.ts';
import type { NodeConfig } from './NodeConfig.ts';
import { createNodeRpcServer } from './rpc/createNodeRpcServer.ts';
import type { ValidatorNode } from './ValidatorNode.ts';

const usage = 'usage: shardpay-node --config FILE';

/** What the process entry point needs from the outside world (replaced in tests). */
export interface NodeMainDependencies {
  loadConfig(path: string): Promise<NodeConfig>;
  createNode(config: NodeConfig, options: ValidatorNodeOptions): Promise<ValidatorNode>;
  /** Writes one line (a JSON log line) to stdout. */
  writeLine(line: string): void;
  /** Writes a message for people to stderr. */
  writeError(message: string): void;
  /** Where SIGTERM / SIGINT (and the supervisor's `disconnect`) arrive. */
  onStopRequest(listener: (reason: string) => void): () => void;
  /** Ends the process at once (a second stop request while stopping). */
  exit(code: number): void;
  now(): Date;
}

/** The real process: stdout/stderr, signals, and the supervisor's IPC channel when there is one. */
export const processDependencies: NodeMainDependencies = {
  loadConfig: loadNodeConfig,
  createNode: createValidatorNode,
  writeLine: (line) => process.stdout.write(`${line}\n`),
  writeError: (message) => process.stderr.write(`${message}\n`),
  onStopRequest(listener) {
    const onTerm = () => listener('SIGTERM');
    const onInt = () => listener('SIGINT');
    // Started by `shardpay devnet` with an IPC channel: if the supervisor dies, so does this node.
    const onDisconnect = () => listener('supervisor_gone');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
    if (process.channel) {
      process.on('disconnect', onDisconnect);
      process.channel.unref();
    } else if (process.send !== undefined && !process.connected) {
      // Started with an IPC channel that closed before we listened (the supervisor died while this
      // node was loading its config): no 'disconnect' will come, so stop now rather than linger.
      queueMicrotask(() => listener('supervisor_gone'));
    }
    return () => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      process.off('disconnect', onDisconnect);
    };
  },
  exit: (code) => process.exit(code),
  now: () => new Date(),
};

/** JSON lines: one object per event; bigints as strings, bytes as hex. Never given secrets. */
function createLogger(deps: NodeMainDependencies, base: Record<string, unknown>) {
  return (event: string, fields: Record<string, unknown> = {}) => {
    const line = JSON.stringify(
      { time: deps.now().toISOString(), event, ...base, ...fields },
      (_key, value) => {
        if (typeof value === 'bigint') return value.toString();
        if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
        return value;
      },
    );
    deps.writeLine(line);
  };
}

function describeError(error: unknown): { code: string; message: string } {
  if (isShardpayError(error)) return { code: error.code, message: error.message };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return {
    code: typeof code === 'string' ? code : 'INTERNAL',
    message: error instanceof Error ? error.message : String(error),
  };
}

/**
 * `shardpay-node --config FILE`: loads the config, builds and starts the validator, serves JSON-RPC,
 * `/metrics` and `/health` on `rpc.host:rpc.port`, and logs one JSON line per event on stdout. Stops
 * on SIGTERM/SIGINT (RPC first, then the node) and resolves with the exit code: 0 after a clean
 * stop, 1 when it cannot start (bad config, port taken), 2 on a usage error.
 */
export async function main(
  argv: string[],
  deps: NodeMainDependencies = processDependencies,
): Promise<number> {
  let configPath: string;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      deps.writeError(usage);
      return 0;
    }
    if (!values.config) throw new Error('--config FILE is required');
    configPath = values.config;
  } catch (error) {
    deps.writeError(`shardpay-node: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }

  let log = createLogger(deps, {});
  let config: NodeConfig;
  try {
    config = await deps.loadConfig(configPath);
  } catch (error) {
    const described = describeError(error);
    log('config_invalid', { error: described });
    deps.writeError(`shardpay-node: bad config: ${described.message}`);
    return 1;
  }
  log = createLogger(deps, { shard: config.shard, validator: config.validatorIndex });

  // Stop requests may come while starting: remember the first and stop once started. A second one
  // means "now": the process exits at once.
  let stopRequested: string | undefined;
  let wake: (() => void) | undefined;
  const removeStopListener = deps.onStopRequest((reason) => {
    if (stopRequested !== undefined) {
      log('forced_exit', { reason });
      deps.exit(1);
      return;
    }
    stopRequested = reason;
    wake?.();
  });

  try {
    let node: ValidatorNode;
    try {
      node = await deps.createNode(config, { log: (event, fields) => log(event, fields) });
      await node.start();
    } catch (error) {
      const described = describeError(error);
      log('start_failed', { error: described });
      deps.writeError(`shardpay-node: cannot start the validator: ${described.message}`);
      return 1;
    }
    const server = createNodeRpcServer(node, config.rpc, {
      metrics: createNodeMetrics(node, { processMetrics: true }),
      onInternalError: (error, where) => log('internal_error', { where, error: describeError(error) }),
    });
    try {
      await server.start();
    } catch (error) {
      const described = describeError(error);
      const message =
        described.code === 'EADDRINUSE'
          ? `RPC port ${config.rpc.host}:${config.rpc.port} is already in use`
          : `cannot serve RPC on ${config.rpc.host}:${config.rpc.port}: ${described.message}`;
      log('rpc_failed', { error: { ...described, message } });
      deps.writeError(`shardpay-node: ${message}`);
      await node.stop();
      return 1;
    }
    log('rpc_started', { url: `http://${config.rpc.host}:${server.port()}`, p2p: config.p2p.listen });

    if (stopRequested === undefined) await new Promise<void>((resolve) => (wake = resolve));
    log('stopping', { reason: stopRequested });
    let code = 0;
    for (const [what, stop] of [
      ['rpc', () => server.stop()],
      ['node', () => node.stop()],
    ] as const) {
      try {
        await stop();
      } catch (error) {
        code = 1;
        log('stop_failed', { what, error: describeError(error) });
      }
    }
    log('stopped', { code });
    return code;
  } finally {
    removeStopListener();
  }
}
