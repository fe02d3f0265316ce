import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  addressFromPublicKey,
  bytesToHex,
  decodeAddress,
  encodeAddress,
  hexToBytes,
  publicKeyFromPrivateKey,
  sha256,
  utf8ToBytes,
} from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import { decodeAccountProof, verifyAccountProof, verifyReceiptInclusion } from '@shardpay/ledger';
import { createDevnetGenesis } from '@shardpay/node';
import { waitFor } from '@shardpay/node/testing';
import {
  blockHeaderFromJson,
  commitCertificateFromJson,
  encodeTransaction,
  headerId,
  merkleProofFromJson,
  parseAmount,
  receiptFromJson,
  receiptId,
  shardOfAddress,
  signTransaction,
  transactionId,
  verifyCommitCertificate,
} from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import { buildGatewayApp } from '../src/buildGatewayApp.ts';
import { createChainClient } from '../src/chain/createChainClient.ts';
import { resolveGatewayConfig } from '../src/config.ts';
import { createIndexer, type Indexer } from '../src/indexer/createIndexer.ts';
import { type LocalChain, startLocalChain } from './helpers/localChain.ts';
import { createLogCapture, createMigratedPglite, errorOf } from './helpers/testGateway.ts';

/**
 * The explorer routes against a real 2-shard chain in this process: a cross-shard transfer is made,
 * then its block, receipt and the recipient's balance are read through the gateway and verified the
 * way a light client does (certificate against the genesis committee, header hash, Merkle / account
 * proof); a tampered balance or receipt must fail. Then every bad input, and a chain that is down.
 */
