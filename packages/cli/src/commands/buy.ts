import { createInterface } from 'node:readline/promises';
import { ShardpayError } from '@shardpay/crypto';
import { formatAmount } from '@shardpay/protocol';
import {
  type GatewayClient,
  type GatewayPurchase,
  isCardError,
  isGatewayError,
  waitForPurchase,
} from '@shardpay/sdk';
import { loadWallet } from '../home/walletStore.ts';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { describeCard, parseCardFlags } from './cardFlags.ts';
import { assertLoggedIn, gatewayOption, openGateway } from './gatewayContext.ts';
import { gatewayWalletId, parseCentsAmountFlag } from './rampInputs.ts';
import { timeoutMsOf } from './waitForTransaction.ts';

const usage = [
  'shardpay buy --wallet NAME --amount A --card NUMBER [--exp MM/YY] [--cvc C] [--confirm] [--timeout SEC] [--gateway URL] [--json]',
  '       shardpay buy --confirm-purchase pur_… [--timeout SEC] [--gateway URL] [--json]',
].join('\n');

const purchaseIdPattern = /^pur_[A-Za-z0-9_-]{22}$/;

/**
 * A decline as the CLI shows it: type `card_error`, the bank's decline code as the code — except a
 * decline without a reason (`generic_decline`), which is `card_declined` as in CLI.md — and the bank's
 * message, written for the shopper.
 */
function cardErrorForCli(error: ShardpayError): ShardpayError {
  const declineCode = String(error.meta.declineCode ?? error.code.toLowerCase());
  const meta = { type: 'card_error', declineCode };
  if (declineCode === 'generic_decline') {
    return new ShardpayError('CARD_DECLINED', error.message, { meta, cause: error });
  }
  return new ShardpayError(error.code, error.message, { meta, cause: error });
}

/** Runs a gateway call that may decline the card, translating the decline. */
async function withCardErrors<Result>(call: () => Promise<Result>): Promise<Result> {
  try {
    return await call();
  } catch (error) {
    if (isCardError(error)) throw cardErrorForCli(error);
    throw error;
  }
}

/** What people see as the purchase moves (stderr). */
function describeStatus(purchase: GatewayPurchase): string | undefined {
  switch (purchase.status) {
    case 'requires_action':
      return `  the bank asks the cardholder to confirm (3-D Secure) purchase ${purchase.id}`;
    case 'authorized':
      return `  authorized: ${describeCard(purchase.card, '????')} for ${purchase.amount} USD`;
    case 'minting':
      return `  minting ${purchase.amount} USD to ${purchase.address}${purchase.tx ? ` (tx ${purchase.tx})` : ''}`;
    case 'minted':
      return '  minted; capturing the charge';
    case 'succeeded':
      return '  succeeded';
    case 'voiding':
      return '  the mint did not make it in time; releasing the card authorization';
    case 'failed':
      return `  failed${purchase.failure_code ? ` (${purchase.failure_code})` : ''}`;
    default:
      return undefined;
  }
}

/** Asks on the terminal whether the cardholder passed 3-D Secure (the sandbox accepts any answer yes). */
async function askConfirmation(purchase: GatewayPurchase): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(
      `Purchase ${purchase.id} (${describeCard(purchase.card, '????')}) needs 3-D Secure. Confirm it now? [y/N] `,
    );
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}

function requiresAction(purchase: GatewayPurchase): ShardpayError {
  return new ShardpayError(
    'REQUIRES_ACTION',
    `purchase ${purchase.id} needs 3-D Secure confirmation by the cardholder; confirm it with: shardpay buy --confirm-purchase ${purchase.id} (or pass --confirm to buy)`,
    { meta: { type: 'card_error', purchase: purchase.id } },
  );
}

/**
 * Confirms a `requires_action` purchase when allowed (`--confirm`, or a yes on the terminal), then
 * follows it to `succeeded` (or `failed`) with progress; the purchase at the end.
 */
