import { bytesToHex, ShardpayError } from '@shardpay/crypto';
import { encodeTransaction, formatAmount, parseAmount } from '@shardpay/protocol';
import {
  buildEscrowLock,
  buildPay,
  buildTransfer,
  DEFAULT_EXPIRY_BLOCKS,
  waitForPayment,
} from '@shardpay/sdk';
import { loadWallet } from '../home/walletStore.ts';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import {
  type FlagValues,
  optionalFlag,
  parseAddressText,
  parseDuration,
  parseTypedId,
  requireFlag,
  subcommandOf,
} from './commerceFlags.ts';
import { formatTable } from './formatTable.ts';
import { assertLoggedIn, fetchNetwork, openGateway } from './gatewayContext.ts';
import { merchantApiOptions, openMerchantApi, publicGatewayRequest } from './merchantApi.ts';
import { timeoutMsOf, waitForTransaction } from './waitForTransaction.ts';
import { ensureWalletRegistered, parseAmountFlag, unlockWallet } from './walletAccess.ts';

const auth = '[--api-key sk_… | --merchant mer_…] [--gateway URL]';
const usage = [
  `shardpay invoice create --amount A [--order-id ID] [--description TEXT] [--expires-in 15m] [--escrow [--deadline 7d] [--arbiter ADDR] [--oracle ADDR]] ${auth} [--json]`,
  `       shardpay invoice show INV_ID ${auth} [--json]`,
  `       shardpay invoice list [--status new|processing|settled|expired|invalid] ${auth} [--json]`,
  `       shardpay invoice invalidate INV_ID ${auth} [--json]`,
  '       shardpay invoice pay INV_ID|PAYMENT_URI --wallet BUYER [--amount A | --escrow] [--timeout SEC] [--gateway URL] [--json]',
  `       shardpay invoice refund INV_ID --amount A --wallet MERCHANT_WALLET [--timeout SEC] ${auth} [--json]`,
].join('\n');

const invoiceStatuses = ['new', 'processing', 'settled', 'expired', 'invalid'];

/** The invoice object as the gateway returns it (docs/gateway.md "Merchants and invoices"). */
interface InvoiceObject {
  id: string;
  merchant: string;
  status: string;
  exception: string | null;
  amount: string;
  amount_paid: string;
  amount_refunded?: string;
  currency: string;
  order_id: string | null;
  description: string | null;
  pay_to: string;
  payment_id: string;
  payment_uri: string;
  checkout_url: string;
  expires_at: number;
  monitoring_until: number;
  payments: Array<{ tx_id: string; from: string; amount: string; shard: number; status: string; at: number }>;
  created: number;
}

interface CheckoutObject {
  invoice: string;
  merchant_name: string;
  description: string | null;
  amount: string;
  status: string;
  exception: string | null;
  pay_to: string;
  payment_id: string;
  payment_uri: string;
  expires_at: number;
  /** What the buyer locks for an escrow-backed invoice (null for a plain one). */
  escrow: {
    merchant: string;
    amount: string;
    order_id: string;
    deadline_ms: string;
    arbiter: string | null;
    oracle: string | null;
    escrow_id: string | null;
    status: string | null;
  } | null;
}

interface RefundObject {
  id: string;
  invoice: string;
  amount: string;
  tx_id: string;
  status: string;
  created: number;
}

/** The CLI's invoice object: camelCase like the other commands' output. */
export function invoiceJson(invoice: InvoiceObject) {
  return {
    id: invoice.id,
    merchant: invoice.merchant,
    status: invoice.status,
    exception: invoice.exception,
    amount: invoice.amount,
    amountPaid: invoice.amount_paid,
    amountRefunded: invoice.amount_refunded ?? '0.000000',
    currency: invoice.currency,
    orderId: invoice.order_id,
    description: invoice.description,
    payTo: invoice.pay_to,
    paymentId: invoice.payment_id,
    paymentUri: invoice.payment_uri,
    checkoutUrl: invoice.checkout_url,
    expiresAt: invoice.expires_at,
    monitoringUntil: invoice.monitoring_until,
    payments: invoice.payments.map((payment) => ({
      tx: payment.tx_id,
      from: payment.from,
      amount: payment.amount,
      shard: payment.shard,
      status: payment.status,
      at: payment.at,
    })),
    created: invoice.created,
  };
}

