import { addressFromPublicKey, bytesToHex, publicKeyFromPrivateKey, sha256 } from '@shardpay/crypto';
import { type Address, bucketOfAddress, encodeTransaction, signTransaction } from '@shardpay/protocol';
import { contiguousBucketMap } from '../src/genesis/createDevnetGenesis.ts';

/** A funded account that sends transfers, with its pre-signed transactions (index = nonce). */
export interface BenchSender {
  shard: number;
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  publicKeyHex: string;
  address: Address;
  /** Hex of the canonical encoding of the transfer with nonce i, for `shardpay_submitTransaction`. */
  transactions: string[];
}

export interface BenchSendersOptions {
  count: number;
  shards: number;
  /** Seeds the keys, recipients and amounts: every run sends the same transfers. */
  seed: string;
}

export interface BenchTransferOptions {
  chainId: string;
  /** recipients[shard]: the recipients that live on each shard. */
  recipients: Address[][];
  /**
   * Percent (0..100) of the transfers that go to a recipient on another shard (a cross-shard
   * transfer: debited here, credited there by receipt). Ignored with one shard. Default 0.
   */
  crossShardPct?: number;
}

const encoder = new TextEncoder();

function keyFor(seed: string, what: string, i: number): Uint8Array {
  return sha256(encoder.encode(`shardpay-node-bench/${seed}/${what}/${i}`));
}

/** Spreads `count` over `shards` as evenly as possible. */
function quotas(count: number, shards: number): number[] {
  return Array.from(
    { length: shards },
    (_, shard) => Math.floor(count / shards) + (shard < count % shards ? 1 : 0),
  );
}

/** Deterministic sender keys, `count` in all, spread evenly over the shards of a contiguous bucket map. */
export function createBenchSenders(options: BenchSendersOptions): BenchSender[] {
  const bucketToShard = contiguousBucketMap(options.shards);
  const wanted = quotas(options.count, options.shards);
  const senders: BenchSender[] = [];
  for (let i = 0; senders.length < options.count; i++) {
    const privateKey = keyFor(options.seed, 'sender', i);
    const publicKey = publicKeyFromPrivateKey(privateKey);
    const address = addressFromPublicKey(publicKey);
    const shard = bucketToShard[bucketOfAddress(address)]!;
    if (wanted[shard]! <= 0) continue;
    wanted[shard]! -= 1;
    senders.push({
      shard,
      privateKey,
      publicKey,
      publicKeyHex: bytesToHex(publicKey),
      address,
      transactions: [],
    });
  }
  return senders;
}

/** `perShard` recipient addresses on each shard (fresh accounts, created by their first credit). */
export function createBenchRecipients(shards: number, perShard: number, seed: string): Address[][] {
  const bucketToShard = contiguousBucketMap(shards);
  const recipients: Address[][] = Array.from({ length: shards }, () => []);
  for (let i = 0; recipients.some((list) => list.length < perShard); i++) {
    const address = keyFor(seed, 'recipient', i).slice(0, 20);
    const list = recipients[bucketToShard[bucketOfAddress(address)]!]!;
    if (list.length < perShard) list.push(address);
  }
  return recipients;
}

/** Mixes a sender's key and a nonce: picks the recipient, the amount and whether it crosses shards. */
function mixOf(publicKey: Uint8Array, nonce: number): number {
  return Math.imul(nonce + 1, 0x9e3779b1) ^ publicKey[1]! ^ (publicKey[2]! << 8);
}

/**
 * Whether the transfer of `nonce` from the sender with `publicKey` goes to another shard: the same
 * answer for the signer and for the load driver, which times those transfers until credited.
 */
export function isCrossShardTransfer(
  publicKey: Uint8Array,
  nonce: number,
  options: Pick<BenchTransferOptions, 'crossShardPct' | 'recipients'>,
): boolean {
  const pct = options.crossShardPct ?? 0;
  if (pct <= 0 || options.recipients.length < 2) return false;
  return (Math.imul(mixOf(publicKey, nonce), 0x85ebca6b) >>> 0) % 100 < pct;
}

/** What signing needs of a sender (a worker thread gets only this). */
export type BenchSigningKey = Pick<BenchSender, 'shard' | 'privateKey' | 'publicKey'>;

/**
 * Signs the transfers of nonces `first`..`first + count − 1` for `sender` and returns their hex
 * encodings: each of 1 to 100 minor units to a recipient on the sender's shard (or, for
 * `crossShardPct` percent of them, on another shard), all chosen from the nonce so that runs repeat
 * exactly.
 */
export function signBenchTransfers(
  sender: BenchSigningKey,
  first: number,
  count: number,
  options: BenchTransferOptions,
): string[] {
  const shards = options.recipients.length;
  const signed: string[] = [];
  for (let nonce = first; nonce < first + count; nonce++) {
    const mix = mixOf(sender.publicKey, nonce);
    const target = isCrossShardTransfer(sender.publicKey, nonce, options)
      ? (sender.shard + 1 + ((mix >>> 20) % (shards - 1))) % shards
      : sender.shard;
    const recipients = options.recipients[target]!;
    const tx = signTransaction(
      {
        chainId: options.chainId,
        shard: sender.shard,
        nonce: BigInt(nonce),
        fee: 0n,
        expiryHeight: 1_000_000_000n,
        publicKey: sender.publicKey,
        operation: {
          type: 'transfer',
          to: recipients[(mix >>> 0) % recipients.length]!,
          amount: BigInt(1 + ((mix >>> 8) % 100)),
          memo: '',
        },
      },
      sender.privateKey,
    );
    signed.push(bytesToHex(encodeTransaction(tx)));
  }
  return signed;
}
