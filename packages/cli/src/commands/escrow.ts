import { ShardpayError } from '@shardpay/crypto';
import { type EscrowAction, formatAmount } from '@shardpay/protocol';
import {
  buildEscrowDispute,
  buildEscrowLock,
  buildEscrowRefund,
  buildEscrowRelease,
  buildEscrowSettle,
  type EscrowState,
  signEscrowAction,
} from '@shardpay/sdk';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import {
  addressOnNetwork,
  chainOptions,
  chainUsage,
  feePayerOn,
  nextTransaction,
  openChain,
  openWallet,
  submitAndFollow,
} from './chainContext.ts';
import {
  type FlagValues,
  optionalFlag,
  parseAddressText,
  parseAmountOrZeroFlag,
  parseDeadline,
  parseHashArgument,
  requireFlag,
  subcommandOf,
} from './commerceFlags.ts';
import { timeoutMsOf } from './waitForTransaction.ts';
import { parseAmountFlag, resolveAddress } from './walletAccess.ts';

const usage = [
  `shardpay escrow lock --merchant ADDRESS_OR_WALLET --amount A --order-id ID --deadline 7d|ISO [--arbiter ADDR] [--oracle ADDR] [--memo M] --wallet BUYER ${chainUsage} [--json]`,
  `       shardpay escrow show ESCROW_ID ${chainUsage} [--json]`,
  `       shardpay escrow release|refund|dispute ESCROW_ID --wallet NAME ${chainUsage} [--json]`,
  `       shardpay escrow settle ESCROW_ID --buyer-amount A --wallet ARBITER ${chainUsage} [--json]`,
].join('\n');

/** An escrow as the CLI prints it (amounts as 6-decimal strings, the deadline as ISO time). */
export function escrowJson(escrow: EscrowState) {
  return {
    escrow: escrow.escrowId,
    status: escrow.status,
    shard: escrow.shard,
    buyer: escrow.buyer,
    merchant: escrow.merchant,
    amount: formatAmount(escrow.amount),
    orderId: escrow.orderId,
    deadline: new Date(Number(escrow.deadlineMs)).toISOString(),
    arbiter: escrow.arbiter,
    oracle: escrow.oracle,
    lockedHeight: escrow.lockedHeight.toString(),
    closedHeight: escrow.closedHeight === null ? null : escrow.closedHeight.toString(),
    height: escrow.height.toString(),
  };
}

function escrowText(escrow: ReturnType<typeof escrowJson>): string {
  return [
    `escrow ${escrow.escrow}: ${escrow.status} (shard ${escrow.shard})`,
    `  ${escrow.amount} USD from ${escrow.buyer} to ${escrow.merchant}`,
    `  order ${escrow.orderId}, deadline ${escrow.deadline}`,
    `  arbiter ${escrow.arbiter ?? '—'}, oracle ${escrow.oracle ?? '—'}`,
  ].join('\n');
}

/** An optional address flag, or a wallet of SHARDPAY_HOME by name. */
async function optionalAddressFlag(values: FlagValues, flag: string): Promise<string | null> {
  const text = optionalFlag(values, flag);
  if (text === undefined) return null;
  return parseAddressText((await resolveAddress(text)).address, flag);
}

