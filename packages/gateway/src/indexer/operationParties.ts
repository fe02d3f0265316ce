import {
  type Address,
  multisigAddress,
  type NetworkConfig,
  type Transaction,
  transactionSender,
} from '@shardpay/protocol';

/** Who a transaction's row names, and what amount, as the indexer records it. */
export interface OperationParties {
  /** The account the money leaves: the sender, or the multisig account of a `multisig_execute`. */
  from: Address;
  /** The counterparty, where the transaction names one; null otherwise. */
  to: Address | null;
  /** The amount moved or locked; 0 when the transaction itself does not say (an escrow release). */
  amount: bigint;
  paymentId: string | null;
  /** Whether `to` is credited by this transaction (here, or by a receipt on its shard). */
  credits: boolean;
}

/**
 * The parties of a transaction for the index (docs/gateway.md "Indexer"). Transfers, payments and
 * mints credit `to`; a multisig_execute is recorded as its inner transfer, pay or burn sent from
 * the multisig account. Locks name their counterparty without crediting it (escrow_lock: the
 * merchant; timelock_create: the receiver; multisig_create: the new account; issuer_control: the
 * frozen account). Actions on an escrow or a time lock carry only its id, so they name no one
 * and record amount 0: their cross-shard credits show up as receipts.
 */
export function operationParties(network: NetworkConfig, tx: Transaction): OperationParties {
  const sender = transactionSender(tx);
  const operation = tx.operation;
  const none = { from: sender, to: null, amount: 0n, paymentId: null, credits: false };
  switch (operation.type) {
    case 'transfer':
    case 'mint':
      return { from: sender, to: operation.to, amount: operation.amount, paymentId: null, credits: true };
    case 'pay':
      return {
        from: sender,
        to: operation.merchant,
        amount: operation.amount,
        paymentId: operation.paymentId,
        credits: true,
      };
    case 'burn':
      return { ...none, amount: operation.amount };
    case 'escrow_lock':
      return { ...none, to: operation.merchant, amount: operation.amount };
    case 'timelock_create':
      return { ...none, to: operation.to, amount: operation.amount };
    case 'multisig_create':
      return { ...none, to: multisigAddress(network.chainId, sender, operation.salt) };
    case 'multisig_execute': {
      const inner = operation.operation;
      const account = operation.account;
      if (inner.type === 'transfer') {
        return { from: account, to: inner.to, amount: inner.amount, paymentId: null, credits: true };
      }
      if (inner.type === 'pay') {
        return {
          from: account,
          to: inner.merchant,
          amount: inner.amount,
          paymentId: inner.paymentId,
          credits: true,
        };
      }
      if (inner.type === 'burn') return { ...none, from: account, amount: inner.amount };
      return { ...none, from: account };
    }
    case 'issuer_control':
      return { ...none, to: operation.target };
    case 'escrow_release':
    case 'escrow_refund':
    case 'escrow_dispute':
    case 'escrow_settle':
    case 'timelock_claim':
    case 'timelock_cancel':
    case 'multisig_update':
      return none;
  }
}
