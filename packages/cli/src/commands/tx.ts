import { ShardpayError } from '@shardpay/crypto';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { formatTable } from './formatTable.ts';
import { gatewayOption, openGateway } from './gatewayContext.ts';

const usage = 'shardpay tx HASH [--gateway URL] [--json]';

/** `shardpay tx`: the status stages of one transaction (final on its shard, credited on the target…). */
export async function runTxCommand(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  output: Output,
): Promise<number> {
  const [hash, ...extra] = positionals;
  if (hash === undefined || extra.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
  if (!/^[0-9a-fA-F]{64}$/.test(hash)) {
    throw new ShardpayError('PARAMETER_INVALID', 'a transaction hash is 64 hex characters', {
      meta: { type: 'invalid_request_error' },
    });
  }
  const { client } = openGateway(values);
  const status = await client.transaction(hash.toLowerCase());
  const result = {
    tx: status.tx_id,
    status: status.status,
    shard: status.shard,
    targetShard: status.target_shard,
    stages: status.stages.map((stage) => ({ stage: stage.stage, shard: stage.shard, height: stage.height })),
  };
  output.result(result, () =>
    [
      `transaction ${status.tx_id}: ${status.status}`,
      `  from shard ${status.shard}${status.target_shard === null ? '' : ` to shard ${status.target_shard}`}`,
      formatTable([
        ['STAGE', 'SHARD', 'HEIGHT'],
        ...status.stages.map((stage) => [stage.stage, String(stage.shard), stage.height ?? '-']),
      ])
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n'),
    ].join('\n'),
  );
  return 0;
}

export const txCommand: Command = {
  summary: 'the status stages of a transaction by its hash',
  usage,
  options: { ...gatewayOption },
  run: ({ values, positionals }, output) => runTxCommand(values, positionals, output),
};