async function followPurchase(
  client: GatewayClient,
  start: GatewayPurchase,
  options: { confirm: boolean; timeoutMs: number; output: Output },
): Promise<GatewayPurchase> {
  const { output } = options;
  let purchase = start;
  output.progress(describeStatus(purchase) ?? `  ${purchase.status}`);
  if (purchase.status === 'requires_action') {
    const interactive = !output.json && process.stdin.isTTY === true;
    const confirm = options.confirm || (interactive && (await askConfirmation(purchase)));
    if (!confirm) throw requiresAction(purchase);
    purchase = await withCardErrors(() => client.confirmPurchase(purchase.id));
  }
  let last = purchase.status;
  try {
    purchase = await waitForPurchase(client, purchase.id, {
      timeoutMs: options.timeoutMs,
      onStatus(update) {
        if (update.status === last) return;
        last = update.status;
        const line = describeStatus(update);
        if (line !== undefined) output.progress(line);
      },
    });
  } catch (error) {
    if (isGatewayError(error, 'WAIT_TIMEOUT')) {
      throw new ShardpayError(
        'WAIT_TIMEOUT',
        `purchase ${purchase.id} is not done yet (last status: ${String(error.meta.lastStatus ?? purchase.status)}); it may still complete: shardpay buy --confirm-purchase ${purchase.id} follows it again`,
        { meta: { type: 'api_error', purchase: purchase.id } },
      );
    }
    throw error;
  }
  if (purchase.status === 'requires_action') throw requiresAction(purchase);
  if (purchase.status !== 'succeeded') {
    throw new ShardpayError(
      'PURCHASE_FAILED',
      `purchase ${purchase.id} failed (${purchase.failure_code ?? 'unknown'}): ${purchase.failure_message ?? 'no coins were minted and the card is not charged'}`,
      { meta: { type: 'api_error', purchase: purchase.id, failureCode: purchase.failure_code } },
    );
  }
  return purchase;
}

/**
 * `shardpay buy`: buys coins with a debit card into a local wallet (the gateway authorizes the card,
 * mints to the wallet's address, then captures) and waits until the purchase succeeds. A 3-D Secure
 * card needs `--confirm` (or a yes on the terminal); `--confirm-purchase ID` confirms (if needed) and
 * follows an existing purchase.
 */
export async function runBuyCommand(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  output: Output,
): Promise<number> {
  if (positionals.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const timeoutMs = timeoutMsOf(values.timeout);
  const existing = values['confirm-purchase'];
  let purchase: GatewayPurchase;
  let walletName: string | undefined;
  const gatewayFor = () => {
    const gateway = openGateway(values);
    assertLoggedIn(gateway);
    return gateway;
  };
  if (existing !== undefined) {
    if (typeof existing !== 'string' || !purchaseIdPattern.test(existing)) {
      throw new ShardpayError('USAGE', '--confirm-purchase takes a purchase id (pur_…)', {
        meta: { flag: 'confirm-purchase' },
      });
    }
    const { client } = gatewayFor();
    purchase = await followPurchase(client, await client.getPurchase(existing), {
      confirm: true,
      timeoutMs,
      output,
    });
  } else {
    if (typeof values.wallet !== 'string') throw new ShardpayError('USAGE', `usage: ${usage}`);
    // Everything that can be refused locally is, before a request is made.
    const wallet = await loadWallet(values.wallet);
    walletName = wallet.name;
    const amount = parseCentsAmountFlag(values.amount);
    const card = parseCardFlags(values, new Date());
    const last4 = card.number.slice(-4);
    const gateway = gatewayFor();
    const { client } = gateway;
    const walletId = await gatewayWalletId(client, wallet, () =>
      output.progress(`registered wallet ${wallet.name} with ${gateway.url}`),
    );
    output.progress(
      `buying ${formatAmount(amount)} USD into ${wallet.name} (${wallet.address}) with card •••• ${last4}…`,
    );
    const created = await withCardErrors(() =>
      client.createPurchase({ wallet: walletId, amount: formatAmount(amount), card }),
    );
    purchase = await followPurchase(client, created, { confirm: values.confirm === true, timeoutMs, output });
  }
  const result = {
    id: purchase.id,
    status: purchase.status,
    amount: purchase.amount,
    tx: purchase.tx,
    ...(walletName === undefined ? {} : { wallet: walletName }),
    address: purchase.address,
    card: purchase.card,
    charge: purchase.charge,
  };
  output.result(result, () =>
    [
      `succeeded: ${purchase.amount} USD to ${walletName ?? purchase.address} from ${describeCard(purchase.card, '????')}`,
      `  purchase ${purchase.id}`,
      `  mint tx ${purchase.tx ?? '—'}`,
    ].join('\n'),
  );
  return 0;
}

export const buyCommand: Command = {
  summary: 'buy coins with a debit card into a wallet; waits until minted and charged',
  usage,
  options: {
    ...gatewayOption,
    wallet: { type: 'string' },
    amount: { type: 'string' },
    card: { type: 'string' },
    exp: { type: 'string' },
    cvc: { type: 'string' },
    confirm: { type: 'boolean' },
    'confirm-purchase': { type: 'string' },
    timeout: { type: 'string' },
  },
  run: ({ values, positionals }, output) => runBuyCommand(values, positionals, output),
};
