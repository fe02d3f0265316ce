import { createValidatorNode } from '../../src/createValidatorNode.ts';
import { createNodeRpcServer } from '../../src/rpc/createNodeRpcServer.ts';
import type { RpcServer } from '../../src/rpc/createRpcServer.ts';
import type { ValidatorNode } from '../../src/ValidatorNode.ts';
import type { LocalNetwork } from './localNetwork.ts';

/** The validators of a local network, started, each serving JSON-RPC on a free loopback port. */
export interface LocalValidators {
  nodes: ValidatorNode[];
  /** Shard id → RPC URLs of its validators. */
  urls: Record<number, string[]>;
  /** Stops the RPC servers, then the validators (the network's folder is the caller's). */
  stop(): Promise<void>;
}

/** Creates and starts every validator of `network`, then an RPC server in front of each. */
export async function startLocalValidators(network: LocalNetwork): Promise<LocalValidators> {
  const nodes: ValidatorNode[] = [];
  for (const config of network.configs.flat()) nodes.push(await createValidatorNode(config));
  await Promise.all(nodes.map((node) => node.start()));
  const servers: RpcServer[] = [];
  const urls: Record<number, string[]> = {};
  for (const node of nodes) {
    const server = createNodeRpcServer(node, { host: '127.0.0.1', port: 0 });
    await server.start();
    servers.push(server);
    urls[node.shard] = [...(urls[node.shard] ?? []), `http://127.0.0.1:${server.port()}`];
  }
  return {
    nodes,
    urls,
    async stop() {
      await Promise.all(servers.map((server) => server.stop()));
      await Promise.all(nodes.map((node) => node.stop()));
    },
  };
}
