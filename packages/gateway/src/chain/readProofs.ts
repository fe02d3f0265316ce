import { bytesToHex } from '@shardpay/crypto';
import { blockHeaderFromJson, type NetworkConfig } from '@shardpay/protocol';
import { apiError } from '../http/apiErrors.ts';
import { callShard } from './callShard.ts';
import type { ChainClient } from './createChainClient.ts';
import { homeShardOf } from './readAccount.ts';
import { readCertificate, readHeader } from './readChainObjects.ts';

/** An account with its proof and what proves the proof's root: the header and its certificate. */
export interface AccountProofReading {
  address: string;
  shard: number;
  balance: string;
  nonce: string;
  height: string;
  /** Hex of ledger's `encodeAccountProof`, against `header.stateRoot`. */
  proof: string;
  header: Record<string, unknown>;
  certificate: Record<string, unknown>;
}

/** A receipt with its Merkle proof, the header whose receipts root it proves against and its certificate. */
export interface ReceiptProofReading {
  receiptId: string;
  height: string;
  receipt: Record<string, unknown>;
  proof: Record<string, unknown>;
  header: Record<string, unknown>;
  certificate: Record<string, unknown>;
}

// Nodes of one shard are balanced per call: a node a block behind may not have the height another
// just answered with. A few tries reach one that has it.
const ATTEMPTS = 3;

/** The header and certificate of `height`, both from nodes that have committed it. */
async function committedAt(chain: ChainClient, shard: number, height: bigint) {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const [header, certificate] = await Promise.all([
      readHeader(chain, shard, height),
      readCertificate(chain, shard, height),
    ]);
    if (header !== null && certificate !== null) return { header, certificate };
  }
  throw apiError('CHAIN_UNAVAILABLE', `no node of shard ${shard} gave height ${height} with its certificate`);
}

/**
 * Reads `address` with its account proof from its home shard (`shardpay_getAccount {proof: true}`),
 * then that height's header and commit certificate: everything a light client needs to check the
 * balance without trusting the gateway. An address the chain has never credited has no proof:
 * `404 resource_missing`.
 */
export async function readAccountProof(
  chain: ChainClient,
  network: NetworkConfig,
  address: string,
): Promise<AccountProofReading> {
  const shard = homeShardOf(network, address);
  const account = await callShard<Record<string, unknown>>(chain, shard, 'shardpay_getAccount', {
    address,
    proof: true,
  });
  const { balance, nonce, height, stateRoot, proof } = account;
  if (
    typeof balance !== 'string' ||
    typeof nonce !== 'string' ||
    typeof height !== 'string' ||
    typeof stateRoot !== 'string'
  ) {
    throw new Error(`shardpay_getAccount answered an unexpected shape for shard ${shard}`);
  }
  if (typeof proof !== 'string') {
    throw apiError('RESOURCE_MISSING', `${address} has no account on chain yet: nothing to prove`, 'address');
  }
  const { header, certificate } = await committedAt(chain, shard, BigInt(height));
  if (bytesToHex(header.header.stateRoot) !== stateRoot.toLowerCase()) {
    // Two nodes disagreeing on a finalized height cannot happen with an honest quorum; do not serve it.
    throw apiError('CHAIN_UNAVAILABLE', `the nodes of shard ${shard} disagree on height ${height}; retry`);
  }
  return {
    address,
    shard,
    balance,
    nonce,
    height,
    proof,
    header: header.json,
    certificate: certificate.json,
  };
}

/**
 * Reads a receipt that `shard` emitted, with its inclusion proof, header and certificate
 * (`shardpay_getReceipt`); unknown there → `404 resource_missing` naming `receipt_id`.
 */
export async function readReceiptProof(
  chain: ChainClient,
  shard: number,
  receiptId: string,
): Promise<ReceiptProofReading> {
  const found = await callShard<Record<string, unknown> | null>(chain, shard, 'shardpay_getReceipt', {
    receiptId,
  });
  if (found === null) {
    throw apiError('RESOURCE_MISSING', `shard ${shard} emitted no receipt ${receiptId}`, 'receipt_id');
  }
  const { receipt, header, certificate, proof } = found;
  if (!isObject(receipt) || !isObject(header) || !isObject(certificate) || !isObject(proof)) {
    throw new Error(`shardpay_getReceipt answered an unexpected shape for shard ${shard}`);
  }
  // Decoded so a malformed node answer fails here (a 500 in the log), not in the reader's browser.
  const decoded = blockHeaderFromJson(header);
  return { receiptId, height: decoded.height.toString(), receipt, proof, header, certificate };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
