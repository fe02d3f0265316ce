import {
  addressFromPublicKey,
  bytesToHex,
  decryptKeystore,
  encodeAddress,
  encryptKeystore,
  equalBytes,
  isValidPrivateKey,
  type Keystore,
  publicKeyFromPrivateKey,
  ShardpayError,
} from '@shardpay/crypto';
import {
  type Address,
  assertValidNetworkConfig,
  type NetworkConfig,
  type PublicKey,
  shardOfAddress,
  signTransaction,
  type Transaction,
  type TransactionBody,
} from '@shardpay/protocol';

/**
 * One signing account: its address, public key and home shard on one network. The private key lives
 * in a closure, not a property, so logging, `JSON.stringify` or `util.inspect` cannot show it; it
 * leaves only through `exportPrivateKey()` or an encrypted `exportKeystore()`.
 */
export interface WalletAccount {
  readonly network: NetworkConfig;
  /** The BIP44 account index, or undefined for an account made from a raw private key. */
  readonly index: number | undefined;
  /** bech32m text with the network prefix (`spd1…`). */
  readonly address: string;
  readonly addressBytes: Address;
  /** 33-byte compressed secp256k1 public key. */
  readonly publicKey: PublicKey;
  /** The shard that holds this account (where its transactions execute). */
  readonly shard: number;
  /** Signs a transaction body whose `publicKey` is this account's (KEY_MISMATCH otherwise). */
  signTransaction(body: TransactionBody): Transaction;
  /** A copy of the 32-byte private key: the one explicit way out. */
  exportPrivateKey(): Uint8Array;
  /** The private key encrypted under `passphrase` (keystore kind 'privateKey', with the address). */
  exportKeystore(passphrase: string, options?: { scryptN?: number }): Promise<Keystore>;
  toJSON(): WalletAccountJson;
  toString(): string;
}

/** What an account shows of itself: public data only. */
export interface WalletAccountJson {
  address: string;
  publicKey: string;
  shard: number;
  index: number | null;
}

/** Checks a network config once, so an account never carries a broken one. */
export function assertNetwork(network: NetworkConfig): void {
  if (typeof network !== 'object' || network === null) {
    throw new ShardpayError('NETWORK_CONFIG_INVALID', 'a NetworkConfig is required', {
      meta: { reason: 'missing', field: 'network' },
    });
  }
  assertValidNetworkConfig(network);
}

/** Builds an account from a private key the caller already checked; `index` is its BIP44 index, if any. */
export function createAccount(
  privateKey: Uint8Array,
  network: NetworkConfig,
  index: number | undefined,
): WalletAccount {
  const secret = Uint8Array.from(privateKey);
  const publicKey = publicKeyFromPrivateKey(secret);
  const addressBytes = addressFromPublicKey(publicKey);
  const address = encodeAddress(addressBytes, network.addressPrefix);
  const shard = shardOfAddress(network, addressBytes);
  const json: WalletAccountJson = { address, publicKey: bytesToHex(publicKey), shard, index: index ?? null };
  return Object.freeze({
    network,
    index,
    address,
    addressBytes,
    publicKey,
    shard,
    signTransaction(body: TransactionBody): Transaction {
      if (!(body.publicKey instanceof Uint8Array) || !equalBytes(body.publicKey, publicKey)) {
        throw new ShardpayError('KEY_MISMATCH', `the transaction is not from account ${address}`, {
          meta: { reason: 'public_key_mismatch', address },
        });
      }
      return signTransaction(body, secret);
    },
    exportPrivateKey: () => Uint8Array.from(secret),
    exportKeystore: (passphrase: string, options: { scryptN?: number } = {}) =>
      encryptKeystore(secret, passphrase, { kind: 'privateKey', address, scryptN: options.scryptN }),
    toJSON: () => ({ ...json }),
    toString: () => `WalletAccount(${address}, shard ${shard})`,
  });
}

/**
 * An account from a raw 32-byte private key (a faucet or validator key, a key from another wallet).
 * KEY_INVALID for anything that is not a valid secp256k1 scalar; the key is copied, never echoed.
 *
 * @example const faucet = createAccountFromPrivateKey(hexToBytes(keyHex), network);
 */
export function createAccountFromPrivateKey(privateKey: Uint8Array, network: NetworkConfig): WalletAccount {
  assertNetwork(network);
  if (!isValidPrivateKey(privateKey)) {
    throw new ShardpayError('KEY_INVALID', 'a private key is 32 bytes holding a scalar in [1, n-1]', {
      meta: { key: 'private' },
    });
  }
  return createAccount(privateKey, network, undefined);
}

/**
 * An account from a keystore of kind 'privateKey'. KEYSTORE_INVALID for a malformed keystore or one
 * of another kind, KEYSTORE_WRONG_PASSPHRASE when the passphrase does not open it.
 */
export async function restoreAccountFromKeystore(
  keystore: unknown,
  passphrase: string,
  network: NetworkConfig,
): Promise<WalletAccount> {
  assertNetwork(network);
  if ((keystore as Partial<Keystore> | null)?.kind !== 'privateKey') {
    throw new ShardpayError('KEYSTORE_INVALID', "an account keystore has kind 'privateKey'", {
      meta: { field: 'kind' },
    });
  }
  const secret = await decryptKeystore(keystore, passphrase);
  try {
    return createAccountFromPrivateKey(secret, network);
  } finally {
    secret.fill(0);
  }
}
