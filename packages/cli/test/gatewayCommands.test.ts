import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isValidMnemonic } from '@shardpay/crypto';
import { createGatewayClient, type GatewayEvent, restoreWallet } from '@shardpay/sdk';
import { type CliRun, type LocalGateway, runCli, startLocalGateway } from './helpers/localGateway.ts';

// Fixed BIP39 test vectors (Trezor's): their addresses, hence shards, are the same on every run.
const VECTORS = [
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  'legal winner thank year wave sausage worth useful legal winner thank yellow',
  'letter advice cage absurd amount doctor acoustic avoid letter advice cage above',
  'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
  'scheme spot photo card baby mountain device kick cradle pact join borrow',
  'cat swing flag economy stadium alone churn speed unique patch report train',
  'vessel ladder alter error federal sibling chat ability sun glass valve picture',
  'void come effort suffer camp survey warrior heavy shoot primary clutch crush open amazing screen patrol group space point ten exist slush involve unfold',
  'hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length',
  'panda eyebrow bullet gorilla call smoke muffin taste mesh discover soft ostrich alcohol speed nation flash devote level hobby quick inner drive ghost inside',
];

const PASSPHRASE = 'correct horse battery staple';
const PASSWORD = 'a long enough password';

/** Asserts a --json failure: exit 1 and exactly `{"error":{type,code,message}}` on stdout. */
function assertCliError(run: CliRun, code: string, type = 'invalid_request_error'): void {
  assert.equal(run.code, 1, `expected exit 1, got ${run.code}: ${run.stdout} ${run.stderr}`);
  const error = run.json.error as Record<string, unknown> | undefined;
  assert.ok(error, `no error object in ${run.stdout}`);
  assert.deepEqual(Object.keys(error).sort(), ['code', 'message', 'type']);
  assert.equal(error.code, code, String(error.message));
  assert.equal(error.type, type);
  assert.equal(run.stdout.trim().split('\n').length, 1, 'exactly one JSON line on stdout');
}

function assertOk(run: CliRun): Record<string, unknown> {
  assert.equal(run.code, 0, `exit ${run.code}: ${run.stdout} ${run.stderr}`);
  assert.equal(run.stdout.trim().split('\n').length, 1, 'exactly one JSON line on stdout');
  return run.json;
}

