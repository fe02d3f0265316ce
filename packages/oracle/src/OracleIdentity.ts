import { addressFromPublicKey, bytesToHex, encodeAddress, publicKeyFromPrivateKey } from '@shardpay/crypto';
import type { NetworkConfig } from '@shardpay/protocol';
import type { WalletAccount } from '@shardpay/sdk';
import { deriveFeePayers } from './deriveFeePayerKey.ts';

/** Who the oracle is on chain: the key escrows name, and the accounts that pay its fees. */
export interface OracleIdentity {
  /** The oracle key's public key (hex). */
  publicKeyHex: string;
  addressBytes: Uint8Array;
  /** The oracle's address on `network` (what an escrow_lock names as `oracle`). */
  address(network: NetworkConfig): string;
  /** The fee payer of each shard of `network` (derived once per network). */
  feePayers(network: NetworkConfig): WalletAccount[];
  /** Signs with the oracle key (kept in this closure only). */
  withKey<T>(use: (privateKey: Uint8Array) => T): T;
}

/** The identity of the oracle key `oracleKey`. */
export function createOracleIdentity(oracleKey: Uint8Array): OracleIdentity {
  const secret = Uint8Array.from(oracleKey);
  const publicKey = publicKeyFromPrivateKey(secret);
  const addressBytes = addressFromPublicKey(publicKey);
  const cache = new WeakMap<NetworkConfig, WalletAccount[]>();
  return {
    publicKeyHex: bytesToHex(publicKey),
    addressBytes,
    address: (network) => encodeAddress(addressBytes, network.addressPrefix),
    feePayers(network) {
      let payers = cache.get(network);
      if (payers === undefined) {
        payers = deriveFeePayers(secret, network);
        cache.set(network, payers);
      }
      return payers;
    },
    withKey: (use) => use(secret),
  };
}
