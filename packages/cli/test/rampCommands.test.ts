import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliRun, type LocalGateway, runCli, startLocalGateway } from './helpers/localGateway.ts';

// The bank sandbox's test cards and accounts (docs/bank.md).
const GOOD_CARD = '4242424242424242';
const DECLINED_CARD = '4000000000000002';
const NO_FUNDS_CARD = '4000000000009995';
const THREE_D_SECURE_CARD = '4000002760003184';
const PAID_ACCOUNT = '000123456789';
const FAILING_ACCOUNT = '000111111116';

const PASSPHRASE = 'correct horse battery staple';
const PASSWORD = 'a long enough password';

function assertOk(run: CliRun): Record<string, unknown> {
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stdout} ${run.stderr}`);
  assert.equal(run.stdout.trim().split('\n').length, 1, 'exactly one JSON line on stdout');
  return run.json;
}

/** A --json failure: exit 1 and exactly `{"error":{type,code,message}}`; the error object. */
function assertCliError(run: CliRun, code: string, type: string): { message: string } {
  assert.equal(run.code, 1, `expected exit 1, got ${run.code}: ${run.stdout} ${run.stderr}`);
  const error = run.json.error as Record<string, unknown> | undefined;
  assert.ok(error, `no error object in ${run.stdout}`);
  assert.deepEqual(Object.keys(error).sort(), ['code', 'message', 'type']);
  assert.equal(error.code, code, String(error.message));
  assert.equal(error.type, type);
  return error as { message: string };
}

/** The card number appears in full nowhere the CLI writes (last 4 digits only). */
function assertCardHidden(run: CliRun, number: string): void {
  assert.ok(!run.stdout.includes(number), 'the card number is not on stdout');
  assert.ok(!run.stderr.includes(number), 'the card number is not on stderr');
}

describe('shardpay buy, cashout and reserves against a real gateway, bank sandbox and chain', {
  timeout: 300_000,
}, () => {
  let local: LocalGateway;
  let home: string;
  let env: Record<string, string>;
  const cli = (args: string[]) => runCli([...args, '--json'], env, { timeoutMs: 90_000 });
  const balanceOf = async (wallet: string) => assertOk(await cli(['balance', wallet])).balance;

  before(async () => {
    local = await startLocalGateway(2, { ramp: true });
    home = mkdtempSync(join(tmpdir(), 'shardpay-cli-ramp-home-'));
    env = {
      SHARDPAY_HOME: home,
      SHARDPAY_GATEWAY: local.url,
      SHARDPAY_PASSPHRASE: PASSPHRASE,
      SHARDPAY_PASSWORD: PASSWORD,
    };
    assertOk(await cli(['signup', '--email', 'ramp@example.com']));
    for (const name of ['main', 'secure']) {
      assert.equal(assertOk(await cli(['wallet', 'create', name])).registered, true);
    }
  });
  after(async () => {
    await local?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('reserves: supply matches the reserve before any purchase (no login needed)', async () => {
    const reserves = assertOk(await runCli(['reserves', '--json'], { SHARDPAY_GATEWAY: local.url }));
    assert.equal(reserves.matches, true, JSON.stringify(reserves));
    assert.equal(reserves.difference, '0.000000');
    assert.equal(reserves.supply, reserves.reserve);
    assert.equal(reserves.supply, reserves.genesisSupply);
    const shards = reserves.shards as Array<Record<string, unknown>>;
    assert.deepEqual(
      shards.map((shard) => shard.id),
      [0, 1],
    );
    assert.match(String((reserves.bank as Record<string, unknown>).available), /^[0-9]+\.[0-9]{6}$/);
    const people = await runCli(['reserves'], { SHARDPAY_GATEWAY: local.url });
    assert.equal(people.code, 0, people.stderr);
    assert.match(people.stdout, /matches: every coin is backed/);
    assert.match(people.stdout, /shard\s+height\s+minted\s+burned\s+outstanding/);
  });

  it('buys 100 with a good card: succeeded, minted to the wallet, card shown by last 4 only', async () => {
    const run = await cli(['buy', '--wallet', 'main', '--amount', '100', '--card', GOOD_CARD]);
    const bought = assertOk(run);
    assert.equal(bought.status, 'succeeded');
    assert.equal(bought.amount, '100.000000');
    assert.match(String(bought.id), /^pur_/);
    assert.match(String(bought.tx), /^[0-9a-f]{64}$/);
    assert.deepEqual(bought.card, { brand: 'visa', last4: '4242' });
    assertCardHidden(run, GOOD_CARD);
    assert.equal(await balanceOf('main'), '100.000000');
  });

  it('a declined card exits 1 with card_error and the decline code; the balance is unchanged', async () => {
    const declined = await cli(['buy', '--wallet', 'main', '--amount', '10', '--card', DECLINED_CARD]);
    const error = assertCliError(declined, 'card_declined', 'card_error');
    assert.match(error.message, /declined/i, 'a message a shopper understands');
    assertCardHidden(declined, DECLINED_CARD);
    assertCliError(
      await cli(['buy', '--wallet', 'main', '--amount', '10', '--card', NO_FUNDS_CARD]),
      'insufficient_funds',
      'card_error',
    );
    assert.equal(await balanceOf('main'), '100.000000');
    // For people: the message on stderr, nothing on stdout.
    const people = await runCli(['buy', '--wallet', 'main', '--amount', '10', '--card', DECLINED_CARD], env);
    assert.equal(people.code, 1);
    assert.equal(people.stdout, '');
    assert.match(people.stderr, /error: .*declined.* \(card_declined\)/i);
  });

  it('refuses bad input locally: sub-cent amount, malformed card, expiry, account', async () => {
    const buy = (extra: string[]) => cli(['buy', '--wallet', 'main', '--card', GOOD_CARD, ...extra]);
    assertCliError(await buy(['--amount', '1.001']), 'amount_invalid', 'invalid_request_error');
    assertCliError(await buy(['--amount', '1', '--exp', '13/30']), 'usage', 'invalid_request_error');
    assertCliError(
      await cli(['buy', '--wallet', 'main', '--amount', '1', '--card', '42']),
      'usage',
      'invalid_request_error',
    );
    assertCliError(
      await cli(['cashout', '--wallet', 'main', '--amount', '1', '--account', '12']),
      'usage',
      'invalid_request_error',
    );
  });

  it('a 3-D Secure card: --json without --confirm names the purchase; --confirm-purchase finishes it', async () => {
    const pending = await cli(['buy', '--wallet', 'secure', '--amount', '5', '--card', THREE_D_SECURE_CARD]);
    const error = assertCliError(pending, 'requires_action', 'card_error');
    const id = /pur_[A-Za-z0-9_-]{22}/.exec(error.message)?.[0];
    assert.ok(id, `the message names the purchase: ${error.message}`);
    assert.match(error.message, new RegExp(`shardpay buy --confirm-purchase ${id}`));
    assert.equal(await balanceOf('secure'), '0.000000', 'nothing minted before the confirmation');

    const confirmed = assertOk(await cli(['buy', '--confirm-purchase', id]));
    assert.equal(confirmed.id, id);
    assert.equal(confirmed.status, 'succeeded');
    assert.equal(confirmed.amount, '5.000000');
    assert.equal(await balanceOf('secure'), '5.000000');

    // In one go with --confirm.
    const direct = assertOk(
      await cli([
        'buy',
        '--wallet',
        'secure',
        '--amount',
        '2.50',
        '--card',
        THREE_D_SECURE_CARD,
        '--confirm',
      ]),
    );
    assert.equal(direct.status, 'succeeded');
    assert.equal(await balanceOf('secure'), '7.500000');
  });

  it('cashes out 40 to a good account: the burn is signed locally, the bank pays, 60 are left', async () => {
    const run = await cli(['cashout', '--wallet', 'main', '--amount', '40', '--account', PAID_ACCOUNT]);
    const cashout = assertOk(run);
    assert.equal(cashout.status, 'paid', JSON.stringify(cashout));
    assert.equal(cashout.amount, '40.000000');
    assert.match(String(cashout.id), /^co_/);
    assert.match(String(cashout.burnTx), /^[0-9a-f]{64}$/);
    assert.deepEqual(cashout.bankAccount, { routingNumber: '110000000', last4: '6789' });
    assert.ok(!run.stdout.includes(PAID_ACCOUNT), 'only the last 4 digits of the account are shown');
    assert.equal(await balanceOf('main'), '60.000000');
    assertCliError(
      await cli(['cashout', '--wallet', 'main', '--amount', '1000', '--account', PAID_ACCOUNT]),
      'insufficient_funds',
      'invalid_request_error',
    );
  });

  it('a cash-out the bank cannot pay is refunded (exit 0, status refunded) and the balance restored', async () => {
    const cashout = assertOk(
      await cli(['cashout', '--wallet', 'main', '--amount', '25', '--account', FAILING_ACCOUNT]),
    );
    assert.equal(cashout.status, 'refunded', JSON.stringify(cashout));
    assert.equal(cashout.failureCode, 'no_account');
    assert.match(String(cashout.refundTx), /^[0-9a-f]{64}$/);
    assert.equal(await balanceOf('main'), '60.000000');
  });

  it('reserves still match after purchases, a payout and a refund', async () => {
    const reserves = assertOk(await cli(['reserves']));
    assert.equal(reserves.matches, true, JSON.stringify(reserves));
    const inFlight = reserves.inFlight as Record<string, unknown>;
    assert.deepEqual(inFlight, { awaitingCapture: '0.000000', awaitingPayout: '0.000000' });
    // 100 + 5 + 2.50 bought, 40 paid out: the supply grew by 67.50 over the genesis allocations.
    const minor = (text: unknown) => BigInt(String(text).replace('.', ''));
    assert.equal(minor(reserves.supply) - minor(reserves.genesisSupply), 67_500_000n);
  });
});
