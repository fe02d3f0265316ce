import { ShardpayError } from '@shardpay/crypto';
import { readDevnetManifest } from '../devnet/openDevnet.ts';
import { type DevnetStatus, queryDevnetStatus } from '../devnet/queryDevnetStatus.ts';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';

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

/** `shardpay status --dir DIR`: asks each validator of the devnet in DIR. */
export async function runStatusCommand(
  values: Record<string, string | boolean | undefined>,
  output: Output,
): Promise<number> {
  if (typeof values.dir !== 'string') {
    throw new ShardpayError(
      'USAGE',
      'shardpay status needs --dir DIR (a devnet folder) for now: asking the gateway comes with the gateway, a later issue',
    );
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
  summary: 'heights and validators of each shard (of the devnet in --dir)',
  usage: 'shardpay status --dir DIR [--json]',
  options: { dir: { type: 'string' } },
  run: ({ values }, output) => runStatusCommand(values, output),
};
