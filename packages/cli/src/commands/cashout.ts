import { ShardpayError } from '@shardpay/crypto';
import { formatAmount, parseAmount } from '@shardpay/protocol';
import {
  buildCashoutBurn,
  DEFAULT_EXPIRY_BLOCKS,
  type GatewayCashout,
  isGatewayError,
  waitForCashout,
} from '@shardpay/sdk';
import { loadWallet } from '../home/walletStore.ts';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { assertLoggedIn, fetchNetwork, gatewayOption, openGateway } from './gatewayContext.ts';
import { parseCentsAmountFlag, parseDigitsFlag } from './rampInputs.ts';
import { timeoutMsOf } from './waitForTransaction.ts';
import { ensureWalletRegistered, unlockWallet } from './walletAccess.ts';

const usage =
  'shardpay cashout --wallet NAME --amount A --account ACCOUNT [--routing 110000000] [--timeout SEC] [--gateway URL] [--json]';

/** The sandbox bank's routing number, the only one it knows (docs/bank.md). */
export const DEFAULT_ROUTING_NUMBER = '110000000';

/** What people see as the cash-out moves (stderr). */
function describeStatus(cashout: GatewayCashout): string | undefined {
  const account = `account •••• ${cashout.bank_account.last4}`;
  switch (cashout.status) {
    case 'burning':
      return `  burn ${cashout.burn_tx ?? ''} submitted; waiting until final`;
    case 'burned':
      return `  burned ${cashout.amount} USD; requesting the payout`;
    case 'paying_out':
      return `  paying out to ${account}`;
    case 'paid':
      return '  paid';
    case 'refunding':
      return `  the bank could not pay ${account} (${cashout.failure_code ?? 'payout failed'}); minting the refund`;
    case 'refunded':
      return '  refunded';
    default:
      return undefined;
  }
}

/** The three ends a script sees: paid, refunded, or pending (still on its way when the wait ended). */
function resultStatus(cashout: GatewayCashout): 'paid' | 'refunded' | 'pending' {
  return cashout.status === 'paid' || cashout.status === 'refunded' ? cashout.status : 'pending';
}

/**
 * `shardpay cashout`: sends money from a wallet to a bank account. Starts the cash-out on the gateway,
 * signs the burn locally (amount and payout reference from the cash-out), submits it, and waits until
 * the bank paid — or the payout failed and the coins were minted back (`refunded`), or `--timeout`
 * passed (`pending`: it goes on without the CLI).
 */
