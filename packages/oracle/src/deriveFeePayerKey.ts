import { concatBytes, domainHash, isValidPrivateKey } from '@shardpay/crypto';
import { type NetworkConfig, shardOfAddress } from '@shardpay/protocol';
import { createAccountFromPrivateKey, type WalletAccount } from '@shardpay/sdk';

/** Domain tag of the fee payers' key derivation. */
export const FEE_PAYER_KEY_DOMAIN = 'shardpay/oracle-fee-payer/v1';

function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

/**
 * The oracle's fee payer on `shard`: a transaction executes on its sender's shard, so releasing an
 * escrow of shard s needs an account of shard s. Its key is
 * domainHash('shardpay/oracle-fee-payer/v1', oracleKey ‖ u32 shard ‖ u32 counter) for the first
 * counter (from 0) that is a valid key whose address lands on `shard` — deterministic, so nothing
 * more is configured or stored, and a restart finds the same accounts (and nonces).
 */
export function deriveFeePayerKey(oracleKey: Uint8Array, network: NetworkConfig, shard: number): Uint8Array {
  for (let counter = 0; ; counter++) {
    const candidate = domainHash(FEE_PAYER_KEY_DOMAIN, concatBytes(oracleKey, u32(shard), u32(counter)));
    if (!isValidPrivateKey(candidate)) continue;
    const account = createAccountFromPrivateKey(candidate, network);
    if (account.shard === shard && shardOfAddress(network, account.addressBytes) === shard) return candidate;
  }
}

/** The fee payer accounts of every shard of `network`. */
export function deriveFeePayers(oracleKey: Uint8Array, network: NetworkConfig): WalletAccount[] {
  return Array.from({ length: network.shardCount }, (_, shard) =>
    createAccountFromPrivateKey(deriveFeePayerKey(oracleKey, network, shard), network),
  );
}
