import { bytesToHex, encodeAddress } from '@shardpay/crypto';
import { formatAmount, type NetworkConfig } from '@shardpay/protocol';
import { apiError } from '../http/apiErrors.ts';
import { transactionRowsOf } from '../indexer/indexedBlockRows.ts';
import type { ChainClient } from './createChainClient.ts';
import { readBlock, readBlockReceipts, readCertificate } from './readChainObjects.ts';

/** A block for the explorer: its summary, header fields, transactions, outgoing receipts, certificate. */
export async function readBlockDetail(
  chain: ChainClient,
  network: NetworkConfig,
  shard: number,
  height: bigint | 'latest',
) {
  const reading = await readBlock(chain, network, shard, height);
  if (reading === null) throw apiError('RESOURCE_MISSING', `shard ${shard} has no block ${height}`, 'height');
  const { header, block } = reading;
  let certificate = await readCertificate(chain, shard, header.height);
  // Another node of the shard may be a block behind the one that gave the block: ask again.
  for (let attempt = 0; certificate === null && attempt < 2; attempt += 1) {
    certificate = await readCertificate(chain, shard, header.height);
  }
  if (certificate === null) {
    throw apiError('CHAIN_UNAVAILABLE', `no node of shard ${shard} gave the certificate of ${header.height}`);
  }
  const transactions = transactionRowsOf(network, shard, block);
  // Outgoing receipts are not in the block (the ledger derives them when it runs it): the node keeps
  // them, in the order of the header's receipts root. Another node may be a block behind: ask again.
  let emitted = await readBlockReceipts(chain, network, shard, header.height);
  for (let attempt = 0; emitted === null && attempt < 2; attempt += 1) {
    emitted = await readBlockReceipts(chain, network, shard, header.height);
  }
  if (emitted === null) {
    throw apiError('CHAIN_UNAVAILABLE', `no node of shard ${shard} gave the receipts of ${header.height}`);
  }
  const receipts = emitted.map(({ receiptId, receipt }) => ({
    receipt_id: receiptId,
    to: encodeAddress(receipt.to, network.addressPrefix),
    amount: formatAmount(receipt.amount),
    target_shard: receipt.targetShard,
  }));
  return {
    object: 'block' as const,
    shard,
    height: header.height.toString(),
    hash: reading.hash,
    time: new Date(Number(header.timestampMs)).toISOString(),
    proposer: header.proposerIndex,
    tx_count: block.transactions.length,
    receipt_count: receipts.length,
    parent_hash: bytesToHex(header.parentHash),
    state_root: bytesToHex(header.stateRoot),
    transactions: transactions.map((row) => ({
      tx_id: row.txId,
      op: row.operation,
      from: row.sender,
      to: row.recipient,
      // Actions on an escrow or a time lock carry only its id: no counterparty, no amount to show.
      amount: row.recipient === null && row.amount === 0n ? null : formatAmount(row.amount),
      payment_id: row.paymentId,
    })),
    receipts,
    header: reading.json,
    certificate: certificate.json,
  };
}
