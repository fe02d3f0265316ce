import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addressFromPublicKey } from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import type { FastifyInstance } from 'fastify';
import { buildGatewayApp } from '../src/buildGatewayApp.ts';
import { resolveGatewayConfig } from '../src/config.ts';
import { createIndexer } from '../src/indexer/createIndexer.ts';
import { openReadyEventStream, waitFor } from './helpers/eventStreamClient.ts';
import {
  createFakeBlockChain,
  createFakeNetwork,
  creditReceiptOf,
  keyOnShard,
  signedTransaction,
} from './helpers/fakeBlockChain.ts';
import { createLogCapture, registerWallet, testDatabaseTargets, uniqueEmail } from './helpers/testGateway.ts';

const runLabel = `replicas/${process.pid}/${Date.now()}`;
// Shards of this suite only (see createFakeNetwork).
const network = createFakeNetwork([8, 9]);

/**
 * Scale-out: two gateway replicas (two apps, each listening) on ONE database, as behind a load
 * balancer. Nothing a request does on one may be missing on the other, events included.
 */
for (const target of testDatabaseTargets()) {
  describe(`two replicas on one database (${target.name})`, { skip: target.skip }, () => {
    let database: Database;
    let replicaA: FastifyInstance;
    let replicaB: FastifyInstance;
    let urlA: string;
    let urlB: string;
    const chain = createFakeBlockChain(network);
    before(async () => {
      database = await target.open();
      await database.query('DELETE FROM chain_transactions WHERE shard IN (8, 9)');
      await database.query('DELETE FROM chain_credits WHERE target_shard IN (8, 9)');
      await database.query('DELETE FROM indexer_cursors WHERE shard IN (8, 9)');
      // Replicas share the JWT secret (docs/gateway.md): one config for both.
      const config = resolveGatewayConfig({ passwordScryptN: 2 ** 10, rateLimit: false });
      const build = () =>
        buildGatewayApp(config, {
          database,
          logStream: createLogCapture(),
          chain: { client: chain.client, network: network },
          events: { pollIntervalMs: 25 },
        });
      replicaA = build();
      replicaB = build();
      urlA = await replicaA.listen({ host: '127.0.0.1', port: 0 });
      urlB = await replicaB.listen({ host: '127.0.0.1', port: 0 });
    });
    after(async () => {
      await replicaA.close();
      await replicaB.close();
      await database.close();
    });

    it('serves on B what was done on A: login, payments and every event, in order, once', async () => {
      const email = uniqueEmail();
      const password = 'correct horse battery';
      const signUp = await replicaA.inject({
        method: 'POST',
        url: '/v1/users',
        payload: { email, password },
      });
      assert.equal(signUp.statusCode, 201, signUp.body);
      const login = await replicaB.inject({
        method: 'POST',
        url: '/v1/sessions',
        payload: { email, password },
      });
      assert.equal(login.statusCode, 201, login.body);
      const session = login.json() as { access_token: string; user_id: string };
      const auth = { authorization: `Bearer ${session.access_token}` };

      const sender = keyOnShard(8, `${runLabel}/${target.name}/sender`, network);
      const receiver = keyOnShard(9, `${runLabel}/${target.name}/receiver`, network);
      await registerWallet(replicaA, auth, sender);
      await registerWallet(replicaB, auth, receiver);

      const onB = await openReadyEventStream(urlB, { access_token: session.access_token });
      const onA = await openReadyEventStream(urlA, { access_token: session.access_token });

      // Ten payments on A, five at a time, then statuses moved via A and a credit indexed.
      const transfers = Array.from({ length: 10 }, (_, i) =>
        signedTransaction(
          sender,
          {
            type: 'transfer',
            to: addressFromPublicKey(receiver.publicKey),
            amount: 1_000_000n + BigInt(i),
            memo: '',
          },
          BigInt(i),
          network,
        ),
      );
      const payments: Array<{ id: string; tx_id: string }> = [];
      for (let start = 0; start < transfers.length; start += 5) {
        const batch = await Promise.all(
          transfers.slice(start, start + 5).map((transfer) =>
            replicaA.inject({
              method: 'POST',
              url: '/v1/payments',
              headers: { ...auth, 'idempotency-key': transfer.txId },
              payload: { transaction: transfer.hex },
            }),
          ),
        );
        for (const response of batch) {
          assert.equal(response.statusCode, 201, response.body);
          payments.push(response.json() as { id: string; tx_id: string });
        }
      }
      const listed = await replicaB.inject({ method: 'GET', url: '/v1/payments?limit=100', headers: auth });
      assert.deepEqual(
        (listed.json() as { data: Array<{ id: string }> }).data.map((payment) => payment.id).sort(),
        payments.map((payment) => payment.id).sort(),
      );
      const fetched = await replicaB.inject({
        method: 'GET',
        url: `/v1/payments/${payments[3]!.id}`,
        headers: auth,
      });
      assert.equal(fetched.statusCode, 200, fetched.body);
      assert.equal((fetched.json() as { tx_id: string }).tx_id, payments[3]!.tx_id);

      chain.statuses.set(payments[0]!.tx_id, 'final');
      const refreshed = await replicaA.inject({
        method: 'GET',
        url: `/v1/payments/${payments[0]!.id}`,
        headers: auth,
      });
      assert.equal((refreshed.json() as { status: string }).status, 'final');
      const indexingErrors: unknown[] = [];
      const indexer = createIndexer(
        {},
        { database, chain: chain.client, network, onError: (error) => indexingErrors.push(error) },
      );
      // Source block first, then the credit (a target indexed first would skip 'final').
      const height = chain.addBlock(8, { transactions: [transfers[1]!.tx] });
      await indexer.syncOnce();
      chain.addBlock(9, { receipts: [creditReceiptOf(transfers[1]!.tx, height, 0, network)] });
      await indexer.syncOnce();
      assert.deepEqual(indexingErrors, []);

      const stored = (
        await database.query<{ id: string }>('SELECT id FROM events WHERE user_id = $1 ORDER BY seq', [
          session.user_id,
        ])
      ).rows.map((row) => row.id);
      // 10 created, 1 refreshed to final, then payment 1: final, credited, and its transfer.received.
      assert.equal(stored.length, 14);
      await waitFor(
        'every event on both replicas',
        10_000,
        () => onA.events().length >= stored.length && onB.events().length >= stored.length,
      );
      assert.deepEqual(
        onB.events().map((event) => event.id),
        stored,
        'B: in order, none missing, none twice',
      );
      assert.deepEqual(
        onA.events().map((event) => event.id),
        stored,
        'A: in order, none missing, none twice',
      );
      assert.deepEqual(
        onB
          .events()
          .slice(-4)
          .map((event) => [event.type, event.data.status ?? event.data.object]),
        [
          ['payment.updated', 'final'],
          ['payment.updated', 'final'],
          ['payment.updated', 'credited'],
          ['transfer.received', 'incoming_transfer'],
        ],
      );
      onA.close();
      onB.close();
    });
  });
}
