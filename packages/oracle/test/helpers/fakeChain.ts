/**
 * An in-memory chain for the oracle's tests: escrows on shards, a mempool, and blocks the test
 * commits (`commitBlock`). It checks what the real ledger checks of an oracle release: the escrow
 * is open and the authorization is the named oracle's signature over the 'release' action.
 */
import { addressFromPublicKey, bytesToHex, encodeAddress, ShardpayError } from '@shardpay/crypto';
import {
  escrowActionSigningHash,
  isAuthorizationValid,
  type NetworkConfig,
  type Transaction,
  transactionId,
  transactionSender,
} from '@shardpay/protocol';
import type { EscrowState, TransactionStatus } from '@shardpay/sdk';
import type { OracleChain } from '../../src/OracleChain.ts';

export interface FakeChain extends OracleChain {
  readonly escrows: Map<string, EscrowState>;
  /** Every transaction the oracle submitted, duplicates included. */
  readonly submissions: Transaction[];
  /** Includes every transaction of the mempool in a block of its shard; releases close their escrow. */
  commitBlock(shard: number): void;
  /** Raises a shard's height without including anything (to expire transactions). */
  advanceHeight(shard: number, blocks: bigint): void;
  height(shard: number): bigint;
  /** While true, every call fails as if no node answered. */
  unreachable: boolean;
  /** While true, status queries do not see the mempool (a validator other than the one submitted to). */
  hideMempoolStatus: boolean;
  /** Forgets the mempool (a node restart): pending transactions become unknown. */
  dropMempool(): void;
  /** Adds an open escrow naming `oracle`; returns its id. */
  addEscrow(options: {
    shard: number;
    oracle: Uint8Array | null;
    orderId?: string;
    status?: EscrowState['status'];
  }): string;
}

let escrowCounter = 0;

