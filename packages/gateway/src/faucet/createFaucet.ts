import { bytesToHex, isShardpayError } from '@shardpay/crypto';
import { encodeTransaction, type NetworkConfig, transactionId } from '@shardpay/protocol';
import { buildTransfer, DEFAULT_EXPIRY_BLOCKS, type WalletAccount } from '@shardpay/sdk';
import type { ChainClient } from '../chain/createChainClient.ts';
import { homeShardOf, readAccount } from '../chain/readAccount.ts';
import { apiError } from '../http/apiErrors.ts';

/** A faucet transfer handed to a node (not yet final). */
export interface FaucetTransfer {
  txId: string;
  shard: number;
  to: string;
  amount: bigint;
}

/** Sends devnet money from the faucet account of the receiver's home shard. */
export interface Faucet {
  send(to: string, amount: bigint): Promise<FaucetTransfer>;
}

/**
 * A faucet over one account per shard. Transfers from one account are serialized (a queue per
 * shard) and its nonce is tracked in memory: concurrent requests would otherwise read the same
 * nonce and all but one be refused. The tracked nonce is never below the node's pending nonce (a
 * node that lags, or a faucet key used elsewhere too); a `BAD_NONCE` forgets it and retries once
 * (or `NONCE_IN_USE`) forgets it and retries once with the chain's.
 */
export function createFaucet(options: {
  chain: ChainClient;
  network: NetworkConfig;
  accounts: ReadonlyMap<number, WalletAccount>;
}): Faucet {
  const { chain, network, accounts } = options;
  const nextNonce = new Map<number, bigint>();
  const queues = new Map<number, Promise<unknown>>();

  async function submitOnce(account: WalletAccount, to: string, amount: bigint): Promise<FaucetTransfer> {
    const shard = account.shard;
    const state = await readAccount(chain, network, account.address);
    const chainNonce = BigInt(state.pendingNonce);
    const tracked = nextNonce.get(shard);
    const nonce = tracked !== undefined && tracked > chainNonce ? tracked : chainNonce;
    const tx = buildTransfer({
      from: account,
      to,
      amount,
      nonce,
      expiryHeight: BigInt(state.height) + BigInt(DEFAULT_EXPIRY_BLOCKS),
      memo: 'faucet',
    });
    try {
      await chain.call(shard, 'shardpay_submitTransaction', { tx: bytesToHex(encodeTransaction(tx)) });
    } catch (error) {
      // Unknown whether a node took it (a timeout): read the nonce from the chain next time.
      if (!isShardpayError(error, 'TX_ALREADY_KNOWN')) {
        nextNonce.delete(shard);
        throw error;
      }
    }
    nextNonce.set(shard, nonce + 1n);
    return { txId: bytesToHex(transactionId(tx)), shard, to, amount };
  }

  async function sendNow(account: WalletAccount, to: string, amount: bigint): Promise<FaucetTransfer> {
    try {
      return await submitOnce(account, to, amount);
    } catch (error) {
      // Someone else used the key (another replica, a person): forget the nonce and ask the chain again.
      if (!isShardpayError(error, 'BAD_NONCE') && !isShardpayError(error, 'NONCE_IN_USE')) throw error;
      nextNonce.delete(account.shard);
      return submitOnce(account, to, amount);
    }
  }

  return {
    send(to, amount) {
      const shard = homeShardOf(network, to);
      const account = accounts.get(shard);
      if (account === undefined) {
        return Promise.reject(
          apiError(
            'FAUCET_DISABLED',
            `the faucet has no key for shard ${shard}, the home shard of ${to}`,
            'address',
          ),
        );
      }
      const previous = queues.get(shard) ?? Promise.resolve();
      const result = previous.then(
        () => sendNow(account, to, amount),
        () => sendNow(account, to, amount),
      );
      const settled = result.catch(() => undefined);
      queues.set(shard, settled);
      // Drop the queue entry once idle, so the map does not keep a settled promise per shard forever.
      void settled.then(() => {
        if (queues.get(shard) === settled) queues.delete(shard);
      });
      return result;
    },
  };
}
