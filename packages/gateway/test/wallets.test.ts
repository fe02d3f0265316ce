import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addressFromPublicKey,
  bytesToHex,
  encodeAddress,
  encryptKeystore,
  publicKeyFromPrivateKey,
  sha256,
  signHash,
  utf8ToBytes,
} from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import { walletChallengeSigningHash } from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import { createTestGateway, errorOf, signUpAndLogIn, testDatabaseTargets } from './helpers/testGateway.ts';

// Keys derive from a printed seed, so a failure replays exactly.
const seed = process.env.GATEWAY_TEST_SEED ?? `${Date.now()}`;
let keyIndex = 0;
function nextKey() {
  keyIndex += 1;
  const privateKey = sha256(utf8ToBytes(`gateway-wallet-test/${seed}/${keyIndex}`));
  const publicKey = publicKeyFromPrivateKey(privateKey);
  return { privateKey, publicKey, address: encodeAddress(addressFromPublicKey(publicKey), 'spd') };
}

type Auth = { authorization: string };

async function challenge(app: FastifyInstance, auth: Auth) {
  const response = await app.inject({ method: 'POST', url: '/v1/wallet_challenges', headers: auth });
  assert.equal(response.statusCode, 201);
  return response.json() as { id: string; message: string; expires_at: number };
}

/** A complete, valid registration body for a new key. */
async function registrationBody(app: FastifyInstance, auth: Auth, key = nextKey()) {
  const issued = await challenge(app, auth);
  return {
    key,
    body: {
      address: key.address,
      public_key: bytesToHex(key.publicKey),
      challenge_id: issued.id,
      signature: bytesToHex(signHash(walletChallengeSigningHash(issued.message), key.privateKey)),
    } as Record<string, unknown>,
  };
}

