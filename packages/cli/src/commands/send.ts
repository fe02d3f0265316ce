import { decodeAddress, isShardpayError, ShardpayError } from '@shardpay/crypto';
import { formatAmount, shardOfAddress } from '@shardpay/protocol';
import { buildTransfer, DEFAULT_EXPIRY_BLOCKS, waitForPayment } from '@shardpay/sdk';
import { loadWallet } from '../home/walletStore.ts';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { assertLoggedIn, fetchNetwork, gatewayOption, openGateway } from './gatewayContext.ts';
import { timeoutMsOf } from './waitForTransaction.ts';
import { ensureWalletRegistered, parseAmountFlag, resolveAddress, unlockWallet } from './walletAccess.ts';

const usage =
  'shardpay send --wallet NAME --to ADDRESS_OR_WALLET --amount A [--memo M] [--timeout SEC] [--gateway URL] [--json]';

/**
 * `shardpay send`: signs a transfer locally and submits it through the gateway, then waits until it is
 * final (same shard) or credited / refunded (across shards).
 */
export async function runSendCommand(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  output: Output,
): Promise<number> {
  if (positionals.length > 0 || typeof values.wallet !== 'string' || typeof values.to !== 'string') {
    throw new ShardpayError('USAGE', `usage: ${usage}`);
  }
  // Everything that can be refused locally is, before a passphrase is asked or a request is made.
  const wallet = await loadWallet(values.wallet);
  const amount = parseAmountFlag(values.amount);
  const memo = typeof values.memo === 'string' ? values.memo : undefined;
  const timeoutMs = timeoutMsOf(values.timeout);
  const gateway = openGateway(values);
  assertLoggedIn(gateway);
  const { client } = gateway;
  const { network } = await fetchNetwork(client);
  const { address: to } = await resolveAddress(values.to);
  let toShard: number;
  try {
    toShard = shardOfAddress(network, decodeAddress(to, network.addressPrefix));
  } catch (error) {
    if (!isShardpayError(error)) throw error;
    throw new ShardpayError(error.code, `--to: ${error.message}`, {
      meta: { type: 'invalid_request_error' },
    });
  }
  const account = await unlockWallet(wallet, network);
  const registration = await ensureWalletRegistered(client, account, wallet.name);
  if (registration.registeredNow) output.progress(`registered wallet ${wallet.name} with ${gateway.url}`);

  const state = await client.account(account.address);
  const transaction = buildTransfer({
    from: account,
    to,
    amount,
    ...(memo === undefined ? {} : { memo }),
    nonce: BigInt(state.pending_nonce ?? state.nonce),
    expiryHeight: BigInt(state.height) + BigInt(DEFAULT_EXPIRY_BLOCKS),
  });
  const payment = await client.submitPayment(transaction);
  const crossShard = account.shard !== toShard;
  output.progress(
    `sent ${formatAmount(amount)} USD from ${account.address} (shard ${account.shard}) to ${to} (shard ${toShard})\n  tx ${payment.tx_id}; waiting until ${crossShard ? 'credited on shard ' + toShard : 'final'}…`,
  );
  const settled = await waitForPayment(
    client,
    payment.id,
    crossShard ? ['credited', 'refunded'] : ['final'],
    {
      timeoutMs,
      onStatus: (update) => output.progress(`  ${update.status}`),
    },
  );
  const result = {
    tx: payment.tx_id,
    status: settled.status,
    fromShard: account.shard,
    toShard,
    payment: payment.id,
    from: account.address,
    to,
    amount: payment.amount,
    fee: payment.fee,
  };
  output.result(result, () => `${settled.status}: ${payment.amount} USD to ${to}\n  tx ${payment.tx_id}`);
  return 0;
}

export const sendCommand: Command = {
  summary: 'send money from a wallet; waits until final (and credited across shards)',
  usage,
  options: {
    ...gatewayOption,
    wallet: { type: 'string' },
    to: { type: 'string' },
    amount: { type: 'string' },
    memo: { type: 'string' },
    timeout: { type: 'string' },
  },
  run: ({ values, positionals }, output) => runSendCommand(values, positionals, output),
};
