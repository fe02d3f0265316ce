import type { Shipment } from '../merchant/merchantApi.ts';

/** The parts of a checkout (or invoice) that say how far an order got. */
export interface OrderState {
  status: string;
  exception: string | null;
  escrow: { escrow_id: string | null; status: string | null; shipment?: Shipment | null } | null;
}

/** True once nothing more will happen to the order (the page stops following it). */
export function orderFinished(order: OrderState): boolean {
  if (order.status === 'expired' || order.status === 'invalid') return true;
  if (order.status !== 'settled') return false;
  const shipment = order.escrow?.shipment;
  if (order.escrow === null || order.escrow.escrow_id === null || shipment == null) return true;
  return shipment.status === 'released' || shipment.status === 'attestation_refused';
}

/** The steps of the order a shopper sees, and how many of them are done. */
export function orderSteps(order: OrderState): { steps: string[]; done: number } {
  const escrowed = order.escrow !== null && order.escrow.escrow_id !== null;
  if (!escrowed) {
    const done = order.status === 'settled' ? 3 : order.status === 'processing' ? 2 : 1;
    return { steps: ['Order placed', 'Payment sent', 'Paid'], done };
  }
  const shipment = order.escrow?.shipment ?? null;
  const steps = ['Locked in escrow', 'Shipped', 'Delivered', 'Delivery confirmed', 'Released to the shop'];
  let done = order.status === 'processing' || order.status === 'settled' ? 1 : 0;
  if (shipment !== null) {
    done = 2;
    if (shipment.delivered_at !== null || shipment.status !== 'in_transit') done = 3;
    if (shipment.attested_at !== null || shipment.status === 'attested' || shipment.status === 'released')
      done = 4;
  }
  if (order.status === 'settled') done = 5;
  return { steps, done };
}

/** One sentence a shopper understands for where the order is. */
export function orderSentence(order: OrderState): string {
  const escrow = order.escrow;
  const shipment = escrow?.shipment ?? null;
  if (order.status === 'expired') {
    return order.exception === 'paid_partial'
      ? 'This order expired: less than the full amount was paid.'
      : 'This order expired before it was paid.';
  }
  if (order.status === 'invalid') {
    return escrow?.status === 'refunded'
      ? 'This order was cancelled and your money was returned.'
      : 'This order was cancelled.';
  }
  if (escrow !== null && escrow.escrow_id !== null) {
    if (order.status === 'settled') {
      return 'Complete: delivery was confirmed and your payment was released to the shop.';
    }
    if (shipment !== null) {
      switch (shipment.status) {
        case 'in_transit':
          return `Shipped with ${shipment.carrier} (tracking ${shipment.tracking_id}). Your money stays in escrow until it is delivered.`;
        case 'delivered':
          return 'Delivered. Waiting for the delivery service to confirm it…';
        case 'attested':
          return 'The delivery service confirmed the delivery. Releasing your payment to the shop…';
        case 'released':
          return 'Your payment was released to the shop.';
        case 'attestation_refused':
          return 'The delivery service could not confirm the delivery. Your money stays in escrow.';
      }
    }
    if (order.status === 'processing') {
      return escrow.status === 'disputed'
        ? 'This order is disputed. Your money stays in escrow until it is settled.'
        : 'Your money is locked in escrow. Waiting for the shop to ship your order…';
    }
    return 'Locking your payment in escrow…';
  }
  if (order.status === 'settled') {
    return order.exception === 'paid_over'
      ? 'Paid (a little more than the amount). The shop has your payment.'
      : 'Paid: the shop has received your payment. Thank you!';
  }
  if (order.status === 'processing') {
    return 'Payment sent. Waiting for the shop’s side of the network to receive it…';
  }
  return 'Waiting for your payment.';
}
