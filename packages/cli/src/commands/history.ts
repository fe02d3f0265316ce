import { ShardpayError } from '@shardpay/crypto';
import type { GatewayChainTransaction } from '@shardpay/sdk';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { formatTable } from './formatTable.ts';
import { gatewayOption, openGateway } from './gatewayContext.ts';
import { parseCountFlag } from './parseCountFlag.ts';
import { resolveAddress } from './walletAccess.ts';

const usage = 'shardpay history WALLET_OR_ADDRESS [--limit N] [--starting-after TX] [--gateway URL] [--json]';

function historyItem(item: GatewayChainTransaction) {
  return {
    tx: item.tx_id,
    shard: item.shard,
    height: item.height,
    timestamp: item.timestamp,
    operation: item.operation,
    direction: item.direction,
    from: item.from,
    to: item.to,
    amount: item.amount,
    fee: item.fee,
    status: item.status ?? null,
    targetShard: item.target_shard ?? null,
  };
}

/** `shardpay history`: the on-chain history of a wallet (or any address), newest first, a page at a time. */
export async function runHistoryCommand(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  output: Output,
): Promise<number> {
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const limit = parseCountFlag(values.limit, 'limit');
  if (limit !== undefined && limit > 100) throw new ShardpayError('USAGE', '--limit is 1 to 100');
  const { address } = await resolveAddress(target);
  const { client } = openGateway(values);
  const page = await client.accountTransactions(address, {
    ...(limit === undefined ? {} : { limit }),
    ...(typeof values['starting-after'] === 'string' ? { startingAfter: values['starting-after'] } : {}),
  });
  const data = page.data.map(historyItem);
  output.result({ address, data, hasMore: page.has_more }, () => {
    if (data.length === 0) return `no transactions for ${address} yet`;
    const table = formatTable([
      ['TIME', 'DIRECTION', 'AMOUNT', 'COUNTERPARTY', 'STATUS', 'TX'],
      ...data.map((item) => [
        new Date(item.timestamp * 1000).toISOString().replace('T', ' ').slice(0, 19),
        item.direction,
        `${item.direction === 'received' ? '+' : item.direction === 'sent' ? '-' : ' '}${item.amount}`,
        (item.direction === 'received' ? item.from : item.to) ?? `(${item.operation})`,
        item.status ?? '-',
        item.tx,
      ]),
    ]);
    const more = page.has_more
      ? `\nmore: shardpay history ${target} --starting-after ${data.at(-1)?.tx}`
      : '';
    return `${table}${more}`;
  });
  return 0;
}

export const historyCommand: Command = {
  summary: 'the transactions of a wallet (or address), newest first',
  usage,
  options: { ...gatewayOption, limit: { type: 'string' }, 'starting-after': { type: 'string' } },
  run: ({ values, positionals }, output) => runHistoryCommand(values, positionals, output),
};
