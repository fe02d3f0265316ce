import { decodeAddress, isShardpayError } from '@shardpay/crypto';
import { type NetworkConfig, shardOfAddress } from '@shardpay/protocol';

export type AddressCheck =
  | { kind: 'empty' }
  | { kind: 'valid'; shard: number }
  | { kind: 'invalid'; message: string };

/**
 * Checks a typed address as the user types: bech32m with its checksum, and this network's prefix.
 * A valid one also tells its home shard (so a payment knows whether it crosses shards).
 */
export function checkAddress(text: string, network: NetworkConfig): AddressCheck {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty' };
  try {
    return { kind: 'valid', shard: shardOfAddress(network, decodeAddress(trimmed, network.addressPrefix)) };
  } catch (error) {
    if (isShardpayError(error, 'ADDRESS_WRONG_NETWORK')) {
      return {
        kind: 'invalid',
        message: `This address is for another network: addresses here start with ${network.addressPrefix}1.`,
      };
    }
    if (!trimmed.startsWith(`${network.addressPrefix}1`)) {
      return { kind: 'invalid', message: `Addresses here start with ${network.addressPrefix}1.` };
    }
    return {
      kind: 'invalid',
      message: 'This address is not valid: a character is wrong or missing. Check it again.',
    };
  }
}
