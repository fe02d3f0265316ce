/**
 * The commerce commands (escrow, multisig, issuer, merchant, invoice) against a real devnet folder:
 * real validators (2 shards × 1) started by the devnet supervisor, and a devnet gateway in this process
 * in front of them. Buyer on shard 0, merchant on shard 1, so escrow releases and invoice payments
 * cross shards.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGatewayServer, type GatewayServer, resolveGatewayConfig } from '@shardpay/gateway';
import { findFreeDevnetPort } from '../src/devnet/findFreeDevnetPort.ts';
import { seedDemoShop } from '../src/devnet/seedDemoShop.ts';
import { type RunningDevnet, startDevnet } from '../src/devnet/startDevnet.ts';
import { type CliRun, runCli } from './helpers/localGateway.ts';

const PASSPHRASE = 'correct horse battery staple';
const PASSWORD = 'a long enough password';

function assertOk(run: CliRun): Record<string, unknown> {
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stdout} ${run.stderr}`);
  assert.equal(run.stdout.trim().split('\n').length, 1, 'exactly one JSON line on stdout');
  return run.json;
}

function assertCliError(run: CliRun, code: string): string {
  assert.equal(run.code, 1, `expected exit 1, got ${run.code}: ${run.stdout} ${run.stderr}`);
  const error = run.json.error as Record<string, unknown> | undefined;
  assert.ok(error, `no error object in ${run.stdout}`);
  assert.deepEqual(Object.keys(error).sort(), ['code', 'message', 'type']);
  assert.equal(error.code, code, String(error.message));
  return String(error.message);
}

describe('shardpay escrow, multisig, issuer, merchant and invoice against a real devnet', {
  timeout: 300_000,
}, () => {
  const root = mkdtempSync(join(tmpdir(), 'shardpay-cli-commerce-'));
  const dir = join(root, 'devnet');
  const home = join(root, 'home');
  let devnet: RunningDevnet;
  let gateway: GatewayServer;
  let env: Record<string, string>;
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    runCli([...args, '--json'], { ...env, ...extra }, { timeoutMs: 90_000 });
  const onChain = (args: string[]) => cli([...args, '--dir', dir]);
  const balanceOf = async (wallet: string) => String(assertOk(await cli(['balance', wallet])).balance);
  const wallets: Record<string, { address: string; shard: number }> = {};

  before(async () => {
    const port = await findFreeDevnetPort(2, 1);
    devnet = await startDevnet({
      dir,
      shards: 2,
      validators: 1,
      port,
      gateway: false,
      readyTimeoutMs: 60_000,
    });
    gateway = await createGatewayServer(
      resolveGatewayConfig({
        mode: 'devnet',
        port: 0,
        chainNodes: Object.fromEntries(devnet.shards.map((shard) => [shard.id, shard.rpc])),
        faucetKeysDir: join(dir, 'keys'),
        passwordScryptN: 2 ** 10,
        rateLimit: false,
        logLevel: 'warn',
      }),
    );
    env = {
      SHARDPAY_HOME: home,
      SHARDPAY_GATEWAY: gateway.url,
      SHARDPAY_PASSPHRASE: PASSPHRASE,
      SHARDPAY_PASSWORD: PASSWORD,
    };
    assertOk(await cli(['signup', '--email', 'shop@example.com']));
    // One sender per concurrent test, so no two tests race for an account's nonce (signing a multisig
    // transfer or an escrow authorization uses none).
    const created = await Promise.all(
      [
        ['buyer', 0],
        ['buyer2', 0],
        ['payer', 0],
        ['creator', 0],
        ['shop', 1],
        ['seller', 1],
        ['arbiter', 1],
        ['owner-c', 0],
      ].map(([name, shard]) => cli(['wallet', 'create', String(name), '--shard', String(shard)])),
    );
    for (const run of created) {
      const body = assertOk(run);
      wallets[String(body.name)] = { address: String(body.address), shard: Number(body.shard) };
    }
    assert.equal(wallets.buyer!.shard, 0);
    assert.equal(wallets.shop!.shard, 1);
    for (const run of await Promise.all(
      ['buyer', 'buyer2', 'payer', 'creator'].map((name) => cli(['faucet', '--to', name, '--amount', '500'])),
    )) {
      assertOk(run);
    }
  });

  after(async () => {
    await gateway?.close();
    await devnet?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  describe('independent flows, side by side', { concurrency: true }, () => {
    it('escrow: the buyer (shard 0) locks for the merchant (shard 1) and releases across shards', async () => {
      const locked = assertOk(
        await onChain([
          'escrow',
          'lock',
          '--merchant',
          'seller',
          '--amount',
          '40',
          '--order-id',
          'order-1',
          '--deadline',
          '7d',
          '--arbiter',
          wallets.arbiter!.address,
          '--wallet',
          'buyer',
        ]),
      );
      assert.match(String(locked.escrow), /^[0-9a-f]{64}$/);
      assert.equal(locked.tx, locked.escrow, 'the escrow id is the lock transaction id');
      assert.equal(locked.status, 'open');
      assert.equal(locked.shard, 0);
      assert.equal(locked.amount, '40.000000');
      assert.equal(locked.merchant, wallets.seller!.address);
      assert.equal(locked.arbiter, wallets.arbiter!.address);
      assert.equal(locked.oracle, null);
      assert.equal(await balanceOf('buyer'), '460.000000');

      const [shownRun, human] = await Promise.all([
        onChain(['escrow', 'show', String(locked.escrow)]),
        runCli(['escrow', 'show', String(locked.escrow), '--dir', dir], env),
      ]);
      const shown = assertOk(shownRun);
      assert.equal(shown.status, 'open');
      assert.equal(shown.orderId, 'order-1');
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /^escrow [0-9a-f]{64}: open \(shard 0\)\n {2}40\.000000 USD from spd1/);

      // Only the buyer (or the oracle) releases; the buyer lives on the escrow's shard and sends it itself.
      assertCliError(
        await onChain(['escrow', 'release', String(locked.escrow), '--wallet', 'owner-c']),
        'escrow_not_authorized',
      );
      const released = assertOk(
        await onChain(['escrow', 'release', String(locked.escrow), '--wallet', 'buyer']),
      );
      assert.equal(released.status, 'released');
      assert.equal(released.via, 'self');
      assert.equal(released.txStatus, 'credited', 'the release pays the merchant on shard 1');
      assert.equal(await balanceOf('seller'), '40.000000');
    });

    it('escrow: the merchant on another shard refunds through a signed authorization', async () => {
      const locked = assertOk(
        await onChain([
          'escrow',
          'lock',
          '--merchant',
          wallets.shop!.address,
          '--amount',
          '10',
          '--order-id',
          'order-2',
          '--deadline',
          '1d',
          '--wallet',
          'buyer2',
        ]),
      );
      const refunded = assertOk(
        await onChain(['escrow', 'refund', String(locked.escrow), '--wallet', 'shop']),
      );
      assert.equal(refunded.status, 'refunded');
      assert.equal(refunded.via, 'authorization');
      assert.equal(typeof refunded.feePayer, 'string');
      assert.equal(await balanceOf('buyer2'), '500.000000');
    });

    it('multisig: a 2-of-3 account refuses one signature and pays with two', async () => {
      const pubkey = assertOk(await cli(['multisig', 'pubkey', '--wallet', 'buyer2']));
      assert.match(String(pubkey.publicKey), /^0[23][0-9a-f]{64}$/);
      const created = assertOk(
        await onChain([
          'multisig',
          'create',
          '--owners',
          `${String(pubkey.publicKey)},seller,owner-c`,
          '--threshold',
          '2',
          '--wallet',
          'creator',
        ]),
      );
      const account = String(created.address);
      assert.equal(created.shard, 0);
      assert.equal(created.threshold, 2);
      assert.equal((created.owners as string[]).length, 3);
      assertOk(await cli(['send', '--wallet', 'creator', '--to', account, '--amount', '30']));
      const shown = assertOk(await onChain(['multisig', 'show', account]));
      assert.equal(shown.balance, '30.000000');
      assert.equal(shown.nonce, '0');

      const transfer = ['--to', 'arbiter', '--amount', '12.5'];
      const [first, second] = await Promise.all(
        ['buyer2', 'seller'].map(async (owner) =>
          String(
            assertOk(await onChain(['multisig', 'sign', account, ...transfer, '--wallet', owner])).signature,
          ),
        ),
      );
      assertCliError(
        await onChain([
          'multisig',
          'send',
          account,
          ...transfer,
          '--signature',
          first!,
          '--wallet',
          'creator',
        ]),
        'multisig_signatures_insufficient',
      );
      const sent = assertOk(
        await onChain([
          'multisig',
          'send',
          account,
          ...transfer,
          '--signature',
          first!,
          '--signature',
          second!,
          '--wallet',
          'creator',
        ]),
      );
      assert.equal(sent.status, 'credited');
      assert.equal(sent.toShard, 1);
      const [arbiterBalance, after] = await Promise.all([
        balanceOf('arbiter'),
        onChain(['multisig', 'show', account]),
      ]);
      assert.equal(arbiterBalance, '12.500000');
      assert.equal(assertOk(after).nonce, '1');
      assert.equal(after.json.balance, '17.500000');
    });

    it('merchant and invoice: create, pay across shards (settled), API key, refund', async () => {
      const merchant = assertOk(await cli(['merchant', 'create', 'Shop', '--wallet', 'shop']));
      assert.match(String(merchant.id), /^mer_/);
      assert.equal(merchant.address, wallets.shop!.address);
      const [listed, key] = await Promise.all([
        cli(['merchant', 'list']),
        cli([
          'merchant',
          'keys',
          'create',
          String(merchant.id),
          '--scopes',
          'invoices:read,invoices:write,refunds:write',
        ]),
      ]);
      assert.deepEqual(
        (assertOk(listed).data as Array<{ id: string }>).map((m) => m.id),
        [merchant.id],
      );
      assert.match(String(assertOk(key).secret), /^sk_/);

      const invoice = assertOk(
        await cli(['invoice', 'create', '--amount', '12.50', '--order-id', 'o-77', '--expires-in', '15m'], {
          SHARDPAY_API_KEY: String(key.json.secret),
        }),
      );
      assert.match(String(invoice.id), /^inv_/);
      assert.equal(invoice.status, 'new');
      assert.equal(invoice.amount, '12.500000');
      assert.equal(invoice.payTo, wallets.shop!.address);
      assert.match(String(invoice.paymentUri), /^shardpay:spd1/);

      const paid = assertOk(await cli(['invoice', 'pay', String(invoice.paymentUri), '--wallet', 'payer']));
      assert.equal(paid.invoice, invoice.id);
      assert.equal(paid.status, 'credited');
      assert.equal(paid.invoiceStatus, 'settled');

      const [shownRun, payAgain, keys] = await Promise.all([
        cli(['invoice', 'show', String(invoice.id)]),
        cli(['invoice', 'pay', String(invoice.id), '--wallet', 'payer']),
        cli(['merchant', 'keys', 'list', String(merchant.id)]),
      ]);
      const shown = assertOk(shownRun);
      assert.equal(shown.status, 'settled');
      assert.equal(shown.amountPaid, '12.500000');
      assert.deepEqual(
        (shown.payments as Array<{ from: string }>).map((p) => p.from),
        [wallets.payer!.address],
      );
      assertCliError(payAgain, 'invoice_state_invalid');
      assert.equal((assertOk(keys).data as unknown[]).length, 1);
      assert.doesNotMatch(JSON.stringify(keys.json), /sk_/, 'the secret is shown once');

      const refund = assertOk(
        await cli(['invoice', 'refund', String(invoice.id), '--amount', '2.5', '--wallet', 'shop']),
      );
      assert.match(String(refund.id), /^ref_/);
      assert.equal(refund.amount, '2.500000');
      assert.equal(refund.to, wallets.payer!.address);
      const [settledList, revoked] = await Promise.all([
        cli(['invoice', 'list', '--status', 'settled']),
        cli(['merchant', 'keys', 'revoke', String(merchant.id), String(key.json.id)]),
      ]);
      assert.deepEqual(
        (assertOk(settledList).data as Array<{ id: string }>).map((i) => i.id),
        [invoice.id],
      );
      assert.notEqual(assertOk(revoked).revoked, null);
      const refusedKey = await cli(['invoice', 'list'], { SHARDPAY_API_KEY: String(key.json.secret) });
      assert.equal(refusedKey.code, 1);
      assert.equal((refusedKey.json.error as { type: string }).type, 'authentication_error');

      // An escrow-backed invoice: the buyer locks on the checkout's terms; its release settles it.
      const escrowed = assertOk(
        await cli([
          'invoice',
          'create',
          '--amount',
          '7',
          '--escrow',
          '--deadline',
          '2h',
          '--expires-in',
          '15m',
        ]),
      );
      const locked = assertOk(
        await cli(['invoice', 'pay', String(escrowed.id), '--escrow', '--wallet', 'payer']),
      );
      assert.equal(locked.escrowStatus, 'open');
      assert.match(String(locked.escrowId), /^[0-9a-f]{64}$/);
      assert.equal(locked.merchant, wallets.shop!.address);
      const released = assertOk(
        await onChain(['escrow', 'release', String(locked.escrowId), '--wallet', 'payer']),
      );
      assert.equal(released.status, 'released');
      let escrowInvoice = assertOk(await cli(['invoice', 'show', String(escrowed.id)]));
      for (let tries = 0; escrowInvoice.status !== 'settled' && tries < 60; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        escrowInvoice = assertOk(await cli(['invoice', 'show', String(escrowed.id)]));
      }
      assert.equal(escrowInvoice.status, 'settled', 'the gateway saw the escrow released');
      assert.equal(escrowInvoice.amountPaid, '7.000000');
    });
  });

  // After the others: a paused shard would refuse their transfers.
  it('issuer: pauses a shard with the devnet control keys, then unpauses it', async () => {
    const paused = assertOk(await onChain(['issuer', 'pause', '--shard', '1']));
    assert.deepEqual(
      (paused.shards as Array<{ shard: number; status: string }>).map((s) => [s.shard, s.status]),
      [[1, 'final']],
    );
    const shown = assertOk(await onChain(['issuer', 'show']));
    assert.deepEqual(
      (shown.shards as Array<{ paused: boolean }>).map((s) => s.paused),
      [false, true],
    );
    assertOk(await onChain(['issuer', 'unpause', '--shard', '1']));
    const again = assertOk(await onChain(['issuer', 'show']));
    assert.deepEqual(
      (again.shards as Array<{ paused: boolean }>).map((s) => s.paused),
      [false, false],
    );
  });

  it('opens the demo shop through the gateway once, and finds it again on a second start', async () => {
    const first = await seedDemoShop(dir, gateway.url);
    const second = await seedDemoShop(dir, gateway.url);
    assert.equal(second.merchantId, first.merchantId, 'a resumed devnet keeps its shop');
    assert.equal(first.url, `${gateway.url}/shop/${first.merchantId}`);
    assert.equal(statSync(first.file).mode & 0o777, 0o600, 'the owner login and phrase stay private');
    const store = (await (await fetch(`${gateway.url}/v1/stores/${first.merchantId}`)).json()) as {
      name: string;
      products: Array<{ name: string; price: string }>;
    };
    assert.equal(store.name, 'Shardpay demo shop');
    assert.deepEqual(store.products.map((product) => product.name).sort(), [
      'Coffee mug',
      'Sticker pack',
      'T-shirt',
    ]);
  });
});
