import type { GatewayClient } from '@shardpay/sdk';
import type { Product, Shipment } from '../merchant/merchantApi.ts';

/** The public routes of a store and its checkout: no login, the invoice id is the capability. */

export interface Store {
  object: 'store';
  merchant: string;
  name: string;
  products: Product[];
  escrow_available: boolean;
}

/** What to lock for an escrow-backed order, and how far it got. */
export interface CheckoutEscrow {
  merchant: string;
  amount: string;
  order_id: string;
  deadline_ms: string;
  arbiter: string | null;
  oracle: string | null;
  escrow_id: string | null;
  status: string | null;
  shipment?: Shipment | null;
}

export interface Checkout {
  object: 'checkout';
  invoice: string;
  merchant_name: string;
  description: string | null;
  amount: string;
  currency: 'usd';
  status: string;
  exception: string | null;
  pay_to: string;
  payment_id: string;
  payment_uri: string;
  expires_at: string;
  redirect_url: string | null;
  escrow: CheckoutEscrow | null;
}

const segment = (value: string) => encodeURIComponent(value);

export const getStore = (gateway: GatewayClient, merchantId: string) =>
  gateway.request<Store>({ method: 'GET', path: `/v1/stores/${segment(merchantId)}` });

export const createOrder = (
  gateway: GatewayClient,
  merchantId: string,
  body: { items: Array<{ product: string; quantity: number }>; escrow: boolean },
) => gateway.request<Checkout>({ method: 'POST', path: `/v1/stores/${segment(merchantId)}/orders`, body });

export const getCheckout = (gateway: GatewayClient, invoiceId: string) =>
  gateway.request<Checkout>({ method: 'GET', path: `/v1/checkout/${segment(invoiceId)}` });

export const submitEscrowLock = (gateway: GatewayClient, invoiceId: string, transaction: string) =>
  gateway.request<Checkout>({
    method: 'POST',
    path: `/v1/checkout/${segment(invoiceId)}/escrow`,
    body: { transaction },
  });

/** The SVG QR code of the invoice's payment URI, drawn by the gateway. */
export const checkoutQrUrl = (invoiceId: string) => `/v1/checkout/${segment(invoiceId)}/qr.svg`;
