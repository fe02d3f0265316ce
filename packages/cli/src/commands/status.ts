import { ShardpayError } from '@shardpay/crypto';
import { readDevnetManifest } from '../devnet/openDevnet.ts';
import { type DevnetStatus, queryDevnetStatus } from '../devnet/queryDevnetStatus.ts';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { gatewayOption, openGateway } from './gatewayContext.ts';

/** How long one validator gets to answer. */
const STATUS_TIMEOUT_MS = 2000;

function statusText(status: DevnetStatus): string {
  const lines = [`chain ${status.chainId} (${status.dir})`];
  for (const shard of status.shards) {
    const down = shard.down.length > 0 ? `, down: ${shard.down.map((i) => `v${i}`).join(' ')}` : '';
    lines.push(
      `shard ${shard.id}: height ${shard.height ?? '-'}, ${shard.up}/${shard.validators} validators up${down}`,
    );
    for (const node of shard.nodes) {
      lines.push(
        node.up
          ? `  v${node.index} ${node.rpc} height ${node.height} round ${node.round ?? '-'} peers ${node.peers ?? '-'}`
          : `  v${node.index} ${node.rpc} DOWN: ${node.error}`,
      );
    }
  }
  return lines.join('\n');
}

/** What `shardpay status` prints when it asks the gateway. */
interface GatewayStatus {
  chainId: string;
  gateway: string;
  shards: Array<{ id: number; height: number | null; validators: number; up: number; nodes: number }>;
}

function gatewayStatusText(status: GatewayStatus): string {
  const lines = [`chain ${status.chainId} (gateway ${status.gateway})`];
  for (const shard of status.shards) {
    lines.push(
      `shard ${shard.id}: height ${shard.height ?? '-'}, ${shard.validators} validators, ${shard.up}/${shard.nodes} nodes answering the gateway`,
    );
  }
  return lines.join('\n');
}

/** `shardpay status`: from the gateway, or with `--dir DIR` from each validator of the devnet in DIR. */
export async function runStatusCommand(
  values: Record<string, string | boolean | undefined>,
  output: Output,
): Promise<number> {
  if (typeof values.dir !== 'string') {
    const { client, url } = openGateway(values);
    const network = await client.network();
    const status: GatewayStatus = {
      chainId: network.chain_id,
      gateway: url,
      shards: network.shards.map((shard) => ({
        id: shard.id,
        height: shard.height === null ? null : Number(shard.height),
        validators: shard.validators,
        up: shard.nodes_up,
        nodes: shard.nodes,
      })),
    };
    output.result(status, () => gatewayStatusText(status));
    return 0;
  }
  const manifest = await readDevnetManifest(values.dir);
  if (!manifest) {
    throw new ShardpayError(
      'DEVNET_NOT_FOUND',
      `no devnet in ${values.dir} (no devnet.json); start one with shardpay devnet --dir ${values.dir}`,
      { meta: { dir: values.dir } },
    );
  }
  const status = await queryDevnetStatus(values.dir, manifest, { timeoutMs: STATUS_TIMEOUT_MS });
  output.result(status, () => statusText(status));
  return 0;
}

export const statusCommand: Command = {
  summary: 'heights and validators of each shard (from the gateway, or the devnet in --dir)',
  usage: 'shardpay status [--gateway URL | --dir DIR] [--json]',
  options: { dir: { type: 'string' }, ...gatewayOption },
  run: ({ values }, output) => runStatusCommand(values, output),
};
