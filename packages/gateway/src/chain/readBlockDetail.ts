import { bytesToHex } from '@shardpay/crypto';
import type { Queryable } from '@shardpay/database';
import { formatAmount, type NetworkConfig } from '@shardpay/protocol';
import { apiError } from '../http/apiErrors.ts';
import { creditRowsOf, transactionRowsOf } from '../indexer/indexedBlockRows.ts';
import type { ChainClient } from './createChainClient.ts';
import { readBlock, readCertificate } from './readChainObjects.ts';

interface CreditRow {
  receipt_id: string;
  tx_id: string;
  kind: string;
  recipient: string;
  amount: bigint;
  target_shard: number;
}

/** A block for the explorer: its summary, header fields, transactions, outgoing receipts, certificate. */
export async function readBlockDetail(
  chain: ChainClient,
  network: NetworkConfig,
  database: Queryable,
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
  const consumed = creditRowsOf(network, block);
  // Outgoing receipts are not in the block (the ledger derives them): a credit per transaction leaving
  // the shard, a refund per consumed credit the ledger refused. Their ids come from the indexer, once
  // the target shard consumed them (`chain_credits`), by tx id (indexed) and source block.
  const crossShard = transactions.filter((row) => row.targetShard !== null);
  const [emitted, refused] = await Promise.all([
    database.query<CreditRow>(
      `SELECT receipt_id, tx_id, kind, recipient, amount, target_shard FROM chain_credits
        WHERE tx_id = ANY($1::text[]) AND source_shard = $2 AND source_height = $3`,
      [
        [...crossShard.map((row) => row.txId), ...consumed.map((row) => row.txId)],
        shard,
        String(header.height),
      ],
    ),
    database.query<{ receipt_id: string }>(
      `SELECT receipt_id FROM chain_credits WHERE receipt_id = ANY($1::text[]) AND outcome = 'refused'`,
      [consumed.map((row) => row.receiptId)],
    ),
  ]);
  // The ledger's order: refunds (incoming receipts run first), then credits in transaction order.
  const order = new Map<string, number>();
  for (const [position, row] of consumed.entries()) order.set(`refund:${row.txId}`, position);
  for (const [position, row] of crossShard.entries())
    order.set(`credit:${row.txId}`, consumed.length + position);
  const receipts = [...emitted.rows]
    .sort((a, b) => (order.get(`${a.kind}:${a.tx_id}`) ?? 0) - (order.get(`${b.kind}:${b.tx_id}`) ?? 0))
    .map((row) => ({
      receipt_id: row.receipt_id,
      to: row.recipient,
      amount: formatAmount(BigInt(row.amount)),
      target_shard: Number(row.target_shard),
    }));
  return {
    object: 'block' as const,
    shard,
    height: header.height.toString(),
    hash: reading.hash,
    time: new Date(Number(header.timestampMs)).toISOString(),
    proposer: header.proposerIndex,
    tx_count: block.transactions.length,
    receipt_count: crossShard.length + refused.rows.length,
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
