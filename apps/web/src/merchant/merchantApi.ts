import type { GatewayClient, GatewayList } from '@shardpay/sdk';

/**
 * The merchant routes of the gateway API the dashboard uses, typed as the API returns them. The
 * owner's access token works on every one of them with `Shardpay-Merchant: mer_…`; the SDK's generic
 * `request` carries the token, retries and error mapping.
 */

export interface Merchant {
  id: string;
  object: 'merchant';
  name: string;
  wallet: string;
  address: string;
  created: string;
}

export interface InvoicePayment {
  tx_id: string;
  from: string;
  amount: string;
  shard: number;
  status: string;
  at: string;
}

export interface Shipment {
  id: string;
  tracking_id: string;
  carrier: string;
  status: 'in_transit' | 'delivered' | 'attested' | 'released' | 'attestation_refused';
  deliver_at: string | null;
  delivered_at: string | null;
  attested_at: string | null;
  released_at: string | null;
  release_tx_id: string | null;
}

export interface InvoiceEscrow {
  deadline_seconds: number;
  arbiter: string | null;
  oracle: string | null;
  escrow_id: string | null;
  buyer: string | null;
  shard: number | null;
  status: string | null;
  shipment?: Shipment | null;
}

export interface Invoice {
  id: string;
  object: 'invoice';
  merchant: string;
  status: string;
  exception: string | null;
  amount: string;
  amount_paid: string;
  amount_refunded: string;
  currency: 'usd';
  order_id: string | null;
  description: string | null;
  pay_to: string;
  checkout_url: string;
  expires_at: string;
  payments: InvoicePayment[];
  escrow: InvoiceEscrow | null;
  created: string;
}

export interface Refund {
  id: string;
  object: 'refund';
  invoice: string;
  amount: string;
  tx_id: string;
  status: string;
  created: string;
}

export interface Product {
  id: string;
  object: 'product';
  merchant: string;
  name: string;
  description: string | null;
  price: string;
  currency: 'usd';
  active: boolean;
  created: string;
}

export interface ApiKey {
  id: string;
  object: 'api_key';
  merchant: string;
  name: string;
  scopes: string[];
  last4: string;
  revoked: string | null;
  created: string;
  secret?: string;
}

export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  events: string[];
  description: string | null;
  status: 'enabled' | 'disabled';
  secret?: string;
  created: string;
}

export interface WebhookAttempt {
  id: string;
  created: string;
  duration_ms: number | null;
  status_code: number | null;
  error: string | null;
  next_attempt_at: string | null;
}

export interface WebhookDelivery {
  id: string;
  endpoint: string;
  event: string;
  event_type: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created: string;
  attempt_log: WebhookAttempt[];
}

export interface VolumePeriod {
  start: string;
  settled_count: number;
  settled_amount: string;
  refunded_amount: string;
}

export interface Volume {
  object: 'volume';
  interval: 'hour' | 'day';
  currency: 'usd';
  data: VolumePeriod[];
}

export const ALL_SCOPES = [
  'invoices:read',
  'invoices:write',
  'refunds:write',
  'events:read',
  'webhooks:read',
  'webhooks:write',
] as const;

const segment = (value: string) => encodeURIComponent(value);

/** The calls of one merchant, as its owner (access token + `Shardpay-Merchant`). */
export function merchantApi(gateway: GatewayClient, merchantId: string) {
  const headers = { 'Shardpay-Merchant': merchantId };
  const get = <T>(path: string, query?: Record<string, string | number | undefined>) =>
    gateway.request<T>({ method: 'GET', path, auth: true, headers, ...(query ? { query } : {}) });
  const post = <T>(path: string, body: unknown, idempotencyKey?: string) =>
    gateway.request<T>({
      method: 'POST',
      path,
      body,
      auth: true,
      headers,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });
  const remove = <T>(path: string) => gateway.request<T>({ method: 'DELETE', path, auth: true, headers });
  return {
    invoices: (status?: string) =>
      get<GatewayList<Invoice>>('/v1/invoices', { limit: 50, status: status === '' ? undefined : status }),
    invoice: (id: string) => get<Invoice>(`/v1/invoices/${segment(id)}`),
    refunds: (id: string) => get<GatewayList<Refund>>(`/v1/invoices/${segment(id)}/refunds`),
    refund: (id: string, body: { transaction: string; amount: string }, idempotencyKey: string) =>
      post<Refund>(`/v1/invoices/${segment(id)}/refunds`, body, idempotencyKey),
    ship: (id: string, deliverAfterSeconds: number) =>
      post<Invoice>(`/v1/invoices/${segment(id)}/shipments`, { deliver_after_seconds: deliverAfterSeconds }),
    products: () => get<GatewayList<Product>>('/v1/products', { limit: 100 }),
    addProduct: (body: { name: string; description?: string; price: string }) =>
      post<Product>('/v1/products', body),
    archiveProduct: (id: string) => remove<Product>(`/v1/products/${segment(id)}`),
    apiKeys: () => get<GatewayList<ApiKey>>(`/v1/merchants/${segment(merchantId)}/api_keys`, { limit: 100 }),
    createApiKey: (body: { name: string; scopes: string[] }) =>
      post<ApiKey>(`/v1/merchants/${segment(merchantId)}/api_keys`, body),
    revokeApiKey: (id: string) =>
      remove<ApiKey>(`/v1/merchants/${segment(merchantId)}/api_keys/${segment(id)}`),
    endpoints: () => get<GatewayList<WebhookEndpoint>>('/v1/webhook_endpoints', { limit: 100 }),
    addEndpoint: (body: { url: string; events: string[]; description?: string }) =>
      post<WebhookEndpoint>('/v1/webhook_endpoints', body),
    disableEndpoint: (id: string) => remove<WebhookEndpoint>(`/v1/webhook_endpoints/${segment(id)}`),
    rotateEndpoint: (id: string) =>
      post<WebhookEndpoint>(`/v1/webhook_endpoints/${segment(id)}/rotate_secret`, {}),
    deliveries: (id: string) =>
      get<GatewayList<WebhookDelivery>>(`/v1/webhook_endpoints/${segment(id)}/deliveries`, { limit: 20 }),
    redeliver: (id: string) => post<WebhookDelivery>(`/v1/webhook_deliveries/${segment(id)}/redeliver`, {}),
    volume: (interval: 'hour' | 'day', periods: number) =>
      get<Volume>(`/v1/merchants/${segment(merchantId)}/volume`, { interval, periods }),
  };
}

export type MerchantApi = ReturnType<typeof merchantApi>;

/** The signed-in user's merchants and becoming one (access token only). */
export const listMerchants = (gateway: GatewayClient) =>
  gateway.request<GatewayList<Merchant>>({ method: 'GET', path: '/v1/merchants', auth: true });

export const createMerchant = (gateway: GatewayClient, body: { name: string; wallet: string }) =>
  gateway.request<Merchant>({ method: 'POST', path: '/v1/merchants', auth: true, body });