async function runLock(values: FlagValues, rest: string[], output: Output): Promise<number> {
  if (rest.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
  // Everything that can be refused locally is, before a passphrase is asked or a node is asked.
  const walletName = requireFlag(values, 'wallet', 'NAME (the buyer)', usage);
  const merchantText = requireFlag(values, 'merchant', 'ADDRESS_OR_WALLET', usage);
  const merchant = parseAddressText((await resolveAddress(merchantText)).address, 'merchant');
  const amount = parseAmountFlag(values.amount);
  const orderId = requireFlag(values, 'order-id', 'ID', usage);
  const deadlineMs = parseDeadline(requireFlag(values, 'deadline', '7d|ISO', usage), 'deadline', Date.now());
  const arbiter = await optionalAddressFlag(values, 'arbiter');
  const oracle = await optionalAddressFlag(values, 'oracle');
  const memo = optionalFlag(values, 'memo');
  const timeoutMs = timeoutMsOf(values.timeout);

  const chain = await openChain(values);
  const merchantShard = addressOnNetwork(chain.network, merchant, 'merchant').shard;
  for (const [flag, address] of [
    ['arbiter', arbiter],
    ['oracle', oracle],
  ] as const) {
    if (address !== null) addressOnNetwork(chain.network, address, flag);
  }
  const buyer = await openWallet(chain, walletName);
  output.progress(
    `locking ${formatAmount(amount)} USD from ${buyer.address} (shard ${buyer.shard}) for ${merchant} (shard ${merchantShard}), order ${orderId}`,
  );
  const tx = await nextTransaction(chain, buyer, (common) =>
    buildEscrowLock({
      ...common,
      merchant,
      amount,
      orderId,
      deadlineMs: BigInt(deadlineMs),
      arbiter,
      oracle,
      ...(memo === undefined ? {} : { memo }),
    }),
  );
  const followed = await submitAndFollow(chain, tx, { wanted: 'final', timeoutMs, output });
  const escrow = escrowJson(await chain.client.getEscrow(followed.txId, { shard: buyer.shard }));
  output.result({ ...escrow, tx: followed.txId, txStatus: followed.status }, () =>
    [`escrow ${escrow.escrow} locked`, escrowText(escrow)].join('\n'),
  );
  return 0;
}

async function runShow(values: FlagValues, rest: string[], output: Output): Promise<number> {
  const [id, ...extra] = rest;
  if (extra.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const escrowId = parseHashArgument(id, 'an escrow id', usage);
  const chain = await openChain(values);
  const escrow = escrowJson(await chain.client.getEscrow(escrowId));
  output.result(escrow, () => escrowText(escrow));
  return 0;
}

/**
 * release / refund / dispute / settle by the wallet's owner. When the wallet lives on the escrow's
 * shard it sends the action itself; otherwise it signs an authorization and a fee payer of that shard
 * (a devnet's faucet key, or a fresh key when the fee is 0) submits it.
 */
async function runAction(
  action: EscrowAction,
  values: FlagValues,
  rest: string[],
  output: Output,
): Promise<number> {
  const [id, ...extra] = rest;
  if (extra.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const escrowId = parseHashArgument(id, 'an escrow id', usage);
  const walletName = requireFlag(values, 'wallet', 'NAME (the acting party)', usage);
  const buyerAmount =
    action === 'settle' ? parseAmountOrZeroFlag(values['buyer-amount'], 'buyer-amount') : undefined;
  const timeoutMs = timeoutMsOf(values.timeout);

  const chain = await openChain(values);
  const before = await chain.client.getEscrow(escrowId);
  const party = await openWallet(chain, walletName);
  const selfSends = party.shard === before.shard;
  let sender = party;
  let authorization = null;
  let feePayer: string | null = null;
  if (!selfSends) {
    const payer = await feePayerOn(chain, before.shard);
    sender = payer.account;
    feePayer = payer.account.address;
    authorization = signEscrowAction(
      {
        chainId: chain.network.chainId,
        escrowId,
        action,
        ...(buyerAmount === undefined ? {} : { buyerAmount }),
      },
      party.exportPrivateKey(),
    );
    output.progress(
      `${party.address} lives on shard ${party.shard}: signed a ${action} authorization; ${payer.source} submits it on shard ${before.shard}`,
    );
  }
  const tx = await nextTransaction(chain, sender, (common) => {
    const parameters = { ...common, escrowId, authorization };
    switch (action) {
      case 'release':
        return buildEscrowRelease(parameters);
      case 'refund':
        return buildEscrowRefund(parameters);
      case 'dispute':
        return buildEscrowDispute(parameters);
      case 'settle':
        return buildEscrowSettle({ ...parameters, buyerAmount: buyerAmount ?? 0n });
    }
  });
  // A release or settlement pays the merchant, maybe on another shard: wait until it is credited.
  const merchantShard = addressOnNetwork(chain.network, before.merchant, 'merchant').shard;
  const pays = action === 'release' || action === 'settle';
  const followed = await submitAndFollow(chain, tx, {
    wanted: pays && merchantShard !== before.shard ? 'credited' : 'final',
    timeoutMs,
    output,
  });
  const after = escrowJson(await chain.client.getEscrow(escrowId, { shard: before.shard }));
  const result = {
    ...after,
    action,
    by: party.address,
    via: selfSends ? 'self' : 'authorization',
    feePayer,
    tx: followed.txId,
    txStatus: followed.status,
    ...(buyerAmount === undefined
      ? {}
      : {
          buyerAmount: formatAmount(buyerAmount),
          merchantAmount: formatAmount(before.amount - buyerAmount),
        }),
  };
  output.result(result, () =>
    [`${action}: ${followed.status} (tx ${followed.txId})`, escrowText(after)].join('\n'),
  );
  return 0;
}

/** `shardpay escrow`: lock coins for a merchant until delivery, show, release, refund, dispute, settle. */
export async function runEscrowCommand(
  values: FlagValues,
  positionals: string[],
  output: Output,
): Promise<number> {
  const { sub, rest } = subcommandOf(
    positionals,
    ['lock', 'show', 'release', 'refund', 'dispute', 'settle'],
    usage,
  );
  if (sub === 'lock') return runLock(values, rest, output);
  if (sub === 'show') return runShow(values, rest, output);
  return runAction(sub as EscrowAction, values, rest, output);
}

export const escrowCommand: Command = {
  summary: 'on-chain escrow: lock for a merchant, show, release, refund, dispute, settle',
  usage,
  options: {
    ...chainOptions,
    wallet: { type: 'string' },
    merchant: { type: 'string' },
    amount: { type: 'string' },
    'order-id': { type: 'string' },
    deadline: { type: 'string' },
    arbiter: { type: 'string' },
    oracle: { type: 'string' },
    memo: { type: 'string' },
    'buyer-amount': { type: 'string' },
  },
  run: ({ values, positionals }, output) => runEscrowCommand(values, positionals, output),
};
