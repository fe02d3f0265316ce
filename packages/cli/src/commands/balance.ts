import { ShardpayError } from '@shardpay/crypto';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { gatewayOption, openGateway } from './gatewayContext.ts';
import { resolveAddress } from './walletAccess.ts';

const usage = 'shardpay balance ADDRESS_OR_WALLET [--gateway URL] [--json]';

/** `shardpay balance`: an address's balance, read by the gateway from a node of its home shard. */
export async function runBalanceCommand(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  output: Output,
): Promise<number> {
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const { address, wallet } = await resolveAddress(target);
  const { client } = openGateway(values);
  const account = await client.account(address);
  const result = {
    address: account.address,
    shard: account.shard,
    balance: account.balance,
    currency: account.currency,
    nonce: account.nonce,
    height: account.height,
    ...(wallet ? { wallet: wallet.name } : {}),
  };
  output.result(result, () =>
    [
      `${wallet ? `${wallet.name} ` : ''}${account.address} (shard ${account.shard})`,
      `  balance  ${account.balance} USD`,
      `  as of height ${account.height}, nonce ${account.nonce}`,
    ].join('\n'),
  );
  return 0;
}

export const balanceCommand: Command = {
  summary: 'the balance of an address, or of a wallet by name',
  usage,
  options: { ...gatewayOption },
  run: ({ values, positionals }, output) => runBalanceCommand(values, positionals, output),
};
