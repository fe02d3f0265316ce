import { bytesToHex } from '@shardpay/crypto';
import {
  type Block,
  type BlockHeader,
  blockFromJson,
  blockHeaderFromJson,
  type CommitCertificate,
  commitCertificateFromJson,
  headerId,
  type NetworkConfig,
  type Receipt,
  receiptFromJson,
} from '@shardpay/protocol';
import { callShard } from './callShard.ts';
import type { ChainClient } from './createChainClient.ts';

/** The largest height a node's RPC accepts (u64); anything above exists nowhere. */
export const MAX_HEIGHT = 2n ** 64n - 1n;

/** A header as a node gave it: its protocol JSON (passed on as is), decoded, and its hash. */
export interface HeaderReading {
  json: Record<string, unknown>;
  header: BlockHeader;
  /** Hex of the header's id: the block hash the certificate signs. */
  hash: string;
}

/** A block as a node gave it: its header reading and the decoded body. */
export interface BlockReading extends HeaderReading {
  block: Block;
}

export interface CertificateReading {
  json: Record<string, unknown>;
  certificate: CommitCertificate;
}

function heightParam(height: bigint | 'latest'): { height: string } {
  return { height: height === 'latest' ? 'latest' : height.toString() };
}

/*
 * The node's answers are decoded with the protocol's strict JSON readers: a node that answers another
 * shape is a bug or a version skew, so the throw becomes a 500 whose details go to the log.
 */

/** The latest committed height of `shard`, from one of its nodes (`shardpay_networkInfo`). */
export async function readLatestHeight(chain: ChainClient, shard: number): Promise<bigint> {
  const info = await callShard<{ height?: unknown }>(chain, shard, 'shardpay_networkInfo');
  if (typeof info.height !== 'string') throw new Error(`shardpay_networkInfo of shard ${shard}: no height`);
  return BigInt(info.height);
}

/** The header at `height` of `shard`, or null when the node has none (yet). */
export async function readHeader(
  chain: ChainClient,
  shard: number,
  height: bigint | 'latest',
): Promise<HeaderReading | null> {
  const json = await callShard<Record<string, unknown> | null>(
    chain,
    shard,
    'shardpay_getHeader',
    heightParam(height),
  );
  if (json === null) return null;
  const header = blockHeaderFromJson(json);
  return { json, header, hash: bytesToHex(headerId(header)) };
}

/** The block at `height` of `shard`, or null when the node has none (yet). */
export async function readBlock(
  chain: ChainClient,
  network: NetworkConfig,
  shard: number,
  height: bigint | 'latest',
): Promise<BlockReading | null> {
  const json = await callShard<{ header?: Record<string, unknown> } | null>(
    chain,
    shard,
    'shardpay_getBlock',
    heightParam(height),
  );
  if (json === null) return null;
  const block = blockFromJson(json, { addressPrefix: network.addressPrefix });
  return {
    json: json.header ?? {},
    header: block.header,
    hash: bytesToHex(headerId(block.header)),
    block,
  };
}

/** The commit certificate of `height` of `shard`, or null when the node has none (yet). */
export async function readCertificate(
  chain: ChainClient,
  shard: number,
  height: bigint,
): Promise<CertificateReading | null> {
  const json = await callShard<Record<string, unknown> | null>(
    chain,
    shard,
    'shardpay_getCertificate',
    heightParam(height),
  );
  if (json === null) return null;
  return { json, certificate: commitCertificateFromJson(json) };
}

/**
 * The outgoing receipts of the block at `height` of `shard`, in the ledger's order, with their ids
 * (`shardpay_getBlockReceipts`); null when the node has no such block (yet).
 */
export async function readBlockReceipts(
  chain: ChainClient,
  network: NetworkConfig,
  shard: number,
  height: bigint,
): Promise<Array<{ receiptId: string; receipt: Receipt }> | null> {
  const json = await callShard<{ receipts?: unknown } | null>(
    chain,
    shard,
    'shardpay_getBlockReceipts',
    heightParam(height),
  );
  if (json === null) return null;
  if (!Array.isArray(json.receipts))
    throw new Error(`shardpay_getBlockReceipts of shard ${shard}: no receipts`);
  return json.receipts.map((entry: { receiptId?: unknown; receipt?: unknown }) => {
    if (typeof entry.receiptId !== 'string')
      throw new Error('shardpay_getBlockReceipts: a receipt without id');
    return {
      receiptId: entry.receiptId,
      receipt: receiptFromJson(entry.receipt, { addressPrefix: network.addressPrefix }, 'receipt'),
    };
  });
}