describe('explorer routes', { timeout: 120_000 }, () => {
  let chain: LocalChain;
  let database: Database;
  let app: FastifyInstance;
  let indexer: Indexer;
  const prefix = 'spd';
  // The gateway's clock: the system's, until the stats test pins it just after the transfer's block.
  let clockMs: number | undefined;

  before(async () => {
    chain = await startLocalChain(2, 1);
    database = await createMigratedPglite();
    app = buildGatewayApp(resolveGatewayConfig({ rateLimit: false }), {
      database,
      logStream: createLogCapture(),
      chain: { client: chain.client, network: chain.network },
      now: () => new Date(clockMs ?? Date.now()),
    });
    indexer = createIndexer({}, { database, chain: chain.client, network: chain.network });
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await database?.close();
    await chain?.stop();
  });

  /** A deterministic address on `shard` (keys from a fixed seed, so a failure replays). */
  function addressOn(shard: number, label: string): string {
    for (let i = 0; ; i += 1) {
      const privateKey = sha256(utf8ToBytes(`explorer-test/${label}/${i}`));
      const address = addressFromPublicKey(publicKeyFromPrivateKey(privateKey));
      if (shardOfAddress(chain.network, address) === shard) return encodeAddress(address, prefix);
    }
  }

  async function get(url: string) {
    return app.inject({ method: 'GET', url });
  }

  /** Checks a header + certificate pair as a light client does, against genesis's committee. */
  function verifyHeaderAndCertificate(shard: number, headerJson: unknown, certificateJson: unknown) {
    const header = blockHeaderFromJson(headerJson);
    const certificate = commitCertificateFromJson(certificateJson);
    const committee = chain.network.committees.find((c) => c.shard === shard)!;
    verifyCommitCertificate(certificate, committee, {
      chainId: chain.network.chainId,
      shard,
      height: header.height,
      blockHash: headerId(header),
    });
    return header;
  }

  const recipient = () => addressOn(1, 'recipient');
  let txId = '';
  let sourceHeight = '';
  let receiptIdHex = '';

  it('follows a cross-shard transfer to its receipt id, and proves the receipt', async () => {
    const faucet = chain.genesis.faucets[0]!;
    const tx = signTransaction(
      {
        chainId: chain.network.chainId,
        shard: 0,
        nonce: 0n,
        fee: 0n,
        expiryHeight: 10_000n,
        publicKey: faucet.publicKey,
        operation: { type: 'transfer', to: decodeAddress(recipient(), prefix), amount: 7_250_000n, memo: '' },
      },
      faucet.privateKey,
    );
    await chain.client.call(0, 'shardpay_submitTransaction', { tx: bytesToHex(encodeTransaction(tx)) });
    txId = bytesToHex(transactionId(tx));

    let status: Record<string, unknown> = {};
    await waitFor('the transfer credited with a receipt id', 45_000, async () => {
      const response = await get(`/v1/transactions/${txId}`);
      status = response.json();
      return response.statusCode === 200 && status.status === 'credited';
    });
    assert.match(String(status.receipt_id), /^[0-9a-f]{64}$/);
    receiptIdHex = String(status.receipt_id);
    sourceHeight = String((status.stages as Array<{ stage: string; height: string }>)[0]!.height);

    const response = await get(`/v1/receipts/0/${receiptIdHex.toUpperCase()}`);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.object, 'receipt_proof');
    assert.equal(body.shard, 0);
    assert.equal(body.receipt_id, receiptIdHex);
    assert.equal(body.height, sourceHeight);
    const header = verifyHeaderAndCertificate(0, body.header, body.certificate);
    const receipt = receiptFromJson(body.receipt, { addressPrefix: prefix });
    const proof = merkleProofFromJson(body.proof);
    assert.equal(bytesToHex(receiptId(receipt)), receiptIdHex);
    assert.equal(bytesToHex(receipt.txId), txId);
    assert.equal(receipt.amount, 7_250_000n);
    assert.equal(verifyReceiptInclusion(header.receiptsRoot, receipt, proof), true);
    // A receipt claiming more money is not the one the header commits to.
    assert.equal(
      verifyReceiptInclusion(header.receiptsRoot, { ...receipt, amount: 7_250_001n }, proof),
      false,
    );

    // An intra-shard transaction has no receipt id.
    const unknown = await get(`/v1/receipts/0/${'ab'.repeat(32)}`);
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual([errorOf(unknown).code, errorOf(unknown).param], ['resource_missing', 'receipt_id']);
    // The receipt lives on its source shard only.
    assert.equal((await get(`/v1/receipts/1/${receiptIdHex}`)).statusCode, 404);
  });

  it("proves the recipient's balance against its shard's certified state root; a tampered balance fails", async () => {
    const address = recipient();
    const response = await get(`/v1/accounts/${address}/proof`);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.object, 'account_proof');
    assert.equal(body.address, address);
    assert.equal(body.shard, 1);
    assert.equal(body.balance, '7.250000');
    assert.equal(body.nonce, '0');
    const header = verifyHeaderAndCertificate(1, body.header, body.certificate);
    assert.equal(header.height.toString(), body.height);
    const proof = decodeAccountProof(hexToBytes(body.proof));
    const owner = decodeAddress(address, prefix);
    const account = { balance: parseAmount(body.balance), nonce: BigInt(body.nonce) };
    assert.equal(verifyAccountProof(header.stateRoot, owner, account, proof), true);
    assert.equal(
      verifyAccountProof(header.stateRoot, owner, { ...account, balance: account.balance + 1n }, proof),
      false,
    );
    assert.equal(verifyAccountProof(header.stateRoot, owner, { ...account, nonce: 1n }, proof), false);

    // An address the chain never credited has nothing to prove; a malformed one is refused.
    const never = await get(`/v1/accounts/${addressOn(0, 'never')}/proof`);
    assert.equal(never.statusCode, 404);
    assert.deepEqual([errorOf(never).code, errorOf(never).param], ['resource_missing', 'address']);
    for (const bad of ['spd1notanaddress', encodeAddress(decodeAddress(address, prefix), 'sp')]) {
      const refused = await get(`/v1/accounts/${bad}/proof`);
      assert.equal(refused.statusCode, 400, bad);
      assert.deepEqual([errorOf(refused).code, errorOf(refused).param], ['address_invalid', 'address']);
    }
  });

  it("shows the transfer's block with its transaction, receipt, header and certificate", async () => {
    await waitFor('both shards indexed past the transfer', 30_000, async () => {
      const reached = await indexer.syncOnce();
      return (reached.get(0) ?? 0n) >= BigInt(sourceHeight) && (reached.get(1) ?? 0n) >= 1n;
    });
    // The credit is consumed on shard 1 at some height: index up to it.
    await waitFor('the credit indexed', 30_000, async () => {
      await indexer.syncOnce();
      const rows = await database.query('SELECT 1 FROM chain_credits WHERE receipt_id = $1', [receiptIdHex]);
      return rows.rows.length === 1;
    });
    const response = await get(`/v1/shards/0/blocks/${sourceHeight}`);
    assert.equal(response.statusCode, 200, response.body);
    const block = response.json();
    assert.equal(block.object, 'block');
    assert.equal(block.shard, 0);
    assert.equal(block.height, sourceHeight);
    const header = verifyHeaderAndCertificate(0, block.header, block.certificate);
    assert.equal(block.hash, bytesToHex(headerId(header)));
    assert.equal(block.parent_hash, bytesToHex(header.parentHash));
    assert.equal(block.state_root, bytesToHex(header.stateRoot));
    assert.equal(block.time, new Date(Number(header.timestampMs)).toISOString());
    assert.equal(block.proposer, header.proposerIndex);
    assert.equal(block.tx_count, block.transactions.length);
    const transfer = block.transactions.find((t: { tx_id: string }) => t.tx_id === txId);
    assert.deepEqual(transfer, {
      tx_id: txId,
      op: 'transfer',
      from: encodeAddress(chain.genesis.faucets[0]!.address, prefix),
      to: recipient(),
      amount: '7.250000',
      payment_id: null,
    });
    assert.equal(block.receipt_count, 1);
    assert.deepEqual(block.receipts, [
      { receipt_id: receiptIdHex, to: recipient(), amount: '7.250000', target_shard: 1 },
    ]);

    const latest = await get('/v1/shards/0/blocks/latest');
    assert.equal(latest.statusCode, 200, latest.body);
    assert.ok(BigInt(latest.json().height) >= BigInt(sourceHeight));
  });

  it('lists blocks newest first with pages, the same summaries the block route gives', async () => {
    const first = await get('/v1/shards/0/blocks?limit=3');
    assert.equal(first.statusCode, 200, first.body);
    const page = first.json();
    assert.equal(page.object, 'list');
    assert.equal(page.data.length, 3);
    const heights = page.data.map((b: { height: string }) => BigInt(b.height));
    assert.deepEqual(heights, [heights[0], heights[0] - 1n, heights[0] - 2n]);
    assert.equal(page.has_more, heights[2] > 1n);
    for (const summary of page.data) {
      assert.deepEqual(Object.keys(summary).sort(), [
        'hash',
        'height',
        'object',
        'proposer',
        'receipt_count',
        'shard',
        'time',
        'tx_count',
      ]);
    }
    const next = (await get(`/v1/shards/0/blocks?limit=3&before=${heights[2]}`)).json();
    assert.equal(BigInt(next.data[0].height), heights[2] - 1n);

    const around = (await get(`/v1/shards/0/blocks?limit=1&before=${BigInt(sourceHeight) + 1n}`)).json();
    const detail = (await get(`/v1/shards/0/blocks/${sourceHeight}`)).json();
    const { parent_hash, state_root, transactions, receipts, header, certificate, ...summary } = detail;
    assert.deepEqual(around.data, [summary]);

    const bottom = (await get('/v1/shards/0/blocks?before=3&limit=50')).json();
    assert.deepEqual(
      bottom.data.map((b: { height: string }) => b.height),
      ['2', '1'],
    );
    assert.equal(bottom.has_more, false);
  });

  it('gives each shard its rate, latest blocks and intervals for the network view', async () => {
    const source = (await get(`/v1/shards/0/blocks/${sourceHeight}`)).json();
    // A window (the 30 s before the gateway's "now") that holds the transfer's block, however slow
    // the machine was to get here.
    clockMs = Date.parse(source.time) + 1000;
    const response = await get('/v1/network/stats');
    clockMs = undefined;
    assert.equal(response.statusCode, 200, response.body);
    const stats = response.json();
    assert.equal(stats.object, 'network_stats');
    assert.equal(stats.window_seconds, 30);
    assert.deepEqual(
      stats.shards.map((s: { id: number }) => s.id),
      [0, 1],
    );
    for (const shard of stats.shards) {
      assert.match(shard.height, /^[0-9]+$/);
      assert.match(shard.tx_per_second, /^[0-9]+\.[0-9]{2}$/);
      assert.ok(shard.blocks.length > 0 && shard.blocks.length <= 30);
      const heights = shard.blocks.map((b: { height: string }) => BigInt(b.height));
      assert.deepEqual(
        heights,
        heights.map((_: bigint, i: number) => heights[0] - BigInt(i)),
      );
      for (const block of shard.blocks) {
        assert.ok(
          block.height === '1' ? block.interval_ms === null : block.interval_ms > 0,
          JSON.stringify(block),
        );
      }
    }
    // The transfer's block is in the window: shard 0 finalized at least one transaction in it.
    assert.ok(
      Number(stats.shards[0].tx_per_second) >= 0.03,
      `${stats.shards[0].tx_per_second} tx/s, tip ${stats.shards[0].height}, transfer at ${sourceHeight}`,
    );
  });

  it('refuses every malformed input with a 4xx naming it', async () => {
    const cases: Array<[string, number, string, string | null]> = [
      ['/v1/shards/2/blocks', 404, 'resource_missing', 'shard'],
      ['/v1/shards/999999999/blocks/1', 404, 'resource_missing', 'shard'],
      ['/v1/shards/2/blocks/latest', 404, 'resource_missing', 'shard'],
      [`/v1/receipts/7/${'ab'.repeat(32)}`, 404, 'resource_missing', 'shard'],
      ['/v1/shards/0/blocks/0', 404, 'resource_missing', 'height'],
      ['/v1/shards/0/blocks/99999999999999999999', 404, 'resource_missing', 'height'],
      ['/v1/shards/0/blocks/18446744073709551615', 404, 'resource_missing', 'height'],
      ['/v1/shards/0/blocks/1000000000', 404, 'resource_missing', 'height'],
    ];
    for (const [url, status, code, param] of cases) {
      const response = await get(url);
      assert.equal(response.statusCode, status, `${url}: ${response.body}`);
      assert.deepEqual([errorOf(response).code, errorOf(response).param], [code, param], url);
    }
    for (const url of [
      '/v1/shards/x/blocks',
      '/v1/shards/-1/blocks',
      '/v1/shards/1e3/blocks',
      '/v1/shards/0/blocks?limit=0',
      '/v1/shards/0/blocks?limit=51',
      '/v1/shards/0/blocks?limit=abc',
      '/v1/shards/0/blocks?before=-1',
      '/v1/shards/0/blocks?page=2',
      '/v1/shards/0/blocks/latest1',
      '/v1/shards/0/blocks/1.5',
      '/v1/shards/0/blocks/123456789012345678901',
      '/v1/receipts/0/abc',
      `/v1/receipts/0/${'g'.repeat(64)}`,
      `/v1/receipts/x/${'ab'.repeat(32)}`,
    ]) {
      const response = await get(url);
      assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
      assert.equal(errorOf(response).type, 'invalid_request_error', url);
    }
  });
});

