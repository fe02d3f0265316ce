import { readFile } from 'node:fs/promises';
import { equalBytes, hexToBytes, isShardpayError, ShardpayError } from '@shardpay/crypto';
import type { NetworkConfig } from '@shardpay/protocol';
import { createAccountFromPrivateKey, type WalletAccount } from '@shardpay/sdk';

function refuse(message: string): ShardpayError {
  return new ShardpayError('CONFIG_INVALID', message, { meta: { variable: 'SHARDPAY_ISSUER_KEY_FILE' } });
}

/**
 * The issuer account from a JSON key file `{"privateKey": "<hex>", …}` (a devnet's `keys/issuer.json`).
 * The key must be an issuer of `network`, or every mint would be refused. Errors name the file, never
 * its content.
 */
export async function loadIssuerKey(path: string, network: NetworkConfig): Promise<WalletAccount> {
  let privateKeyHex: unknown;
  try {
    privateKeyHex = (JSON.parse(await readFile(path, 'utf8')) as { privateKey?: unknown } | null)?.privateKey;
  } catch {
    throw refuse(`${path} is not a readable JSON key file`);
  }
  if (typeof privateKeyHex !== 'string') throw refuse(`${path} has no "privateKey" (hex)`);
  let account: WalletAccount;
  try {
    account = createAccountFromPrivateKey(hexToBytes(privateKeyHex), network);
  } catch (error) {
    if (isShardpayError(error)) throw refuse(`${path} does not hold a valid private key`);
    throw error;
  }
  if (!network.issuers.some((issuer) => equalBytes(issuer, account.addressBytes))) {
    throw refuse(`${path} holds a key that is not an issuer of this network`);
  }
  return account;
}
