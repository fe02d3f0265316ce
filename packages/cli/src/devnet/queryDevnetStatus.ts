import { ShardpayError } from '@shardpay/crypto';
import { callNodeRpc } from './callNodeRpc.ts';
import type { DevnetManifest } from './openDevnet.ts';

/** One validator as `shardpay status` sees it. */
export interface ValidatorStatus {
  index: number;
  rpc: string;
  up: boolean;
  height?: number;
  round?: number;
  peers?: number;
  /** Why it counts as down. */
  error?: string;
}

export interface ShardStatus {
  id: number;
  /** The highest height among its validators that answered; null when none did. */
  height: number | null;
  validators: number;
  up: number;
  /** Indices of the validators that did not answer (or answered for another chain). */
  down: number[];
  nodes: ValidatorStatus[];
}

export interface DevnetStatus {
  chainId: string;
  dir: string;
  shards: ShardStatus[];
}

/** The RPC URL of a validator listening on `port` on loopback. */
export function validatorRpcUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** Asks every validator of the devnet for its network info, all at once, each bounded by `timeoutMs`. */
export async function queryDevnetStatus(
  dir: string,
  manifest: DevnetManifest,
  options: { timeoutMs: number },
): Promise<DevnetStatus> {
  const answers = await Promise.all(
    manifest.validators.map(async (record): Promise<[number, ValidatorStatus]> => {
      const rpc = validatorRpcUrl(record.rpcPort);
      try {
        const info = (await callNodeRpc(rpc, 'shardpay_networkInfo', {}, options)) as {
          chainId?: unknown;
          shard?: unknown;
          height?: unknown;
          round?: unknown;
          peers?: unknown;
        };
        if (typeof info.height !== 'string' || !/^[0-9]{1,20}$/.test(info.height)) {
          throw new ShardpayError('NODE_UNREACHABLE', `${rpc} answered without a height`);
        }
        if (info.chainId !== manifest.chainId || info.shard !== record.shard) {
          throw new ShardpayError(
            'NODE_UNREACHABLE',
            `another node answers on ${rpc} (chain ${String(info.chainId)}, shard ${String(info.shard)})`,
          );
        }
        return [
          record.shard,
          {
            index: record.index,
            rpc,
            up: true,
            height: Number(info.height),
            ...(typeof info.round === 'number' ? { round: info.round } : {}),
            ...(typeof info.peers === 'number' ? { peers: info.peers } : {}),
          },
        ];
      } catch (error) {
        return [record.shard, { index: record.index, rpc, up: false, error: (error as Error).message }];
      }
    }),
  );
  const shards: ShardStatus[] = Array.from({ length: manifest.shards }, (_, id) => {
    const nodes = answers.filter(([shard]) => shard === id).map(([, node]) => node);
    const heights = nodes.flatMap((node) => (node.up && node.height !== undefined ? [node.height] : []));
    return {
      id,
      height: heights.length > 0 ? Math.max(...heights) : null,
      validators: nodes.length,
      up: nodes.filter((node) => node.up).length,
      down: nodes.filter((node) => !node.up).map((node) => node.index),
      nodes,
    };
  });
  return { chainId: manifest.chainId, dir, shards };
}
