import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ShardpayError } from '@shardpay/crypto';
import { networkConfigFromJson } from '@shardpay/protocol';
import {
  createGatewayClient,
  createWallet,
  type GatewayList,
  type GatewayWallet,
  isGatewayError,
  restoreWallet,
} from '@shardpay/sdk';

/** The demo shop a devnet opens on its gateway, so its web app has a store to buy from at once. */
export interface DemoShop {
  /** The storefront in the web app: `<gateway>/shop/<mer_…>`. */
  url: string;
  merchantId: string;
  /** The shop owner's login (the dashboard), kept with the wallet's phrase in `file`. */
  email: string;
  file: string;
}

/** What `DIR/keys/demo-shop.json` holds (0600): a devnet's own test owner, like its faucet keys. */
interface DemoShopFile {
  email: string;
  password: string;
  /** The shop wallet's recovery phrase: restore it in the web app to refund from the dashboard. */
  mnemonic: string;
}

const SHOP_NAME = 'Shardpay demo shop';
const PRODUCTS = [
  { name: 'Coffee mug', description: 'Stoneware, 350 ml.', price: '12.00' },
  { name: 'T-shirt', description: 'Organic cotton, printed with a block header.', price: '20.00' },
  { name: 'Sticker pack', description: 'Six stickers, one per consensus step.', price: '3.50' },
];

async function readShopFile(path: string): Promise<DemoShopFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<DemoShopFile>;
  if (
    typeof parsed.email !== 'string' ||
    typeof parsed.password !== 'string' ||
    typeof parsed.mnemonic !== 'string'
  ) {
    throw new ShardpayError('CONFIG_INVALID', `${path} is damaged: delete it to make a new demo shop owner`);
  }
  return { email: parsed.email, password: parsed.password, mnemonic: parsed.mnemonic };
}

/**
 * Opens (or, on a resumed devnet, finds again) the demo shop through the gateway's own API, as a
 * merchant would: an owner account and wallet made here (credentials in `DIR/keys/demo-shop.json`),
 * the wallet registered with a signed challenge, a merchant paid to it, and three products. Every
 * step looks for what an earlier start made first, so running it again changes nothing.
 */
export async function seedDemoShop(dir: string, gatewayUrl: string): Promise<DemoShop> {
  const network = networkConfigFromJson(JSON.parse(await readFile(join(dir, 'genesis.json'), 'utf8')));
  const file = join(dir, 'keys', 'demo-shop.json');
  let owner = await readShopFile(file);
  if (owner === undefined) {
    owner = {
      email: 'shop@demo.shardpay.test',
      password: randomBytes(18).toString('base64url'),
      mnemonic: createWallet({ network }).exportMnemonic(),
    };
    await writeFile(file, `${JSON.stringify(owner, null, 2)}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
  }
  const gateway = createGatewayClient({ url: gatewayUrl });
  try {
    await gateway.signUp({ email: owner.email, password: owner.password });
  } catch (error) {
    if (!isGatewayError(error, 'EMAIL_TAKEN')) throw error;
  }
  await gateway.logIn({ email: owner.email, password: owner.password });
  const account = restoreWallet(owner.mnemonic, { network }).account(0);
  const wallets = await gateway.listWallets({ limit: 100 });
  const wallet =
    wallets.data.find((entry) => entry.address === account.address) ??
    (await gateway.registerWallet({ account, label: 'Demo shop' }));

  const merchants = await gateway.request<GatewayList<{ id: string; name: string }>>({
    method: 'GET',
    path: '/v1/merchants',
    query: { limit: 100 },
    auth: true,
  });
  const merchantId =
    merchants.data.find((merchant) => merchant.name === SHOP_NAME)?.id ??
    (await createMerchant(gateway, wallet)).id;
  const asMerchant = { 'shardpay-merchant': merchantId };
  const products = await gateway.request<GatewayList<{ active: boolean }>>({
    method: 'GET',
    path: '/v1/products',
    query: { limit: 100 },
    auth: true,
    headers: asMerchant,
  });
  if (!products.data.some((product) => product.active)) {
    for (const product of PRODUCTS) {
      await gateway.request({
        method: 'POST',
        path: '/v1/products',
        body: product,
        auth: true,
        headers: asMerchant,
      });
    }
  }
  await gateway.logOut();
  return { url: `${gatewayUrl}/shop/${merchantId}`, merchantId, email: owner.email, file };
}

function createMerchant(
  gateway: ReturnType<typeof createGatewayClient>,
  wallet: GatewayWallet,
): Promise<{ id: string }> {
  return gateway.request<{ id: string }>({
    method: 'POST',
    path: '/v1/merchants',
    body: { name: SHOP_NAME, wallet: wallet.id },
    auth: true,
  });
}