export async function runCashoutCommand(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  output: Output,
): Promise<number> {
  if (positionals.length > 0 || typeof values.wallet !== 'string') {
    throw new ShardpayError('USAGE', `usage: ${usage}`);
  }
  // Everything that can be refused locally is, before a passphrase is asked or a request is made.
  const wallet = await loadWallet(values.wallet);
  const amount = parseCentsAmountFlag(values.amount);
  const accountNumber = parseDigitsFlag(values.account, 'account', 'the bank account number', 4, 17);
  const routingNumber =
    values.routing === undefined
      ? DEFAULT_ROUTING_NUMBER
      : parseDigitsFlag(values.routing, 'routing', 'the bank routing number', 9, 9);
  const timeoutMs = timeoutMsOf(values.timeout);
  const gateway = openGateway(values);
  assertLoggedIn(gateway);
  const { client } = gateway;
  const { network } = await fetchNetwork(client);
  const account = await unlockWallet(wallet, network);
  const registration = await ensureWalletRegistered(client, account, wallet.name);
  if (registration.registeredNow) output.progress(`registered wallet ${wallet.name} with ${gateway.url}`);

  // Refused before a cash-out is started, so none is left waiting for a burn that cannot happen.
  const state = await client.account(account.address);
  const balance = parseAmount(state.balance, { allowZero: true });
  if (balance < amount + network.flatFee) {
    throw new ShardpayError(
      'INSUFFICIENT_FUNDS',
      `wallet ${wallet.name} holds ${state.balance} USD: not enough for ${formatAmount(amount)} USD${network.flatFee > 0n ? ` and the ${formatAmount(network.flatFee)} USD fee` : ''}`,
      { meta: { type: 'invalid_request_error' } },
    );
  }
  const started = await client.createCashout({
    wallet: registration.id,
    amount: formatAmount(amount),
    bank_account: { routing_number: routingNumber, account_number: accountNumber },
  });
  output.progress(
    `cash-out ${started.id}: ${started.amount} USD from ${wallet.name} to account •••• ${started.bank_account.last4}; signing the burn…`,
  );
  const burn = buildCashoutBurn({
    from: account,
    cashout: started,
    nonce: BigInt(state.pending_nonce ?? state.nonce),
    expiryHeight: BigInt(state.height) + BigInt(DEFAULT_EXPIRY_BLOCKS),
  });
  let cashout = await client.submitCashoutBurn(started.id, burn);
  output.progress(describeStatus(cashout) ?? `  ${cashout.status}`);
  let last = cashout.status;
  try {
    cashout = await waitForCashout(client, cashout.id, {
      timeoutMs,
      onStatus(update) {
        if (update.status === last) return;
        last = update.status;
        const line = describeStatus(update);
        if (line !== undefined) output.progress(line);
      },
    });
  } catch (error) {
    if (!isGatewayError(error, 'WAIT_TIMEOUT')) throw error;
    // Not settled yet: the gateway carries on; report where it stands.
    cashout = await client.getCashout(cashout.id).catch(() => cashout);
  }
  if (cashout.status === 'awaiting_burn') {
    throw new ShardpayError(
      'CASHOUT_STATE_INVALID',
      `cash-out ${cashout.id}: the burn expired before a block included it (${cashout.failure_code ?? 'burn_expired'}); nothing was burned or paid — run shardpay cashout again`,
      { meta: { type: 'api_error', cashout: cashout.id } },
    );
  }
  const status = resultStatus(cashout);
  const result = {
    id: cashout.id,
    status,
    amount: cashout.amount,
    burnTx: cashout.burn_tx,
    wallet: wallet.name,
    address: cashout.address,
    bankAccount: { routingNumber: cashout.bank_account.routing_number, last4: cashout.bank_account.last4 },
    gatewayStatus: cashout.status,
    payout: cashout.payout,
    refundTx: cashout.refund_tx,
    failureCode: cashout.failure_code,
    failureMessage: cashout.failure_message,
  };
  const to = `account •••• ${cashout.bank_account.last4} (routing ${cashout.bank_account.routing_number})`;
  output.result(result, () => {
    const lines =
      status === 'paid'
        ? [`paid: ${cashout.amount} USD to ${to}`]
        : status === 'refunded'
          ? [
              `refunded: the bank could not pay ${to}: ${cashout.failure_message ?? cashout.failure_code ?? 'payout failed'}`,
              `  the ${cashout.amount} USD are back in wallet ${wallet.name}; refund tx ${cashout.refund_tx ?? '—'}`,
            ]
          : [
              `pending: ${cashout.amount} USD to ${to} is still ${cashout.status.replace('_', ' ')}; it completes without the CLI`,
            ];
    return [...lines, `  cash-out ${cashout.id}`, `  burn tx ${cashout.burn_tx ?? '—'}`].join('\n');
  });
  return 0;
}

export const cashoutCommand: Command = {
  summary: 'send money from a wallet to a bank account; waits until paid (or refunded)',
  usage,
  options: {
    ...gatewayOption,
    wallet: { type: 'string' },
    amount: { type: 'string' },
    account: { type: 'string' },
    routing: { type: 'string' },
    timeout: { type: 'string' },
  },
  run: ({ values, positionals }, output) => runCashoutCommand(values, positionals, output),
};
