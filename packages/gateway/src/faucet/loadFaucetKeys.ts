import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hexToBytes, isShardpayError, ShardpayError } from '@shardpay/crypto';
import type { NetworkConfig } from '@shardpay/protocol';
import { createAccountFromPrivateKey, type WalletAccount } from '@shardpay/sdk';

const faucetFile = /^faucet-(0|[1-9][0-9]{0,3})\.json$/;

function refuse(message: string): ShardpayError {
  return new ShardpayError('CONFIG_INVALID', message, { meta: { variable: 'SHARDPAY_FAUCET_KEYS_DIR' } });
}

/**
 * The faucet accounts in `dir`: one `faucet-<shard>.json` per shard, as a devnet writes them under
 * `<devnet dir>/keys/` (`{privateKey, publicKey, address, shard}`, only `privateKey` is read). Each key
 * must live on the shard its file names, so every faucet transfer stays inside one shard. Anything
 * else is `CONFIG_INVALID` naming the file (never its content: it is a key).
 */
export async function loadFaucetKeys(
  dir: string,
  network: NetworkConfig,
): Promise<Map<number, WalletAccount>> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    throw refuse(`cannot read the faucet keys folder ${dir}: ${(error as Error).message}`);
  }
  const accounts = new Map<number, WalletAccount>();
  for (const entry of entries.sort()) {
    const match = faucetFile.exec(entry);
    if (match === null) continue;
    const shard = Number(match[1]);
    const path = join(dir, entry);
    let privateKeyHex: unknown;
    try {
      privateKeyHex = (JSON.parse(await readFile(path, 'utf8')) as { privateKey?: unknown } | null)
        ?.privateKey;
    } catch {
      throw refuse(`${path} is not a readable JSON key file`);
    }
    if (typeof privateKeyHex !== 'string') {
      throw refuse(`${path} has no "privateKey" (hex): the gateway reads the devnet's plain key files`);
    }
    let account: WalletAccount;
    try {
      account = createAccountFromPrivateKey(hexToBytes(privateKeyHex), network);
    } catch (error) {
      if (isShardpayError(error)) throw refuse(`${path} does not hold a valid private key`);
      throw error;
    }
    if (shard >= network.shardCount) continue; // a key of a shard this network does not have
    if (account.shard !== shard) {
      throw refuse(`${path} holds a key of shard ${account.shard}, not ${shard}`);
    }
    accounts.set(shard, account);
  }
  if (accounts.size === 0) throw refuse(`${dir} holds no faucet-<shard>.json key file for this network`);
  return accounts;
}
