import { ShardpayError } from '@shardpay/crypto';
import { formatAmount } from '@shardpay/protocol';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { gatewayOption, openGateway } from './gatewayContext.ts';
import { timeoutMsOf, waitForTransaction } from './waitForTransaction.ts';
import { parseAmountFlag, resolveAddress } from './walletAccess.ts';

const usage =
  'shardpay faucet --to ADDRESS_OR_WALLET --amount A [--no-wait] [--timeout SEC] [--gateway URL] [--json]';

/**
 * `shardpay faucet`: free test money on a devnet (the gateway refuses elsewhere). Waits until the
 * transfer is final, so the balance shows it, unless --no-wait.
 */
export async function runFaucetCommand(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  output: Output,
): Promise<number> {
  if (positionals.length > 0 || typeof values.to !== 'string')
    throw new ShardpayError('USAGE', `usage: ${usage}`);
  const amount = parseAmountFlag(values.amount);
  const timeoutMs = timeoutMsOf(values.timeout);
  const { address } = await resolveAddress(values.to);
  const { client } = openGateway(values);
  const sent = await client.faucet({ address, amount: formatAmount(amount) });
  let status = sent.status;
  if (values['no-wait'] !== true) {
    output.progress(`faucet transfer ${sent.tx_id} submitted on shard ${sent.shard}; waiting until final…`);
    status = (await waitForTransaction(client, sent.tx_id, ['final', 'credited'], { timeoutMs })).status;
  }
  const result = { tx: sent.tx_id, to: sent.to, shard: sent.shard, amount: sent.amount, status };
  output.result(
    result,
    () => `${sent.amount} USD sent to ${sent.to} (shard ${sent.shard}): ${status}\n  tx ${sent.tx_id}`,
  );
  return 0;
}

export const faucetCommand: Command = {
  summary: 'devnet only: free test money to an address or wallet',
  usage,
  options: {
    ...gatewayOption,
    to: { type: 'string' },
    amount: { type: 'string' },
    timeout: { type: 'string' },
    'no-wait': { type: 'boolean' },
  },
  run: ({ values, positionals }, output) => runFaucetCommand(values, positionals, output),
};