describe('shardpay wallet, account and payment commands against a real gateway and chain', {
  timeout: 300_000,
}, () => {
  let local: LocalGateway;
  let home: string;
  let env: Record<string, string>;
  const cli = (args: string[], extra: Record<string, string> = {}, input?: string) =>
    runCli([...args, '--json'], { ...env, ...extra }, input === undefined ? {} : { input });

  before(async () => {
    local = await startLocalGateway(2);
    home = mkdtempSync(join(tmpdir(), 'shardpay-cli-home-'));
    env = {
      SHARDPAY_HOME: home,
      SHARDPAY_GATEWAY: local.url,
      SHARDPAY_PASSPHRASE: PASSPHRASE,
      SHARDPAY_PASSWORD: PASSWORD,
    };
  });
  after(async () => {
    await local?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  let alice: { address: string; shard: number; mnemonic: string };
  let bob: { address: string; shard: number };
  let carol: { address: string; shard: number };

  it('refuses wallet commands that need a login, then signs up (and is logged in)', async () => {
    const created = assertOk(await cli(['wallet', 'create', 'early']));
    assert.equal(created.registered, false, 'not logged in yet: saved locally only');
    assert.equal(created.mnemonic, undefined, 'the mnemonic is shown in --json only with --show-mnemonic');
    assertCliError(
      await cli(['send', '--wallet', 'early', '--to', String(created.address), '--amount', '1']),
      'authentication_required',
      'authentication_error',
    );
    const signedUp = assertOk(await cli(['signup', '--email', 'alice@example.com']));
    assert.match(String(signedUp.id), /^usr_/);
    assert.equal(signedUp.loggedIn, true);
    assert.equal(statSync(join(home, 'sessions.json')).mode & 0o777, 0o600);
    assert.equal(statSync(home).mode & 0o777, 0o700);
  });

  it('creates, imports and lists wallets; the same mnemonic gives the same address', async () => {
    const created = assertOk(await cli(['wallet', 'create', 'alice', '--show-mnemonic']));
    assert.deepEqual(Object.keys(created).sort(), ['address', 'mnemonic', 'name', 'registered', 'shard']);
    assert.equal(created.registered, true);
    alice = {
      address: String(created.address),
      shard: Number(created.shard),
      mnemonic: String(created.mnemonic),
    };
    assert.match(alice.address, /^spd1/);
    assert.equal(alice.mnemonic.split(' ').length, 24);
    assert.equal(statSync(join(home, 'wallets', 'alice.json')).mode & 0o777, 0o600);
    assert.equal(statSync(join(home, 'wallets')).mode & 0o777, 0o700);

    const network = local.genesis.config;
    const vectors = VECTORS.filter(isValidMnemonic).map((mnemonic) => {
      const account = restoreWallet(mnemonic, { network }).account(0);
      return { mnemonic, address: account.address, shard: account.shard };
    });
    const bobVector = vectors.find((vector) => vector.shard === alice.shard);
    const carolVector = vectors.find((vector) => vector.shard !== alice.shard);
    assert.ok(bobVector && carolVector, 'the vectors cover both shards');

    const [copy, taken, bobRun, carolRun, badMnemonic] = await Promise.all([
      cli(['wallet', 'import', 'alice-copy', '--mnemonic-stdin'], {}, `${alice.mnemonic}\n`),
      cli(['wallet', 'import', 'alice', '--mnemonic-stdin'], {}, bobVector.mnemonic),
      cli(['wallet', 'import', 'bob', '--mnemonic-stdin'], {}, bobVector.mnemonic),
      cli(['wallet', 'import', 'carol', '--mnemonic-stdin'], {}, carolVector.mnemonic),
      cli(['wallet', 'import', 'nobody', '--mnemonic-stdin'], {}, 'not a real mnemonic at all'),
    ]);
    assert.equal(assertOk(copy).address, alice.address);
    assert.equal(copy.json.mnemonic, undefined, 'import never prints the phrase');
    assertCliError(taken, 'wallet_name_taken');
    assertCliError(badMnemonic, 'mnemonic_invalid');
    bob = { address: String(assertOk(bobRun).address), shard: Number(bobRun.json.shard) };
    carol = { address: String(assertOk(carolRun).address), shard: Number(carolRun.json.shard) };
    assert.equal(bob.address, bobVector.address);
    assert.equal(carol.shard, carolVector.shard);

    const list = assertOk(await cli(['wallet', 'list']));
    const names = (list.data as Array<{ name: string; address: string }>).map((wallet) => wallet.name);
    assert.deepEqual(names, ['alice', 'alice-copy', 'bob', 'carol', 'early']);
    assert.doesNotMatch(JSON.stringify(list), /mnemonic|keystore|ciphertext/);
  });

  it('places a wallet on the shard asked for, and signs with that account', async () => {
    const otherShard = 1 - alice.shard;
    const [placed, outOfRange] = await Promise.all([
      cli(
        ['wallet', 'import', 'alice-other', '--mnemonic-stdin', '--shard', String(otherShard)],
        {},
        alice.mnemonic,
      ),
      cli(['wallet', 'create', 'nowhere', '--shard', '2']),
    ]);
    assert.equal(assertOk(placed).shard, otherShard);
    const expected = restoreWallet(alice.mnemonic, { network: local.genesis.config })
      .accounts(1000)
      .find((account) => account.shard === otherShard)!;
    assert.equal(placed.json.address, expected.address);
    assertCliError(outOfRange, 'usage');
    // The stored account index is the one that unlocks and signs: an empty account's send gets as far
    // as the money check (a wrong index would stop at the address check, home_state_invalid).
    const send = await cli(['send', '--wallet', 'alice-other', '--to', alice.address, '--amount', '1']);
    assertCliError(send, 'insufficient_funds');
  });

  it('status asks the gateway for every shard', async () => {
    const status = assertOk(await cli(['status']));
    assert.equal(status.gateway, local.url);
    assert.equal(typeof status.chainId, 'string');
    const shards = status.shards as Array<Record<string, unknown>>;
    assert.deepEqual(
      shards.map((shard) => [shard.id, shard.validators, shard.up, shard.nodes]),
      [
        [0, 1, 1, 1],
        [1, 1, 1, 1],
      ],
    );
    assert.ok(shards.every((shard) => typeof shard.height === 'number' && shard.height >= 0));
  });

  it('funds a wallet from the faucet and reads its balance', async () => {
    const funded = assertOk(await cli(['faucet', '--to', 'alice', '--amount', '100']));
    assert.equal(funded.status, 'final');
    assert.equal(funded.amount, '100.000000');
    assert.equal(funded.shard, alice.shard);
    const balance = assertOk(await cli(['balance', 'alice']));
    assert.equal(balance.address, alice.address);
    assert.equal(balance.shard, alice.shard);
    assert.equal(balance.balance, '100.000000');
  });

  it('refuses bad sends with clear codes before moving money', async () => {
    const [badAmount, tooPrecise, unknownWallet, wrongPassphrase, badAddress, faucetTooMuch] =
      await Promise.all([
        cli(['send', '--wallet', 'alice', '--to', bob.address, '--amount', '0']),
        cli(['send', '--wallet', 'alice', '--to', bob.address, '--amount', '1.1234567']),
        cli(['send', '--wallet', 'nobody', '--to', bob.address, '--amount', '1']),
        cli(['send', '--wallet', 'alice', '--to', bob.address, '--amount', '1'], {
          SHARDPAY_PASSPHRASE: 'not the passphrase',
        }),
        cli(['send', '--wallet', 'alice', '--to', 'spd1notanaddress', '--amount', '1']),
        cli(['faucet', '--to', 'alice', '--amount', '20000']),
      ]);
    assertCliError(badAmount, 'amount_invalid');
    assertCliError(tooPrecise, 'amount_invalid');
    assertCliError(unknownWallet, 'wallet_not_found');
    assertCliError(wrongPassphrase, 'keystore_wrong_passphrase');
    assertCliError(badAddress, 'address_invalid');
    assertCliError(faucetTooMuch, 'parameter_invalid');
    assert.equal(assertOk(await cli(['balance', alice.address])).balance, '100.000000');
  });

  let crossTx: string;

  it('sends within a shard (final) and across shards (credited); balances follow', async () => {
    const [local1, cross] = [
      await cli(['send', '--wallet', 'alice', '--to', 'bob', '--amount', '10', '--memo', 'lunch']),
      await cli(['send', '--wallet', 'alice', '--to', carol.address, '--amount', '5.5']),
    ];
    const same = assertOk(local1);
    assert.deepEqual(
      { status: same.status, fromShard: same.fromShard, toShard: same.toShard },
      { status: 'final', fromShard: alice.shard, toShard: alice.shard },
    );
    assert.match(String(same.tx), /^[0-9a-f]{64}$/);
    const across = assertOk(cross);
    assert.deepEqual(
      { status: across.status, fromShard: across.fromShard, toShard: across.toShard },
      { status: 'credited', fromShard: alice.shard, toShard: carol.shard },
    );
    crossTx = String(across.tx);
    const [a, b, c] = await Promise.all([
      cli(['balance', 'alice']),
      cli(['balance', 'bob']),
      cli(['balance', 'carol']),
    ]);
    assert.equal(assertOk(a).balance, '84.500000');
    assert.equal(assertOk(b).balance, '10.000000');
    assert.equal(assertOk(c).balance, '5.500000');
  });

  it('shows the stages of a transaction and the history of a wallet', async () => {
    const tx = assertOk(await cli(['tx', crossTx]));
    assert.equal(tx.tx, crossTx);
    assert.equal(tx.status, 'credited');
    assert.deepEqual(
      (tx.stages as Array<{ stage: string; shard: number }>).map((stage) => [stage.stage, stage.shard]),
      [
        ['final', alice.shard],
        ['credited', carol.shard],
      ],
    );
    assertCliError(await cli(['tx', 'ab'.repeat(32)]), 'resource_missing');

    // The indexer follows the chain a block behind: wait (bounded) until it has every one.
    let history: Record<string, unknown> = {};
    const deadline = Date.now() + 20_000;
    for (;;) {
      history = assertOk(await cli(['history', 'alice']));
      if ((history.data as unknown[]).length >= 3 || Date.now() > deadline) break;
    }
    assert.equal(history.hasMore, false);
    const items = history.data as Array<{ tx: string; direction: string; amount: string }>;
    assert.deepEqual(items.map((item) => [item.direction, item.amount]).sort(), [
      ['received', '100.000000'],
      ['sent', '10.000000'],
      ['sent', '5.500000'],
    ]);
    assert.ok(items.some((item) => item.tx === crossTx));
  });

  it('logs out and in again', async () => {
    const out = assertOk(await cli(['logout']));
    assert.equal(out.loggedOut, true);
    assertCliError(
      await cli(['send', '--wallet', 'alice', '--to', 'bob', '--amount', '1']),
      'authentication_required',
      'authentication_error',
    );
    assertCliError(
      await cli(['login', '--email', 'alice@example.com'], { SHARDPAY_PASSWORD: 'wrong password!!' }),
      'credentials_invalid',
      'authentication_error',
    );
    const login = assertOk(await cli(['login', '--email', 'alice@example.com']));
    assert.equal(login.loggedIn, true);
    assert.equal(login.email, 'alice@example.com');
  });

  it("streams the user's events over the SDK's WebSocket client while the CLI pays", async () => {
    const sessions = JSON.parse(readFileSync(join(home, 'sessions.json'), 'utf8'));
    const client = createGatewayClient({ url: local.url, ...sessions[local.url] });
    const events: GatewayEvent[] = [];
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const stream = client.streamEvents({ onEvent: (event) => events.push(event), onReady: ready });
    try {
      await isReady;
      const sent = assertOk(await cli(['send', '--wallet', 'alice', '--to', 'bob', '--amount', '1']));
      const deadline = Date.now() + 15_000;
      const created = () =>
        events.find((event) => event.type === 'payment.created' && event.data.tx_id === sent.tx);
      while (!created() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(created(), `no payment.created event for ${sent.tx}: ${JSON.stringify(events)}`);
      const listed = await client.listEvents({ limit: 100 });
      assert.ok(listed.data.some((event) => event.id === created()!.id));
    } finally {
      stream.close();
    }
    const refused = createGatewayClient({ url: local.url, accessToken: 'not-a-token' });
    const error = await new Promise<unknown>((resolve) => {
      refused.streamEvents({ onEvent: () => {}, onError: resolve });
    });
    assert.ok(
      error instanceof Error &&
        'code' in error &&
        /^TOKEN_INVALID|AUTHENTICATION_REQUIRED$/.test(String(error.code)),
      String(error),
    );
  });

  it('prints for people without --json, with amounts to 6 decimals', async () => {
    const run = await runCli(['balance', 'bob'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /balance\s+11\.000000 USD/);
    const failed = await runCli(['send', '--wallet', 'nobody', '--to', bob.address, '--amount', '1'], env);
    assert.equal(failed.code, 1);
    assert.equal(failed.stdout, '');
    assert.match(failed.stderr, /no wallet "nobody".*\(wallet_not_found\)/);
    const created = await runCli(['wallet', 'create', 'dave'], env);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /wallet "dave" created/);
    assert.match(created.stdout, /Recovery phrase[^\n]*\n\n {2}([a-z]+ ){23}[a-z]+\n?$/);
  });
});