function invoiceText(invoice: ReturnType<typeof invoiceJson>): string {
  const lines = [
    `invoice ${invoice.id}: ${invoice.status}${invoice.exception ? ` (${invoice.exception})` : ''}`,
    `  ${invoice.amount} USD to ${invoice.payTo}; paid ${invoice.amountPaid}, refunded ${invoice.amountRefunded}`,
    ...(invoice.orderId ? [`  order ${invoice.orderId}`] : []),
    ...(invoice.description ? [`  ${invoice.description}`] : []),
    `  expires ${new Date(invoice.expiresAt * 1000).toISOString()}`,
    `  checkout ${invoice.checkoutUrl}`,
    `  pay with ${invoice.paymentUri}`,
  ];
  for (const payment of invoice.payments) {
    lines.push(`  payment ${payment.amount} USD from ${payment.from}: ${payment.status} (tx ${payment.tx})`);
  }
  return lines.join('\n');
}

async function runCreate(values: FlagValues, rest: string[], output: Output): Promise<number> {
  if (rest.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const escrow = escrowTermsOf(values);
  const amount = parseAmountFlag(values.amount);
  const expiresIn = optionalFlag(values, 'expires-in');
  const seconds = expiresIn === undefined ? undefined : parseDuration(expiresIn, 'expires-in') / 1000;
  // The gateway sets the floor (60 s in production, 5 s on a devnet) and answers below it.
  if (seconds !== undefined && (seconds < 1 || seconds > 604_800)) {
    throw new ShardpayError('USAGE', '--expires-in is 1s to 7d', { meta: { flag: 'expires-in' } });
  }
  const orderId = optionalFlag(values, 'order-id');
  const description = optionalFlag(values, 'description');
  const api = await openMerchantApi(values, { scoped: true });
  const invoice = invoiceJson(
    await api.request<InvoiceObject>('POST', '/v1/invoices', {
      amount: formatAmount(amount),
      currency: 'usd',
      ...(orderId === undefined ? {} : { order_id: orderId }),
      ...(description === undefined ? {} : { description }),
      ...(seconds === undefined ? {} : { expires_in: seconds }),
      ...(escrow === undefined ? {} : { escrow }),
    }),
  );
  output.result(invoice, () => invoiceText(invoice));
  return 0;
}

/** `--escrow [--deadline 7d] [--arbiter ADDR] [--oracle ADDR]` as the API's `escrow` terms. */
function escrowTermsOf(values: FlagValues): Record<string, unknown> | undefined {
  const deadline = optionalFlag(values, 'deadline');
  const arbiter = optionalFlag(values, 'arbiter');
  const oracle = optionalFlag(values, 'oracle');
  if (values.escrow !== true) {
    if (deadline !== undefined || arbiter !== undefined || oracle !== undefined) {
      throw new ShardpayError('USAGE', '--deadline, --arbiter and --oracle go with --escrow', {
        meta: { flag: 'escrow' },
      });
    }
    return undefined;
  }
  return {
    ...(deadline === undefined ? {} : { deadline_seconds: parseDuration(deadline, 'deadline') / 1000 }),
    ...(arbiter === undefined ? {} : { arbiter: parseAddressText(arbiter, 'arbiter') }),
    ...(oracle === undefined ? {} : { oracle: parseAddressText(oracle, 'oracle') }),
  };
}

async function runShow(values: FlagValues, rest: string[], output: Output): Promise<number> {
  if (rest.length !== 1) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const id = parseTypedId(rest[0], 'inv', 'an invoice id', usage);
  const api = await openMerchantApi(values, { scoped: true });
  const invoice = invoiceJson(
    await api.request<InvoiceObject>('GET', `/v1/invoices/${encodeURIComponent(id)}`),
  );
  output.result(invoice, () => invoiceText(invoice));
  return 0;
}

async function runInvalidate(values: FlagValues, rest: string[], output: Output): Promise<number> {
  if (rest.length !== 1) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const id = parseTypedId(rest[0], 'inv', 'an invoice id', usage);
  const api = await openMerchantApi(values, { scoped: true });
  const invoice = invoiceJson(
    await api.request<InvoiceObject>('POST', `/v1/invoices/${encodeURIComponent(id)}/invalidate`),
  );
  output.result(invoice, () => invoiceText(invoice));
  return 0;
}

async function runList(values: FlagValues, rest: string[], output: Output): Promise<number> {
  if (rest.length > 0) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const status = optionalFlag(values, 'status');
  if (status !== undefined && !invoiceStatuses.includes(status)) {
    throw new ShardpayError('USAGE', `--status is one of ${invoiceStatuses.join(', ')}`, {
      meta: { flag: 'status' },
    });
  }
  const api = await openMerchantApi(values, { scoped: true });
  const page = await api.request<{ data: InvoiceObject[]; has_more: boolean }>(
    'GET',
    `/v1/invoices?limit=100${status === undefined ? '' : `&status=${status}`}`,
  );
  const data = page.data.map(invoiceJson);
  output.result({ data, hasMore: page.has_more }, () =>
    data.length === 0
      ? 'no invoices'
      : formatTable([
          ['ID', 'STATUS', 'EXCEPTION', 'AMOUNT', 'PAID', 'ORDER'],
          ...data.map((i) => [i.id, i.status, i.exception ?? '-', i.amount, i.amountPaid, i.orderId ?? '-']),
        ]),
  );
  return 0;
}

/**
 * The invoice a `pay` argument names: an `inv_…` id, or a payment URI
 * `shardpay:<address>?amount=…&payment_id=inv_…&chain=…` (its address and amount must match the checkout).
 */
function invoiceTarget(text: string): { id: string; uri?: { address: string; amount: string | null } } {
  if (!text.startsWith('shardpay:'))
    return { id: parseTypedId(text, 'inv', 'an invoice id or payment URI', usage) };
  const match = /^shardpay:([^?]+)\?(.*)$/.exec(text);
  const query = new URLSearchParams(match?.[2] ?? '');
  const id = query.get('payment_id');
  if (!match || id === null) {
    throw new ShardpayError('USAGE', 'a payment URI is shardpay:ADDRESS?amount=A&payment_id=inv_…', {
      meta: { flag: 'invoice' },
    });
  }
  return {
    id: parseTypedId(id, 'inv', 'payment_id', usage),
    uri: { address: parseAddressText(match[1]!, 'invoice'), amount: query.get('amount') },
  };
}

/** The buyer pays: a `pay` of the invoice amount to pay_to with paymentId = the invoice id. */
async function runPay(values: FlagValues, rest: string[], output: Output): Promise<number> {
  if (rest.length !== 1) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const target = invoiceTarget(rest[0]!);
  const walletName = requireFlag(values, 'wallet', 'NAME (the buyer)', usage);
  const wallet = await loadWallet(walletName);
  const override = values.amount === undefined ? undefined : parseAmountFlag(values.amount);
  const timeoutMs = timeoutMsOf(values.timeout);
  const checkout = await publicGatewayRequest<CheckoutObject>(
    values,
    `/v1/checkout/${encodeURIComponent(target.id)}`,
  );
  if (
    target.uri &&
    (target.uri.address !== checkout.pay_to ||
      (target.uri.amount !== null && parseAmount(target.uri.amount) !== parseAmount(checkout.amount)))
  ) {
    throw new ShardpayError(
      'PARAMETER_INVALID',
      'the payment URI does not match the invoice the gateway holds',
      {
        meta: { type: 'invalid_request_error' },
      },
    );
  }
  if (checkout.status !== 'new') {
    throw new ShardpayError(
      'INVOICE_STATE_INVALID',
      `invoice ${checkout.invoice} is ${checkout.status}${checkout.exception ? ` (${checkout.exception})` : ''}: it takes no payment`,
      { meta: { type: 'invalid_request_error' } },
    );
  }
  const amount = override ?? parseAmount(checkout.amount);
  const gateway = openGateway(values);
  assertLoggedIn(gateway);
  const { client } = gateway;
  const { network } = await fetchNetwork(client);
  const account = await unlockWallet(wallet, network);
  const registration = await ensureWalletRegistered(client, account, wallet.name);
  if (registration.registeredNow) output.progress(`registered wallet ${wallet.name} with ${gateway.url}`);
  const state = await client.account(account.address);
  if (values.escrow === true) {
    return payIntoEscrow(values, output, { checkout, account, state, timeoutMs, override });
  }
  const tx = buildPay({
    from: account,
    merchant: checkout.pay_to,
    amount,
    paymentId: checkout.payment_id,
    nonce: BigInt(state.pending_nonce ?? state.nonce),
    expiryHeight: BigInt(state.height) + BigInt(DEFAULT_EXPIRY_BLOCKS),
  });
  const payment = await client.submitPayment(tx);
  output.progress(
    `paying ${formatAmount(amount)} USD to ${checkout.merchant_name} (${checkout.pay_to}) for invoice ${checkout.invoice}\n  tx ${payment.tx_id}; pending`,
  );
  const settled = await waitForPayment(client, payment.id, ['credited', 'refunded'], {
    timeoutMs,
    onStatus: (update) => output.progress(`  ${update.status}`),
  });
  // The gateway's watcher moves the invoice from the indexed blocks (processing until it sees the
  // credit on the merchant's shard): wait, bounded, until it has.
  const deadline = Date.now() + Math.min(timeoutMs, 30_000);
  let after = await publicGatewayRequest<CheckoutObject>(
    values,
    `/v1/checkout/${encodeURIComponent(target.id)}`,
  );
  const moving = (checkout: CheckoutObject) =>
    (checkout.status === 'new' && checkout.exception === null) || checkout.status === 'processing';
  while (settled.status === 'credited' && moving(after) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    after = await publicGatewayRequest<CheckoutObject>(
      values,
      `/v1/checkout/${encodeURIComponent(target.id)}`,
    );
  }
  const result = {
    invoice: checkout.invoice,
    tx: payment.tx_id,
    status: settled.status,
    amount: formatAmount(amount),
    from: account.address,
    payTo: checkout.pay_to,
    invoiceStatus: after.status,
    exception: after.exception,
  };
  output.result(result, () =>
    [
      `${settled.status}: ${result.amount} USD for invoice ${checkout.invoice}`,
      `  invoice is ${after.status}${after.exception ? ` (${after.exception})` : ''}`,
      `  tx ${payment.tx_id}`,
    ].join('\n'),
  );
  return 0;
}

/**
 * `invoice pay --escrow`: the buyer locks the invoice amount in an on-chain escrow on the checkout's
 * terms (merchant, order id = the invoice id, deadline, arbiter, oracle) instead of paying outright;
 * the gateway checks and submits the signed lock, and its watcher settles the invoice when the escrow
 * is released (by the buyer, or the oracle after delivery).
 */
async function payIntoEscrow(
  values: FlagValues,
  output: Output,
  context: {
    checkout: CheckoutObject;
    account: Parameters<typeof buildEscrowLock>[0]['from'];
    state: { pending_nonce?: string; nonce: string; height: string };
    timeoutMs: number;
    override: bigint | undefined;
  },
): Promise<number> {
  const { checkout, account, state } = context;
  const terms = checkout.escrow;
  if (terms === null) {
    throw new ShardpayError('INVOICE_STATE_INVALID', `invoice ${checkout.invoice} is not escrow-backed`, {
      meta: { type: 'invalid_request_error', flag: 'escrow' },
    });
  }
  if (context.override !== undefined) {
    throw new ShardpayError('USAGE', '--amount does not go with --escrow: the lock is the invoice amount', {
      meta: { flag: 'amount' },
    });
  }
  const tx = buildEscrowLock({
    from: account,
    merchant: terms.merchant,
    amount: terms.amount,
    orderId: terms.order_id,
    deadlineMs: BigInt(terms.deadline_ms),
    arbiter: terms.arbiter,
    oracle: terms.oracle,
    nonce: BigInt(state.pending_nonce ?? state.nonce),
    expiryHeight: BigInt(state.height) + BigInt(DEFAULT_EXPIRY_BLOCKS),
  });
  const path = `/v1/checkout/${encodeURIComponent(checkout.invoice)}`;
  await publicGatewayRequest<CheckoutObject>(values, `${path}/escrow`, {
    transaction: bytesToHex(encodeTransaction(tx)),
  });
  output.progress(
    `locking ${terms.amount} USD in escrow for ${checkout.merchant_name} (invoice ${checkout.invoice}); pending`,
  );
  // The gateway's watcher sees the escrow once its block is final: wait, bounded, for that.
  const deadline = Date.now() + context.timeoutMs;
  let after = await publicGatewayRequest<CheckoutObject>(values, path);
  while (after.escrow?.status !== 'open' && after.status === 'new' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    after = await publicGatewayRequest<CheckoutObject>(values, path);
  }
  const result = {
    invoice: checkout.invoice,
    escrowId: after.escrow?.escrow_id ?? null,
    escrowStatus: after.escrow?.status ?? null,
    amount: terms.amount,
    merchant: terms.merchant,
    deadlineMs: terms.deadline_ms,
    oracle: terms.oracle,
    invoiceStatus: after.status,
  };
  output.result(result, () =>
    [
      `escrow ${result.escrowStatus ?? 'pending'}: ${result.amount} USD locked for invoice ${checkout.invoice}`,
      `  escrow ${result.escrowId ?? '(not final yet)'}; released by you or by the oracle ${terms.oracle ?? '(none)'}`,
      `  invoice is ${after.status}`,
    ].join('\n'),
  );
  return after.escrow?.status === 'open' || after.status !== 'new' ? 0 : 1;
}

/** The merchant refunds the payer: signs a transfer pay_to → payer locally; the gateway submits it. */
async function runRefund(values: FlagValues, rest: string[], output: Output): Promise<number> {
  if (rest.length !== 1) throw new ShardpayError('USAGE', `usage: ${usage}`);
  const id = parseTypedId(rest[0], 'inv', 'an invoice id', usage);
  const amount = parseAmountFlag(values.amount);
  const wallet = await loadWallet(requireFlag(values, 'wallet', 'NAME (the merchant wallet)', usage));
  const timeoutMs = timeoutMsOf(values.timeout);
  const api = await openMerchantApi(values, { scoped: true });
  const invoice = await api.request<InvoiceObject>('GET', `/v1/invoices/${encodeURIComponent(id)}`);
  const paid = invoice.payments.find(
    (payment) => payment.status === 'credited' || payment.status === 'final',
  );
  if (paid === undefined) {
    throw new ShardpayError('INVOICE_STATE_INVALID', `invoice ${id} holds no payment to refund`, {
      meta: { type: 'invalid_request_error' },
    });
  }
  if (wallet.address !== invoice.pay_to) {
    throw new ShardpayError(
      'PARAMETER_INVALID',
      `wallet ${wallet.name} (${wallet.address}) is not the invoice's pay_to ${invoice.pay_to}`,
      { meta: { type: 'invalid_request_error' } },
    );
  }
  const { client } = openGateway(values);
  const { network } = await fetchNetwork(client);
  const account = await unlockWallet(wallet, network);
  const state = await client.account(account.address);
  const tx = buildTransfer({
    from: account,
    to: paid.from,
    amount,
    memo: `refund ${id}`,
    nonce: BigInt(state.pending_nonce ?? state.nonce),
    expiryHeight: BigInt(state.height) + BigInt(DEFAULT_EXPIRY_BLOCKS),
  });
  const refund = await api.request<RefundObject>('POST', `/v1/invoices/${encodeURIComponent(id)}/refunds`, {
    transaction: bytesToHex(encodeTransaction(tx)),
    amount: formatAmount(amount),
  });
  output.progress(`refund ${refund.id}: ${refund.amount} USD to ${paid.from}\n  tx ${refund.tx_id}; pending`);
  const done = await waitForTransaction(client, refund.tx_id, ['final', 'credited'], {
    timeoutMs,
    onStatus: (status) => output.progress(`  ${status}`),
  });
  const result = {
    id: refund.id,
    invoice: id,
    amount: refund.amount,
    to: paid.from,
    tx: refund.tx_id,
    status: done.status,
  };
  output.result(
    result,
    () => `${done.status}: refunded ${refund.amount} USD of ${id} to ${paid.from}\n  tx ${refund.tx_id}`,
  );
  return 0;
}

/** `shardpay invoice`: merchant invoices (create, show, list, invalidate, refund) and paying one as the buyer. */
export async function runInvoiceCommand(
  values: FlagValues,
  positionals: string[],
  output: Output,
): Promise<number> {
  const { sub, rest } = subcommandOf(
    positionals,
    ['create', 'show', 'list', 'invalidate', 'pay', 'refund'],
    usage,
  );
  switch (sub) {
    case 'create':
      return runCreate(values, rest, output);
    case 'show':
      return runShow(values, rest, output);
    case 'list':
      return runList(values, rest, output);
    case 'invalidate':
      return runInvalidate(values, rest, output);
    case 'pay':
      return runPay(values, rest, output);
    default:
      return runRefund(values, rest, output);
  }
}

export const invoiceCommand: Command = {
  summary: 'merchant invoices: create, show, list, invalidate, refund; pay one as the buyer',
  usage,
  options: {
    ...merchantApiOptions,
    amount: { type: 'string' },
    'order-id': { type: 'string' },
    description: { type: 'string' },
    'expires-in': { type: 'string' },
    status: { type: 'string' },
    wallet: { type: 'string' },
    timeout: { type: 'string' },
    escrow: { type: 'boolean' },
    deadline: { type: 'string' },
    arbiter: { type: 'string' },
    oracle: { type: 'string' },
  },
  run: ({ values, positionals }, output) => runInvoiceCommand(values, positionals, output),
};
