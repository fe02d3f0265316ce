import type { NetworkConfig } from '@shardpay/protocol';
import { type GatewayClient, restoreWalletFromKeystore, type Wallet } from '@shardpay/sdk';
import type { UnlockedWallet } from '../app/AppContext.tsx';
import { ensureWalletRegistered } from './ensureWalletRegistered.ts';
import { saveStoredWallet } from './walletStorage.ts';

/**
 * Keeps a new or restored wallet in this browser, encrypted under `passphrase` (the mnemonic itself
 * is never stored), and links its first account to the gateway account.
 */
export async function saveAndRegisterWallet(
  gateway: GatewayClient,
  network: NetworkConfig,
  wallet: Wallet,
  passphrase: string,
): Promise<UnlockedWallet> {
  const keystore = await wallet.exportKeystore(passphrase);
  const account = wallet.account(0);
  saveStoredWallet(network.chainId, { keystore, address: account.address });
  return { account, walletId: await ensureWalletRegistered(gateway, account) };
}

/** Decrypts the stored keystore with `passphrase` (KEYSTORE_WRONG_PASSPHRASE) and links it if needed. */
export async function unlockStoredWallet(
  gateway: GatewayClient,
  network: NetworkConfig,
  keystore: Parameters<typeof restoreWalletFromKeystore>[0],
  passphrase: string,
): Promise<UnlockedWallet> {
  const account = (await restoreWalletFromKeystore(keystore, passphrase, { network })).account(0);
  return { account, walletId: await ensureWalletRegistered(gateway, account) };
}