export function createFakeChain(network: NetworkConfig): FakeChain {
  const escrows = new Map<string, EscrowState>();
  const submissions: Transaction[] = [];
  const mempool = new Map<string, Transaction>();
  const final = new Map<string, { shard: number; height: bigint }>();
  const nonces = new Map<string, bigint>();
  const heights = Array.from({ length: network.shardCount }, () => 10n);
  const address = (bytes: Uint8Array) => encodeAddress(bytes, network.addressPrefix);

  function reachable(): void {
    if (chain.unreachable) {
      throw new ShardpayError('NODE_UNREACHABLE', 'no node answered (fake chain is down)', { meta: {} });
    }
  }

  function refuse(code: string, message: string): never {
    throw new ShardpayError(code, message, { meta: {} });
  }

  /** What the ledger would say about a release, now. */
  function checkRelease(tx: Transaction): void {
    if (tx.operation.type !== 'escrow_release') refuse('TRANSACTION_INVALID', 'only releases here');
    const escrow = escrows.get(bytesToHex(tx.operation.escrowId));
    if (escrow === undefined || escrow.shard !== tx.shard) refuse('ESCROW_NOT_FOUND', 'no such escrow');
    if (escrow.status !== 'open') refuse('ESCROW_STATE_INVALID', `the escrow is ${escrow.status}`);
    const auth = tx.operation.authorization;
    const hash = escrowActionSigningHash(network.chainId, tx.operation.escrowId, 'release', 0n);
    if (auth === null || !isAuthorizationValid(auth, hash)) refuse('AUTHORIZATION_INVALID', 'bad signature');
    if (escrow.oracle !== address(addressFromPublicKey(auth.publicKey))) {
      refuse('ESCROW_NOT_AUTHORIZED', 'not the escrow oracle');
    }
  }

  const chain: FakeChain = {
    escrows,
    submissions,
    unreachable: false,
    hideMempoolStatus: false,

    async network() {
      reachable();
      return network;
    },

    async getEscrow(escrowId, options = {}) {
      reachable();
      const escrow = escrows.get(escrowId);
      if (escrow === undefined || (options.shard !== undefined && options.shard !== escrow.shard)) {
        refuse('ESCROW_NOT_FOUND', `no escrow ${escrowId}`);
      }
      return { ...escrow, height: heights[escrow.shard]! };
    },

    async getAccount(text) {
      reachable();
      const committed = nonces.get(text) ?? 0n;
      const pending = [...mempool.values()].filter((tx) => address(transactionSender(tx)) === text).length;
      return {
        address: text,
        shard: 0,
        balance: 0n,
        nonce: committed,
        pendingNonce: committed + BigInt(pending),
        height: 0n,
        stateRoot: '00'.repeat(32),
      };
    },

    async networkInfo(shard) {
      reachable();
      return {
        chainId: network.chainId,
        addressPrefix: network.addressPrefix,
        shard,
        validatorIndex: 0,
        height: heights[shard]!,
        round: 0,
        shards: [],
        peers: 0,
      };
    },

    async submitTransaction(tx) {
      reachable();
      submissions.push(tx);
      const id = bytesToHex(transactionId(tx));
      if (final.has(id)) refuse('TX_ALREADY_FINAL', 'already final');
      if (mempool.has(id)) refuse('TX_ALREADY_KNOWN', 'already in the mempool');
      if (tx.expiryHeight <= heights[tx.shard]!) refuse('EXPIRED', 'expired');
      const sender = address(transactionSender(tx));
      const expected =
        (nonces.get(sender) ?? 0n) +
        BigInt([...mempool.values()].filter((t) => address(transactionSender(t)) === sender).length);
      if (tx.nonce < (nonces.get(sender) ?? 0n)) refuse('BAD_NONCE', 'nonce used');
      if (tx.nonce !== expected) refuse('NONCE_TOO_FAR_AHEAD', 'nonce gap');
      checkRelease(tx);
      mempool.set(id, tx);
      return { txId: id };
    },

    async getTransactionStatus(txId): Promise<TransactionStatus> {
      reachable();
      const done = final.get(txId);
      if (done !== undefined) {
        return {
          txId,
          status: 'final',
          stages: [{ stage: 'final', shard: done.shard, height: done.height, index: 0 }],
        };
      }
      if (mempool.has(txId) && !chain.hideMempoolStatus)
        return { txId, status: 'pending', stages: [{ stage: 'pending', shard: 0 }] };
      return { txId, status: 'unknown', stages: [] };
    },

    commitBlock(shard) {
      heights[shard]! += 1n;
      for (const [id, tx] of mempool) {
        if (tx.shard !== shard) continue;
        mempool.delete(id);
        try {
          checkRelease(tx);
        } catch {
          continue; // refused at execution: never final
        }
        const sender = address(transactionSender(tx));
        nonces.set(sender, (nonces.get(sender) ?? 0n) + 1n);
        final.set(id, { shard, height: heights[shard]! });
        if (tx.operation.type === 'escrow_release') {
          const escrow = escrows.get(bytesToHex(tx.operation.escrowId))!;
          escrow.status = 'released';
          escrow.closedHeight = heights[shard]!;
        }
      }
    },

    advanceHeight(shard, blocks) {
      heights[shard]! += blocks;
    },

    height: (shard) => heights[shard]!,

    dropMempool() {
      mempool.clear();
    },

    addEscrow(options) {
      escrowCounter += 1;
      const id = escrowCounter.toString(16).padStart(64, '0');
      escrows.set(id, {
        escrowId: id,
        shard: options.shard,
        buyer: address(new Uint8Array(20).fill(1)),
        merchant: address(new Uint8Array(20).fill(2)),
        amount: 25_000_000n,
        orderId: options.orderId ?? `order-${escrowCounter}`,
        deadlineMs: 1_900_000_000_000n,
        arbiter: null,
        oracle: options.oracle === null ? null : address(options.oracle),
        status: options.status ?? 'open',
        lockedHeight: 5n,
        closedHeight: null,
        height: heights[options.shard]!,
      });
      return id;
    },
  };
  return chain;
}
