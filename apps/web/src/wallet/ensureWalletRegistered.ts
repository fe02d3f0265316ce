import { type GatewayClient, isGatewayError, type WalletAccount } from '@shardpay/sdk';

/** The gateway id of the caller's wallet holding `address`, or undefined (pages through the list). */
async function findRegisteredWallet(gateway: GatewayClient, address: string): Promise<string | undefined> {
  let startingAfter: string | undefined;
  for (;;) {
    const page = await gateway.listWallets({ limit: 100, ...(startingAfter ? { startingAfter } : {}) });
    const found = page.data.find((wallet) => wallet.address === address);
    if (found) return found.id;
    const last = page.data.at(-1);
    if (!page.has_more || last === undefined) return undefined;
    startingAfter = last.id;
  }
}

/**
 * Links `account` to the logged-in gateway account unless it already is (as the CLI does): the
 * gateway's challenge is signed here, and only the address and public key are sent. Returns the
 * wallet id. A wallet registered to another account is WALLET_EXISTS.
 */
export async function ensureWalletRegistered(
  gateway: GatewayClient,
  account: WalletAccount,
): Promise<string> {
  const known = await findRegisteredWallet(gateway, account.address);
  if (known !== undefined) return known;
  try {
    return (await gateway.registerWallet({ account, label: 'web' })).id;
  } catch (error) {
    // Registered meanwhile (another tab): look again.
    if (isGatewayError(error, 'WALLET_EXISTS')) {
      const again = await findRegisteredWallet(gateway, account.address);
      if (again !== undefined) return again;
    }
    throw error;
  }
}
