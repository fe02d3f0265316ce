import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  addressFromPublicKey,
  bytesToHex,
  encodeAddress,
  generatePrivateKey,
  publicKeyFromPrivateKey,
  signHash,
} from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import { waitFor } from '@shardpay/node/testing';
import { encodeTransaction, walletChallengeSigningHash } from '@shardpay/protocol';
import { buildTransfer, createWallet } from '@shardpay/sdk';
import type { FastifyInstance } from 'fastify';
import { buildGatewayApp } from '../src/buildGatewayApp.ts';
import { resolveGatewayConfig } from '../src/config.ts';
import { type LocalChain, startLocalChain } from './helpers/localChain.ts';
import { createLogCapture, createMigratedPglite, uniqueEmail } from './helpers/testGateway.ts';

/** Everything the server received: raw bodies (as bytes arrived), URLs and headers. */
interface Captured {
  url: string;
  headers: string;
  body: string;
}

/** Lower-case words only, so a phrase is found whatever separates or cases its words. */
function wordsOnly(text: string): string {
  return ` ${text.toLowerCase().replace(/[^a-z]+/g, ' ')} `;
}

/**
 * The non-custodial promise, end to end: a user signs up, logs in, refreshes, creates a wallet
 * locally, registers it by signature with an encrypted backup, is funded by the faucet and sends a
 * payment signed locally, against a real chain. Every byte the server received, and every log line
 * it wrote (at trace level), is then searched for the secrets that must stay on the client: the
 * mnemonic (whole, or any 3 consecutive words of it), the private key (hex in any case, base64),
 * the keystore passphrase; and the logs for the password and the tokens too. appSkeleton.test.ts
 * checks redaction field by field; this checks a real session.
 */