describe('explorer routes with no node answering', { timeout: 30_000 }, () => {
  it('answer 503 chain_unavailable', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const chain = await startDownChain(port);
    const database = await createMigratedPglite();
    const app = buildGatewayApp(resolveGatewayConfig({ rateLimit: false }), {
      database,
      logStream: createLogCapture(),
      chain,
    });
    try {
      const address = encodeAddress(new Uint8Array(20).fill(7), 'spd');
      for (const url of [
        '/v1/shards/0/blocks',
        '/v1/shards/1/blocks/latest',
        '/v1/shards/0/blocks/5',
        `/v1/accounts/${address}/proof`,
        `/v1/receipts/0/${'ab'.repeat(32)}`,
        '/v1/network/stats',
      ]) {
        const response = await app.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 503, `${url}: ${response.body}`);
        assert.equal(errorOf(response).code, 'chain_unavailable', url);
      }
    } finally {
      await app.close();
      await database.close();
    }
  });
});

/** A chain client whose every node is a closed port, over a 2-shard genesis. */
async function startDownChain(port: number) {
  const genesis = createDevnetGenesis({
    chainId: 'shardpay-down',
    shards: 2,
    validatorsPerShard: 1,
    p2pPort: (shard) => 40_000 + shard,
    faucetBalance: '1000',
    genesisTimeMs: 0n,
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    client: createChainClient({ shards: { 0: [url], 1: [url] }, requestTimeoutMs: 500 }),
    network: genesis.config,
  };
}
