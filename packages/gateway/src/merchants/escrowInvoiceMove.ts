import type { EventType } from '../events/writeEvent.ts';
import type { InvoiceEscrowStatus } from './invoiceEscrow.ts';
import type { InvoiceException, InvoiceStatus } from './invoiceObject.ts';

/** The chain's escrow statuses (`shardpay_getEscrow`). */
export type ChainEscrowStatus = 'open' | 'disputed' | 'released' | 'refunded' | 'settled';

/** An escrow invoice the watcher follows (status new or processing, a lock recorded). */
export interface WatchedEscrowInvoice {
  status: InvoiceStatus;
  amount: bigint;
  escrowStatus: InvoiceEscrowStatus | null;
}

/** Where an escrow invoice moves, with the events of the move in order. */
export interface EscrowInvoiceMove {
  status: InvoiceStatus;
  exception: InvoiceException | null;
  amountPaid: bigint;
  escrowStatus: ChainEscrowStatus;
  events: EventType[];
}

/**
 * Where the chain's escrow `chain` moves `invoice` (null: nothing changes). `merchantShare` is what
 * an arbiter's settlement gave the merchant (amount − buyerAmount); it is read only for `settled`.
 *
 * open → processing; disputed → processing (`invoice.disputed`); released → settled, amount_paid =
 * amount; settled → settled with the merchant's share (`paid_partial` below the amount), or invalid when
 * the arbiter gave the merchant nothing; refunded → invalid.
 */
export function escrowInvoiceMove(
  invoice: WatchedEscrowInvoice,
  chain: ChainEscrowStatus,
  merchantShare?: bigint,
): EscrowInvoiceMove | null {
  if (invoice.escrowStatus === chain) return null;
  const wasNew = invoice.status === 'new';
  const processing: EventType[] = wasNew ? ['invoice.processing'] : [];
  switch (chain) {
    case 'open':
      return {
        status: 'processing',
        exception: null,
        amountPaid: 0n,
        escrowStatus: chain,
        events: processing,
      };
    case 'disputed':
      return {
        status: 'processing',
        exception: null,
        amountPaid: 0n,
        escrowStatus: chain,
        events: [...processing, 'invoice.disputed'],
      };
    case 'released':
      return {
        status: 'settled',
        exception: null,
        amountPaid: invoice.amount,
        escrowStatus: chain,
        events: ['invoice.settled'],
      };
    case 'settled': {
      if (merchantShare === undefined) throw new Error('a settled escrow needs the merchant share');
      if (merchantShare === 0n) {
        return {
          status: 'invalid',
          exception: null,
          amountPaid: 0n,
          escrowStatus: chain,
          events: ['invoice.invalid'],
        };
      }
      return {
        status: 'settled',
        exception: merchantShare < invoice.amount ? 'paid_partial' : null,
        amountPaid: merchantShare,
        escrowStatus: chain,
        events: ['invoice.settled'],
      };
    }
    case 'refunded':
      return {
        status: 'invalid',
        exception: null,
        amountPaid: 0n,
        escrowStatus: chain,
        events: ['invoice.invalid'],
      };
  }
}