for (const target of testDatabaseTargets()) {
  describe(`wallets (${target.name})`, { skip: target.skip }, () => {
    let database: Database;
    before(async () => {
      database = await target.open();
    });
    after(async () => {
      await database.close();
    });

    const register = (app: FastifyInstance, auth: Auth, body: Record<string, unknown>, key?: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/wallets',
        headers: { ...auth, ...(key === undefined ? {} : { 'idempotency-key': key }) },
        payload: body,
      });

    it(`registers a wallet proven by a signature over a challenge (seed ${seed})`, async () => {
      const { app } = createTestGateway(database);
      const { auth } = await signUpAndLogIn(app);
      const { key, body } = await registrationBody(app, auth);
      const response = await register(app, auth, { ...body, label: 'savings' });
      assert.equal(response.statusCode, 201, response.body);
      const wallet = response.json() as Record<string, unknown>;
      assert.match(String(wallet.id), /^wal_/);
      assert.equal(wallet.object, 'wallet');
      assert.equal(wallet.address, key.address);
      assert.equal(wallet.label, 'savings');
      assert.equal(wallet.has_keystore, false);
      const fetched = await app.inject({ method: 'GET', url: `/v1/wallets/${wallet.id}`, headers: auth });
      assert.equal(fetched.statusCode, 200);
      assert.equal((fetched.json() as { address: string }).address, key.address);
    });

    it('refuses a challenge used twice, another user’s challenge, and a wrong signature', async () => {
      const { app } = createTestGateway(database);
      const { auth } = await signUpAndLogIn(app);
      const other = await signUpAndLogIn(app);
      const { key, body } = await registrationBody(app, auth);
      assert.equal((await register(app, auth, body)).statusCode, 201);
      const second = nextKey();
      const reused = await register(app, auth, {
        ...body,
        address: second.address,
        public_key: bytesToHex(second.publicKey),
        signature: bytesToHex(signHash(sha256(utf8ToBytes('x')), second.privateKey)),
      });
      assert.equal(errorOf(reused).code, 'challenge_invalid');
      const theirs = await registrationBody(app, other.auth, nextKey());
      const stolen = await register(app, auth, theirs.body);
      assert.equal(errorOf(stolen).code, 'challenge_invalid');
      const fresh = await registrationBody(app, auth, nextKey());
      const badSignature = await register(app, auth, {
        ...fresh.body,
        signature: bytesToHex(signHash(walletChallengeSigningHash('some other message'), key.privateKey)),
      });
      assert.equal(badSignature.statusCode, 400);
      assert.equal(errorOf(badSignature).code, 'signature_invalid');
      assert.equal(errorOf(badSignature).param, 'signature');
    });

    it('refuses an expired challenge', async () => {
      const { app, clock } = createTestGateway(database);
      const { auth } = await signUpAndLogIn(app);
      const { body } = await registrationBody(app, auth);
      clock.advance(5 * 60_000 + 1);
      assert.equal(errorOf(await register(app, auth, body)).code, 'challenge_invalid');
    });

    it('checks the address against the public key and the network prefix', async () => {
      const { app } = createTestGateway(database);
      const { auth } = await signUpAndLogIn(app);
      const { body } = await registrationBody(app, auth);
      const stranger = nextKey();
      const mismatch = await register(app, auth, { ...body, address: stranger.address });
      assert.equal(errorOf(mismatch).code, 'address_key_mismatch');
      assert.equal(errorOf(mismatch).param, 'address');
      const mainnet = encodeAddress(addressFromPublicKey(stranger.publicKey), 'sp');
      const wrongNetwork = await register(app, auth, { ...body, address: mainnet });
      assert.equal(errorOf(wrongNetwork).code, 'address_invalid');
      const notAKey = await register(app, auth, { ...body, public_key: `04${'11'.repeat(32)}` });
      assert.equal(notAKey.statusCode, 400);
    });

    it('refuses to register one address twice', async () => {
      const { app } = createTestGateway(database);
      const { auth } = await signUpAndLogIn(app);
      const key = nextKey();
      assert.equal(
        (await register(app, auth, (await registrationBody(app, auth, key)).body)).statusCode,
        201,
      );
      const again = await register(app, auth, (await registrationBody(app, auth, key)).body);
      assert.equal(again.statusCode, 409);
      assert.equal(errorOf(again).code, 'wallet_exists');
    });

    it('stores an encrypted keystore as given and returns it on GET, never decrypted', async () => {
      const { app } = createTestGateway(database);
      const { auth } = await signUpAndLogIn(app);
      const key = nextKey();
      const keystore = await encryptKeystore(key.privateKey, 'user passphrase', {
        kind: 'privateKey',
        address: key.address,
        scryptN: 2 ** 10,
      });
      const { body } = await registrationBody(app, auth, key);
      const response = await register(app, auth, { ...body, keystore });
      assert.equal(response.statusCode, 201, response.body);
      const wallet = response.json() as { id: string; has_keystore: boolean };
      assert.equal(wallet.has_keystore, true);
      const fetched = await app.inject({ method: 'GET', url: `/v1/wallets/${wallet.id}`, headers: auth });
      assert.deepEqual(
        (fetched.json() as { keystore: unknown }).keystore,
        JSON.parse(JSON.stringify(keystore)),
      );
      const stored = await database.query<{ keystore: unknown }>(
        'SELECT keystore::text AS keystore FROM wallets WHERE id = $1',
        [wallet.id],
      );
      assert.ok(!String(stored.rows[0]?.keystore).includes(bytesToHex(key.privateKey)));
    });

    it('refuses a keystore of the wrong shape or for another address', async () => {
      const { app } = createTestGateway(database);
      const { auth } = await signUpAndLogIn(app);
      const key = nextKey();
      const keystore = await encryptKeystore(key.privateKey, 'pass', {
        kind: 'privateKey',
        address: key.address,
        scryptN: 2 ** 10,
      });
      const { body } = await registrationBody(app, auth, key);
      const plaintext = await register(app, auth, {
        ...body,
        keystore: { ...keystore, privateKey: bytesToHex(key.privateKey) },
      });
      assert.equal(errorOf(plaintext).code, 'parameter_unknown');
      assert.equal(errorOf(plaintext).param, 'keystore.privateKey');
      const noCipher = await register(app, auth, { ...body, keystore: { ...keystore, cipher: undefined } });
      assert.equal(errorOf(noCipher).code, 'parameter_missing');
      const otherAddress = await register(app, auth, {
        ...body,
        keystore: { ...keystore, address: nextKey().address },
      });
      assert.equal(errorOf(otherAddress).code, 'keystore_invalid');
    });

    it('accepts no private key, mnemonic or other secret in any request body', async () => {
      const { app } = createTestGateway(database);
      const { auth } = await signUpAndLogIn(app);
      const { key, body } = await registrationBody(app, auth);
      for (const field of [
        'private_key',
        'privateKey',
        'mnemonic',
        'seed',
        'secret',
        'secret_key',
        'passphrase',
        'xprv',
      ]) {
        const response = await register(app, auth, { ...body, [field]: bytesToHex(key.privateKey) });
        assert.equal(response.statusCode, 400, field);
        assert.equal(errorOf(response).code, 'parameter_unknown', field);
        assert.equal(errorOf(response).param, field);
      }
      const stored = await database.query('SELECT 1 FROM wallets WHERE address = $1', [key.address]);
      assert.equal(stored.rowCount, 0);
      // Every POST body schema in the API refuses unknown fields, at every depth.
      const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as {
        paths: Record<
          string,
          Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
        >;
      };
      const checked: string[] = [];
      const assertClosed = (schema: unknown, where: string) => {
        if (schema === null || typeof schema !== 'object') return;
        const node = schema as {
          type?: unknown;
          properties?: Record<string, unknown>;
          additionalProperties?: unknown;
        };
        if (node.type === 'object') {
          assert.equal(node.additionalProperties, false, `${where} accepts unknown fields`);
          for (const name of Object.keys(node.properties ?? {})) {
            assert.doesNotMatch(name, /private|mnemonic|seed|secret|passphrase/i, `${where}.${name}`);
          }
        }
        for (const value of Object.values(node)) assertClosed(value, where);
      };
      for (const [path, operations] of Object.entries(document.paths)) {
        const content = operations.post?.requestBody?.content;
        if (content === undefined) continue;
        for (const media of Object.values(content)) assertClosed(media.schema, path);
        checked.push(path);
      }
      assert.ok(checked.includes('/v1/wallets') && checked.includes('/v1/users'), checked.join(','));
    });

    it('replays a registration sent twice with one Idempotency-Key', async () => {
      const { app } = createTestGateway(database);
      const { auth } = await signUpAndLogIn(app);
      const { body } = await registrationBody(app, auth);
      const first = await register(app, auth, body, 'register-once');
      const second = await register(app, auth, body, 'register-once');
      assert.equal(first.statusCode, 201);
      assert.equal(second.body, first.body);
      assert.equal(second.headers['idempotent-replayed'], 'true');
    });

    it('lists wallets newest first with cursor pagination, only the caller’s', async () => {
      const { app } = createTestGateway(database);
      const { auth } = await signUpAndLogIn(app);
      const other = await signUpAndLogIn(app);
      await register(app, other.auth, (await registrationBody(app, other.auth)).body);
      const ids: string[] = [];
      for (let i = 0; i < 7; i += 1) {
        const response = await register(app, auth, (await registrationBody(app, auth)).body);
        ids.push((response.json() as { id: string }).id);
      }
      const newestFirst = [...ids].reverse();
      const list = async (query: string) => {
        const response = await app.inject({ method: 'GET', url: `/v1/wallets${query}`, headers: auth });
        assert.equal(response.statusCode, 200, response.body);
        const page = response.json() as { object: string; data: Array<{ id: string }>; has_more: boolean };
        assert.equal(page.object, 'list');
        return { ids: page.data.map((wallet) => wallet.id), hasMore: page.has_more };
      };
      assert.deepEqual(await list(''), { ids: newestFirst, hasMore: false });
      const first = await list('?limit=3');
      assert.deepEqual(first, { ids: newestFirst.slice(0, 3), hasMore: true });
      const second = await list(`?limit=3&starting_after=${first.ids[2]}`);
      assert.deepEqual(second, { ids: newestFirst.slice(3, 6), hasMore: true });
      const third = await list(`?limit=3&starting_after=${second.ids[2]}`);
      assert.deepEqual(third, { ids: newestFirst.slice(6), hasMore: false });
      const before = await list(`?limit=2&ending_before=${newestFirst[4]}`);
      assert.deepEqual(before, { ids: newestFirst.slice(2, 4), hasMore: true });
      for (const bad of ['?limit=0', '?limit=101', '?limit=ten', '?starting_after=usr_x', '?colour=red']) {
        const response = await app.inject({ method: 'GET', url: `/v1/wallets${bad}`, headers: auth });
        assert.equal(response.statusCode, 400, bad);
      }
      const theirId = (
        (await app.inject({ method: 'GET', url: '/v1/wallets', headers: other.auth })).json() as {
          data: Array<{ id: string }>;
        }
      ).data[0]!.id;
      const foreign = await app.inject({ method: 'GET', url: `/v1/wallets/${theirId}`, headers: auth });
      assert.equal(foreign.statusCode, 404);
      assert.equal(errorOf(foreign).code, 'resource_missing');
      const foreignCursor = await app.inject({
        method: 'GET',
        url: `/v1/wallets?starting_after=${theirId}`,
        headers: auth,
      });
      assert.equal(errorOf(foreignCursor).param, 'starting_after');
    });

    it('needs authentication for every wallet route', async () => {
      const { app } = createTestGateway(database);
      for (const [method, url] of [
        ['GET', '/v1/wallets'],
        ['POST', '/v1/wallets'],
        ['POST', '/v1/wallet_challenges'],
        ['GET', '/v1/wallets/wal_aaaaaaaaaaaaaaaaaaaaaa'],
      ] as const) {
        const response = await app.inject(method === 'POST' ? { method, url, payload: {} } : { method, url });
        assert.equal(response.statusCode, 401, `${method} ${url}`);
      }
    });
  });
}
