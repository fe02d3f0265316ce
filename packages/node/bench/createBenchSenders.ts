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
  /** recipients[shard]: transfers stay on their sender's shard. */
  recipients: Address[][];
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

/** What signing needs of a sender (a worker thread gets only this). */
export type BenchSigningKey = Pick<BenchSender, 'shard' | 'privateKey' | 'publicKey'>;

/**
 * Signs the transfers of nonces `first`..`first + count − 1` for `sender` and returns their hex
 * encodings: each of 1 to 100 minor units to a recipient on the sender's shard, both chosen from
 * the nonce so that runs repeat exactly.
 */
export function signBenchTransfers(
  sender: BenchSigningKey,
  first: number,
  count: number,
  options: BenchTransferOptions,
): string[] {
  const recipients = options.recipients[sender.shard]!;
  const signed: string[] = [];
  for (let nonce = first; nonce < first + count; nonce++) {
    const mix = Math.imul(nonce + 1, 0x9e3779b1) ^ sender.publicKey[1]! ^ (sender.publicKey[2]! << 8);
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