describe('no secret reaches the server or its logs', { timeout: 90_000 }, () => {
  let chain: LocalChain;
  let database: Database;
  let app: FastifyInstance;
  const logs = createLogCapture();
  const received: Captured[] = [];

  before(async () => {
    chain = await startLocalChain(2, 1);
    database = await createMigratedPglite();
    const config = resolveGatewayConfig({
      mode: 'devnet',
      faucetKeysDir: chain.faucetKeysDir,
      passwordScryptN: 2 ** 10,
      rateLimit: false,
      logLevel: 'trace',
    });
    app = buildGatewayApp(config, {
      database,
      logStream: logs,
      chain: { client: chain.client, network: chain.network },
    });
    app.addHook('onRequest', async (request) => {
      received.push({ url: request.url, headers: JSON.stringify(request.headers), body: '' });
    });
    app.addHook('preParsing', async (request, _reply, payload) => {
      const chunks: Buffer[] = [];
      for await (const chunk of payload) chunks.push(Buffer.from(chunk as Uint8Array));
      const raw = Buffer.concat(chunks);
      const entry = received.findLast((item) => item.url === request.url);
      if (entry !== undefined) entry.body += raw.toString('utf8');
      return Readable.from([raw]);
    });
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await database?.close();
    await chain?.stop();
  });

  it('holds for a whole user path: signup to a sent payment', async () => {
    const email = uniqueEmail();
    const password = 'Tr0ub4dor&3-correct-horse';
    const passphrase = 'keystore-passphrase-Zq9!';
    const tokens: string[] = [];

    const signUp = await app.inject({ method: 'POST', url: '/v1/users', payload: { email, password } });
    assert.equal(signUp.statusCode, 201, signUp.body);
    const login = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { email, password } });
    assert.equal(login.statusCode, 201, login.body);
    tokens.push(login.json().access_token, login.json().refresh_token);
    const refreshed = await app.inject({
      method: 'POST',
      url: '/v1/sessions/refresh',
      payload: { refresh_token: login.json().refresh_token },
    });
    assert.equal(refreshed.statusCode, 201, refreshed.body);
    tokens.push(refreshed.json().access_token, refreshed.json().refresh_token);
    const auth = { authorization: `Bearer ${refreshed.json().access_token}` };

    // The wallet is made on the client; the server sees its address, public key and an encrypted backup.
    const wallet = createWallet({ network: chain.network, words: 24 });
    const account = wallet.account(0);
    const mnemonic = wallet.exportMnemonic();
    const privateKey = account.exportPrivateKey();
    const keystore = await wallet.exportKeystore(passphrase, { scryptN: 2 ** 10 });
    const challenge = await app.inject({ method: 'POST', url: '/v1/wallet_challenges', headers: auth });
    assert.equal(challenge.statusCode, 201, challenge.body);
    const registered = await app.inject({
      method: 'POST',
      url: '/v1/wallets',
      headers: auth,
      payload: {
        address: account.address,
        public_key: bytesToHex(account.publicKey),
        challenge_id: challenge.json().id,
        signature: bytesToHex(signHash(walletChallengeSigningHash(challenge.json().message), privateKey)),
        label: 'main',
        keystore,
      },
    });
    assert.equal(registered.statusCode, 201, registered.body);
    const walletId = registered.json().id;
    const backup = await app.inject({ method: 'GET', url: `/v1/wallets/${walletId}`, headers: auth });
    assert.deepEqual(backup.json().keystore, JSON.parse(JSON.stringify(keystore)));

    const funded = await app.inject({
      method: 'POST',
      url: '/v1/faucet',
      headers: { 'idempotency-key': `no-secrets-faucet-${process.pid}` },
      payload: { address: account.address, amount: '50' },
    });
    assert.equal(funded.statusCode, 201, funded.body);
    await waitFor('the faucet money on the account', 30_000, async () => {
      const state = await app.inject({ method: 'GET', url: `/v1/accounts/${account.address}` });
      return state.json().balance === '50.000000';
    });

    // A transfer signed locally: only its signed bytes go up.
    const receiver = encodeAddress(
      addressFromPublicKey(publicKeyFromPrivateKey(generatePrivateKey())),
      'spd',
    );
    const state = (await app.inject({ method: 'GET', url: `/v1/accounts/${account.address}` })).json();
    const tx = buildTransfer({
      from: account,
      to: receiver,
      amount: '7.25',
      nonce: BigInt(state.nonce),
      expiryHeight: BigInt(state.height) + 600n,
    });
    const payment = await app.inject({
      method: 'POST',
      url: '/v1/payments',
      headers: { ...auth, 'idempotency-key': `no-secrets-payment-${process.pid}` },
      payload: { transaction: bytesToHex(encodeTransaction(tx)) },
    });
    assert.equal(payment.statusCode, 201, payment.body);
    await waitFor('the payment final', 30_000, async () => {
      const status = await app.inject({
        method: 'GET',
        url: `/v1/payments/${payment.json().id}`,
        headers: auth,
      });
      return ['final', 'credited'].includes(status.json().status);
    });
    const logout = await app.inject({ method: 'DELETE', url: '/v1/sessions', headers: auth });
    assert.equal(logout.statusCode, 204);

    // What the server received.
    const words = mnemonic.split(' ');
    assert.equal(words.length, 24);
    const hexKey = bytesToHex(privateKey);
    const keyForms = [
      hexKey,
      Buffer.from(privateKey).toString('base64'),
      Buffer.from(privateKey).toString('base64url'),
    ];
    const wireText = received.map((entry) => `${entry.url}\n${entry.headers}\n${entry.body}`).join('\n');
    assert.ok(received.length >= 12, `only ${received.length} requests captured`);
    assert.ok(wireText.includes(account.address), 'the capture works: the address went up');
    assertNoSecrets(wireText, 'a request', { words, keyForms, others: [passphrase] });

    // What the server wrote to its log.
    const logText = logs.text();
    assert.match(logText, /"reqId"/);
    assertNoSecrets(logText, 'the log', { words, keyForms, others: [passphrase, password, ...tokens] });
  });
});

function assertNoSecrets(
  text: string,
  where: string,
  secrets: { words: string[]; keyForms: string[]; others: string[] },
): void {
  const lower = text.toLowerCase();
  for (const form of secrets.keyForms) {
    assert.ok(!text.includes(form) && !lower.includes(form.toLowerCase()), `${where} holds the private key`);
  }
  for (const other of secrets.others)
    assert.ok(!text.includes(other), `${where} holds a secret (${other.slice(0, 4)}…)`);
  const normalized = wordsOnly(text);
  assert.ok(!normalized.includes(` ${secrets.words.join(' ')} `), `${where} holds the mnemonic`);
  for (let start = 0; start + 3 <= secrets.words.length; start += 1) {
    const run = secrets.words.slice(start, start + 3).join(' ');
    assert.ok(
      !normalized.includes(` ${run} `),
      `${where} holds 3 consecutive mnemonic words (from word ${start + 1})`,
    );
  }
}
