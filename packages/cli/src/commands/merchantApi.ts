/**
 * Calls of the gateway's merchant API (merchants, API keys, invoices, refunds, webhooks) that the SDK's
 * gateway client does not carry: as the logged-in owner (access token, plus a `Shardpay-Merchant`
 * header naming the merchant for merchant-scoped routes), or with a merchant API key (`sk_…`, from
 * `--api-key` or SHARDPAY_API_KEY). Errors are the gateway's, as GatewayError like the SDK's.
 */
import { ShardpayError } from '@shardpay/crypto';
import { GatewayError, newIdempotencyKey } from '@shardpay/sdk';
import type { FlagValues } from './commerceFlags.ts';
import { assertLoggedIn, type OpenedGateway, openGateway } from './gatewayContext.ts';

export const merchantApiOptions = {
  gateway: { type: 'string' },
  'api-key': { type: 'string' },
  merchant: { type: 'string' },
} as const;

export interface MerchantApi {
  url: string;
  /** The merchant id the calls act for (the flag, the env, or the owner's only merchant), if known. */
  merchantId: string | undefined;
  /** True when an API key authenticates (no login needed). */
  usesApiKey: boolean;
  request<Result>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Result>;
}

function apiKeyOf(values: FlagValues): string | undefined {
  const key = typeof values['api-key'] === 'string' ? values['api-key'] : process.env.SHARDPAY_API_KEY;
  return key === undefined || key === '' ? undefined : key;
}

async function exchange<Result>(
  url: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<Result> {
  const all: Record<string, string> = { accept: 'application/json', ...headers };
  if (body !== undefined) all['content-type'] = 'application/json';
  if (method === 'POST') all['idempotency-key'] = newIdempotencyKey();
  let response: Response;
  try {
    response = await fetch(`${url}${path}`, {
      method,
      headers: all,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new GatewayError(
      'GATEWAY_UNREACHABLE',
      `cannot reach the gateway at ${url}; is it running? (--gateway URL / SHARDPAY_GATEWAY)`,
      { status: 0, type: 'api_error', param: null, requestId: null },
      { cause: error },
    );
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (response.ok) return parsed as Result;
  const error = (parsed as { error?: Record<string, unknown> } | undefined)?.error;
  const requestId = response.headers.get('request-id');
  if (error === undefined || typeof error.code !== 'string') {
    throw new GatewayError('GATEWAY_RESPONSE_INVALID', `the gateway answered HTTP ${response.status}`, {
      status: response.status,
      type: 'api_error',
      param: null,
      requestId,
    });
  }
  throw new GatewayError(error.code.toUpperCase(), String(error.message ?? error.code), {
    status: response.status,
    type: typeof error.type === 'string' ? error.type : 'api_error',
    param: typeof error.param === 'string' ? error.param : null,
    requestId,
  });
}

/** A fresh access token of the kept session (the SDK client refreshes an expired one on its call). */
async function ownerToken(gateway: OpenedGateway): Promise<string> {
  assertLoggedIn(gateway);
  await gateway.client.me();
  const token = gateway.client.tokens()?.accessToken;
  if (token === undefined) {
    throw new GatewayError('AUTHENTICATION_REQUIRED', `log in again to ${gateway.url}`, {
      status: 401,
      type: 'authentication_error',
      param: null,
      requestId: null,
    });
  }
  return token;
}

/**
 * The merchant API for the flags. `scoped`: the routes act for one merchant (invoices, webhooks):
 * with a login, the merchant is `--merchant`, SHARDPAY_MERCHANT, or the owner's only merchant.
 */
export async function openMerchantApi(
  values: FlagValues,
  options: { scoped: boolean },
): Promise<MerchantApi> {
  let merchantId =
    typeof values.merchant === 'string' ? values.merchant : process.env.SHARDPAY_MERCHANT || undefined;
  if (merchantId !== undefined && !/^mer_[A-Za-z0-9_-]{1,64}$/.test(merchantId)) {
    throw new ShardpayError('USAGE', '--merchant (or SHARDPAY_MERCHANT) takes a merchant id: mer_…', {
      meta: { flag: 'merchant' },
    });
  }
  const gateway = openGateway(values);
  const apiKey = options.scoped ? apiKeyOf(values) : undefined;
  if (apiKey !== undefined) {
    return {
      url: gateway.url,
      merchantId: undefined,
      usesApiKey: true,
      request: (method, path, body) =>
        exchange(gateway.url, method, path, { authorization: `Bearer ${apiKey}` }, body),
    };
  }
  const token = await ownerToken(gateway);
  const owner = { authorization: `Bearer ${token}` };
  if (options.scoped && merchantId === undefined) {
    const list = await exchange<{ data: Array<{ id: string }> }>(
      gateway.url,
      'GET',
      '/v1/merchants?limit=2',
      owner,
      undefined,
    );
    if (list.data.length !== 1) {
      throw new ShardpayError(
        'USAGE',
        list.data.length === 0
          ? 'this account has no merchant: shardpay merchant create NAME --wallet WALLET'
          : 'this account has several merchants: name one with --merchant mer_… (or SHARDPAY_MERCHANT), or use --api-key',
        { meta: { flag: 'merchant' } },
      );
    }
    merchantId = list.data[0]!.id;
  }
  const headers =
    options.scoped && merchantId !== undefined ? { ...owner, 'shardpay-merchant': merchantId } : owner;
  return {
    url: gateway.url,
    merchantId,
    usesApiKey: false,
    request: (method, path, body) => exchange(gateway.url, method, path, headers, body),
  };
}

/** Public routes (the buyer's checkout): no credentials; GET unless `body` is given (then POST). */
export function publicGatewayRequest<Result>(
  values: FlagValues,
  path: string,
  body?: unknown,
): Promise<Result> {
  const { url } = openGateway(values);
  return exchange(url, body === undefined ? 'GET' : 'POST', path, {}, body);
}
