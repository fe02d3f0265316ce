import { bytesToHex, encodeAddress, hexToBytes } from '@shardpay/crypto';
import {
  decodeTransaction,
  isTransactionSignatureValid,
  type NetworkConfig,
  shardOfAddress,
  type Transaction,
  transactionId,
  transactionSender,
} from '@shardpay/protocol';
import { apiError } from '../http/apiErrors.ts';

/** A client-signed transaction the gateway may forward: decoded, with its id and sender. */
export interface ClientTransaction {
  tx: Transaction;
  /** The transaction id (hex): the hash of its canonical bytes. */
  txId: string;
  /** The sender's bech32m address. */
  from: string;
}

/**
 * Decodes the hex of a client-signed transaction and checks what the gateway can check without
 * state: canonical bytes (`transaction_invalid`), signature (`signature_invalid`), this network's
 * chain id (`transaction_invalid`), signed for the sender's home shard (`wrong_shard`). Every refusal
 * names `param: "transaction"`. The node checks the rest (nonce, funds, the operation's own rules).
 */
export function decodeClientTransaction(hex: string, network: NetworkConfig): ClientTransaction {
  let tx: Transaction;
  try {
    tx = decodeTransaction(hexToBytes(hex));
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'malformed';
    throw apiError(
      'TRANSACTION_INVALID',
      `transaction is not a canonical transaction: ${reason}`,
      'transaction',
    );
  }
  if (!isTransactionSignatureValid(tx)) {
    throw apiError('SIGNATURE_INVALID', 'the transaction signature does not verify', 'transaction');
  }
  if (tx.chainId !== network.chainId) {
    throw apiError(
      'TRANSACTION_INVALID',
      `transaction is for chain '${tx.chainId}', not '${network.chainId}'`,
      'transaction',
    );
  }
  const sender = transactionSender(tx);
  const home = shardOfAddress(network, sender);
  if (tx.shard !== home) {
    throw apiError(
      'WRONG_SHARD',
      `the sender lives on shard ${home}; sign the transaction for it`,
      'transaction',
    );
  }
  return { tx, txId: bytesToHex(transactionId(tx)), from: encodeAddress(sender, network.addressPrefix) };
}
