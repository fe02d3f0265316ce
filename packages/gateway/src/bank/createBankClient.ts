import { ShardpayError } from '@shardpay/crypto';
import type {
  AuthorizeParameters,
  BankClient,
  BankPaymentIntent,
  BankPayout,
  BankReserve,
  PayoutParameters,
} from './BankClient.ts';
import { fiatToMinor, minorToFiat } from './fiatAmounts.ts';

export interface BankClientOptions {
  /** `http://host:port` of the bank. */
  url: string;
  apiKey: string;
  /** Per request (default 10 s); a timeout is BANK_UNAVAILABLE, which callers retry. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

interface BankErrorObject {
  type?: string;
  code?: string;
  decline_code?: string;
  message?: string;
  param?: string | null;
}

/**
 * The HTTP client of the bank sandbox. Errors: a card decline is CARD_ERROR (meta `cardCode`: the
 * decline code, or the code when there is none, and the bank's shopper-friendly message); a 5xx, a
 * timeout or no answer is BANK_UNAVAILABLE (safe to retry with the same idempotency key); any other
 * refusal is BANK_REQUEST_REFUSED with the bank's code in meta `bankCode` (retrying will not help).
 */
export function createBankClient(options: BankClientOptions): BankClient {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const fetchFunction = options.fetch ?? fetch;

  async function request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    key?: string,
  ): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key !== undefined) headers['idempotency-key'] = key;
    let response: Response;
    let text: string;
    try {
      response = await fetchFunction(`${base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new ShardpayError('BANK_UNAVAILABLE', `the bank did not answer ${method} ${path}`, {
        cause: error,
      });
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      parsed = null;
    }
    if (response.ok) return parsed;
    const error = ((parsed as { error?: BankErrorObject } | null)?.error ?? {}) as BankErrorObject;
    if (response.status >= 500 || response.status === 429) {
      throw new ShardpayError(
        'BANK_UNAVAILABLE',
        `the bank answered ${response.status} to ${method} ${path}`,
        {
          meta: { status: response.status, bankCode: error.code ?? null },
        },
      );
    }
    if (response.status === 402 && error.type === 'card_error') {
      const cardCode = error.decline_code ?? error.code ?? 'card_declined';
      throw new ShardpayError('CARD_ERROR', error.message ?? 'Your card was declined.', {
        meta: { cardCode, param: 'card' },
      });
    }
    throw new ShardpayError(
      'BANK_REQUEST_REFUSED',
      `the bank refused ${method} ${path}: ${error.message ?? ''}`,
      {
        meta: { status: response.status, bankCode: error.code ?? null },
      },
    );
  }

  return {
    async authorize(parameters: AuthorizeParameters, key) {
      const body = {
        amount: minorToFiat(parameters.amount),
        currency: 'usd',
        capture_method: 'manual',
        card: parameters.card,
        description: parameters.description,
        metadata: parameters.metadata,
      };
      return toPaymentIntent(await request('POST', '/v1/payment_intents', body, key));
    },
    async confirm(id, fail, key) {
      const body = fail ? { fail: true } : {};
      return toPaymentIntent(
        await request('POST', `/v1/payment_intents/${encodeURIComponent(id)}/confirm`, body, key),
      );
    },
    async capture(id, key) {
      return toPaymentIntent(
        await request('POST', `/v1/payment_intents/${encodeURIComponent(id)}/capture`, {}, key),
      );
    },
    async cancel(id, key) {
      return toPaymentIntent(
        await request('POST', `/v1/payment_intents/${encodeURIComponent(id)}/cancel`, {}, key),
      );
    },
    async createPayout(parameters: PayoutParameters, key) {
      const body = {
        amount: minorToFiat(parameters.amount),
        currency: 'usd',
        destination: { routing_number: parameters.routingNumber, account_number: parameters.accountNumber },
        description: parameters.description,
        metadata: parameters.metadata,
      };
      return toPayout(await request('POST', '/v1/payouts', body, key));
    },
    async getPayout(id) {
      return toPayout(await request('GET', `/v1/payouts/${encodeURIComponent(id)}`));
    },
    async getReserve(): Promise<BankReserve> {
      const reserve = (await request('GET', '/v1/reserve')) as Record<string, unknown>;
      if (typeof reserve.available !== 'string' || typeof reserve.pending_payouts !== 'string') {
        throw new Error('the bank answered GET /v1/reserve with an unexpected shape');
      }
      return {
        available: fiatToMinor(reserve.available),
        pendingPayouts: fiatToMinor(reserve.pending_payouts),
        asOf: typeof reserve.as_of === 'number' ? reserve.as_of : Math.floor(Date.now() / 1000),
      };
    },
  };
}

function toPaymentIntent(value: unknown): BankPaymentIntent {
  const intent = value as Record<string, unknown> | null;
  const card = (intent?.card ?? {}) as Record<string, unknown>;
  if (
    typeof intent?.id !== 'string' ||
    typeof intent.status !== 'string' ||
    typeof intent.amount !== 'string'
  ) {
    throw new Error('the bank answered a payment intent with an unexpected shape');
  }
  return {
    id: intent.id,
    status: intent.status,
    amount: fiatToMinor(intent.amount),
    card: { brand: String(card.brand ?? 'unknown'), last4: String(card.last4 ?? '') },
  };
}

function toPayout(value: unknown): BankPayout {
  const payout = value as Record<string, unknown> | null;
  if (
    typeof payout?.id !== 'string' ||
    typeof payout.status !== 'string' ||
    typeof payout.amount !== 'string'
  ) {
    throw new Error('the bank answered a payout with an unexpected shape');
  }
  return {
    id: payout.id,
    status: payout.status,
    amount: fiatToMinor(payout.amount),
    failureCode: typeof payout.failure_code === 'string' ? payout.failure_code : null,
    failureMessage: typeof payout.failure_message === 'string' ? payout.failure_message : null,
  };
}
