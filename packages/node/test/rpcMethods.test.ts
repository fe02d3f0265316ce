import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bytesToHex, encodeAddress } from '@shardpay/crypto';
import {
  blockFromJson,
  blockHeaderFromJson,
  commitCertificateFromJson,
  encodeTransaction,
  formatAmount,
  headerId,
  merkleProofFromJson,
  networkConfigFromJson,
  networkConfigToJson,
  type Receipt,
  receiptFromJson,
  receiptId,
  signTransaction,
  type Transaction,
  transactionId,
  transactionToJson,
} from '@shardpay/protocol';
import { createNodeRpcServer } from '../src/rpc/createNodeRpcServer.ts';
import { RpcErrorCode } from '../src/rpc/createRpcServer.ts';
import { supplyViewToJson } from '../src/rpc/rpcJson.ts';
import { callHttp, connectWs, type RpcReply } from './rpcClient.ts';
import { createTestNetwork, createTestNode } from './rpcTestNode.ts';

const genesis = createTestNetwork();
const network = genesis.config;
const faucet = genesis.faucets[0]!;
const otherShardFaucet = genesis.faucets[1]!;

function transfer(nonce: bigint, amount = 1_000_000n, shard = 0): Transaction {
  return signTransaction(
    {
      chainId: network.chainId,
      shard,
      nonce,
      fee: 0n,
      expiryHeight: 1000n,
      publicKey: faucet.publicKey,
      operation: { type: 'transfer', to: otherShardFaucet.address, amount, memo: 'rent' },
    },
    faucet.privateKey,
  );
}

function resultOf(reply: RpcReply): Record<string, unknown> {
  assert.equal(reply.error, undefined, `unexpected error ${JSON.stringify(reply.error)}`);
  return reply.result as Record<string, unknown>;
}

function assertInvalidParams(reply: RpcReply, path: string, reason?: string): void {
  assert.equal(reply.error?.code, RpcErrorCode.INVALID_PARAMS, JSON.stringify(reply));
  assert.equal(reply.error?.data?.code, 'INVALID_PARAMS');
  assert.equal(reply.error?.data?.meta?.path, path, JSON.stringify(reply.error));
  if (reason) assert.equal(reply.error?.data?.meta?.reason, reason, JSON.stringify(reply.error));
}

describe('node RPC methods over HTTP and WebSocket', () => {
  const node = createTestNode(network, 0);
  const internalErrors: unknown[] = [];
  const server = createNodeRpcServer(
    node,
    { host: '127.0.0.1', port: 0, maxSubscriptionsPerConnection: 3 },
    { onInternalError: (error) => internalErrors.push(error) },
  );
  let url = '';
  before(async () => {
    await server.start();
    url = `http://127.0.0.1:${server.port()}`;
  });
  after(async () => {
    await server.stop();
    // Only the status query the txStatus test makes fail on purpose.
    assert.deepEqual(
      internalErrors.map((error) => (error instanceof Error ? error.message : String(error))),
      ['peer shard did not answer'],
    );
  });

  it('submits a transaction as canonical hex or as its JSON form', async () => {
    const first = transfer(0n);
    const byHex = resultOf(
      await callHttp(url, 'shardpay_submitTransaction', { tx: bytesToHex(encodeTransaction(first)) }),
    );
    assert.deepEqual(byHex, { txId: bytesToHex(transactionId(first)) });
    const second = transfer(1n);
    const byJson = resultOf(
      await callHttp(url, 'shardpay_submitTransaction', {
        transaction: transactionToJson(second, { addressPrefix: network.addressPrefix }),
      }),
    );
    assert.equal(byJson.txId, bytesToHex(transactionId(second)));
    assert.equal(node.submitted.length, 2);
    // The node's own refusal travels as an application error with its code.
    const again = await callHttp(url, 'shardpay_submitTransaction', {
      tx: bytesToHex(encodeTransaction(first)),
    });
    assert.equal(again.error?.code, RpcErrorCode.APPLICATION_ERROR);
    assert.equal(again.error?.data?.code, 'TX_ALREADY_KNOWN');
  });

  it('refuses malformed transactions as invalid params naming the field', async () => {
    const json = transactionToJson(transfer(5n), { addressPrefix: network.addressPrefix });
    assertInvalidParams(
      await callHttp(url, 'shardpay_submitTransaction', { transaction: { ...json, nonce: 5 } }),
      'transaction.nonce',
    );
    assertInvalidParams(
      await callHttp(url, 'shardpay_submitTransaction', {
        transaction: {
          ...json,
          operation: { ...json.operation, to: encodeAddress(otherShardFaucet.address, 'sp') },
        },
      }),
      'transaction.operation.to',
    );
    assertInvalidParams(
      await callHttp(url, 'shardpay_submitTransaction', { tx: '0xabcd' }),
      'tx',
      'invalid_hex',
    );
    assertInvalidParams(
      await callHttp(url, 'shardpay_submitTransaction', { tx: 'abc' }),
      'tx',
      'invalid_hex',
    );
    assertInvalidParams(await callHttp(url, 'shardpay_submitTransaction', { tx: 'ab'.repeat(40) }), 'tx');
    assertInvalidParams(
      await callHttp(url, 'shardpay_submitTransaction', { tx: 'ab'.repeat(9000) }),
      'tx',
      'too_long',
    );
    assertInvalidParams(await callHttp(url, 'shardpay_submitTransaction', {}), '', 'missing_field');
    assertInvalidParams(
      await callHttp(url, 'shardpay_submitTransaction', {
        tx: bytesToHex(encodeTransaction(transfer(6n))),
        transaction: json,
      }),
      '',
    );
    assertInvalidParams(
      await callHttp(url, 'shardpay_submitTransaction', { tx: 'ab', extra: 1 }),
      'extra',
      'unknown_field',
    );
    assertInvalidParams(await callHttp(url, 'shardpay_submitTransaction', ['ab']), '', 'not_object');
    const tampered = { ...transfer(7n), signature: new Uint8Array(64).fill(1) };
    const refused = await callHttp(url, 'shardpay_submitTransaction', {
      tx: bytesToHex(encodeTransaction(tampered)),
    });
    assert.equal(refused.error?.data?.code, 'BAD_SIGNATURE');
  });

  it('reads accounts with decimal-string money and nonces, and checks addresses', async () => {
    node.setAccount(faucet.address, 12_500_000n, 3n);
    const address = encodeAddress(faucet.address, network.addressPrefix);
    const account = resultOf(await callHttp(url, 'shardpay_getAccount', { address }));
    assert.equal(account.address, address);
    assert.equal(account.balance, '12.500000');
    assert.equal(account.nonce, '3');
    assert.equal(typeof account.pendingNonce, 'string');
    assert.match(String(account.stateRoot), /^[0-9a-f]{64}$/);
    assert.equal(account.proof, undefined);
    const proven = resultOf(await callHttp(url, 'shardpay_getAccount', { address, proof: true }));
    assert.equal(proven.proof, '010203');

    assertInvalidParams(
      await callHttp(url, 'shardpay_getAccount', {
        address: `${address.slice(0, -1)}${address.endsWith('x') ? 'q' : 'x'}`,
      }),
      'address',
      'invalid_address',
    );
    assertInvalidParams(
      await callHttp(url, 'shardpay_getAccount', { address: encodeAddress(faucet.address, 'sp') }),
      'address',
      'wrong_network',
    );
    assertInvalidParams(
      await callHttp(url, 'shardpay_getAccount', { address, proof: 'yes' }),
      'proof',
      'wrong_type',
    );
    assertInvalidParams(await callHttp(url, 'shardpay_getAccount', {}), 'address', 'missing_field');
    const elsewhere = await callHttp(url, 'shardpay_getAccount', {
      address: encodeAddress(otherShardFaucet.address, network.addressPrefix),
    });
    assert.equal(elsewhere.error?.data?.code, 'WRONG_SHARD');
    assert.equal(elsewhere.error?.data?.meta?.shard, 1);
  });

  it('serves blocks, headers, certificates and receipts in their JSON forms', async () => {
    const receipt: Receipt = {
      chainId: network.chainId,
      sourceShard: 0,
      targetShard: 1,
      sourceHeight: node.latestHeight() + 1n,
      index: 0,
      kind: 'credit',
      txId: new Uint8Array(32).fill(9),
      operation: 'transfer',
      from: faucet.address,
      to: otherShardFaucet.address,
      amount: 2_000_000n,
      paymentId: '',
      memo: '',
      refundOf: null,
    };
    const event = node.commitBlock([receipt]);
    const height = event.header.height.toString();
    const options = { addressPrefix: network.addressPrefix };
    const block = blockFromJson(resultOf(await callHttp(url, 'shardpay_getBlock', { height })), options);
    assert.equal(block.transactions.length, 2);
    assert.deepEqual(headerId(block.header), event.hash);
    const latest = blockHeaderFromJson(
      resultOf(await callHttp(url, 'shardpay_getHeader', { height: 'latest' })),
    );
    assert.deepEqual(headerId(latest), event.hash);
    const byNumber = blockHeaderFromJson(
      resultOf(await callHttp(url, 'shardpay_getHeader', { height: Number(height) })),
    );
    assert.deepEqual(byNumber, latest);
    const certificate = commitCertificateFromJson(
      resultOf(await callHttp(url, 'shardpay_getCertificate', {})),
    );
    assert.deepEqual(certificate.blockHash, event.hash);
    assert.equal((await callHttp(url, 'shardpay_getBlock', { height: '999' })).result, null);

    const id = bytesToHex(receiptId(receipt));
    const found = resultOf(await callHttp(url, 'shardpay_getReceipt', { receiptId: id }));
    assert.equal(found.receiptId, id);
    assert.deepEqual(receiptFromJson(found.receipt, options), receipt);
    assert.deepEqual(headerId(blockHeaderFromJson(found.header)), event.hash);
    assert.equal(commitCertificateFromJson(found.certificate).height, event.header.height);
    assert.equal(merkleProofFromJson(found.proof).leafCount, 1);
    assert.equal((await callHttp(url, 'shardpay_getReceipt', { receiptId: '00'.repeat(32) })).result, null);

    // The block's outgoing receipts, in order, with their ids (what an explorer lists under a block).
    const emitted = resultOf(
      await callHttp(url, 'shardpay_getBlockReceipts', { height: event.header.height.toString() }),
    ) as { height: string; receipts: Array<{ receiptId: string; receipt: unknown }> };
    assert.equal(emitted.height, event.header.height.toString());
    assert.equal(emitted.receipts.length, 1);
    assert.equal(emitted.receipts[0]?.receiptId, id);
    assert.deepEqual(receiptFromJson(emitted.receipts[0]?.receipt, options), receipt);
    assert.equal((await callHttp(url, 'shardpay_getBlockReceipts', { height: '999' })).result, null);
    assertInvalidParams(await callHttp(url, 'shardpay_getBlockReceipts', { height: 'x' }), 'height');

    for (const bad of ['-1', '01', 'LATEST', '18446744073709551616', 1.5, -1, true, null]) {
      assertInvalidParams(await callHttp(url, 'shardpay_getBlock', { height: bad }), 'height');
    }
    assertInvalidParams(
      await callHttp(url, 'shardpay_getReceipt', { receiptId: 'zz'.repeat(32) }),
      'receiptId',
      'invalid_hex',
    );
  });

  it('reports transaction status stages with heights as strings', async () => {
    const tx = transfer(2n);
    const { txId } = await node.submitTransaction(tx);
    const pending = resultOf(
      await callHttp(url, 'shardpay_getTransactionStatus', { txId: bytesToHex(txId) }),
    );
    assert.deepEqual(pending, {
      txId: bytesToHex(txId),
      status: 'pending',
      stages: [{ stage: 'pending', shard: 0 }],
    });
    const event = node.commitBlock();
    const final = resultOf(
      await callHttp(url, 'shardpay_getTransactionStatus', { txId: bytesToHex(txId).toUpperCase() }),
    );
    assert.equal(final.status, 'final');
    assert.deepEqual(final.stages, [
      { stage: 'final', shard: 0, height: event.header.height.toString(), index: 0 },
    ]);
    const unknown = resultOf(await callHttp(url, 'shardpay_getTransactionStatus', { txId: 'ab'.repeat(32) }));
    assert.equal(unknown.status, 'unknown');
    assertInvalidParams(
      await callHttp(url, 'shardpay_getTransactionStatus', { txId: 'ab' }),
      'txId',
      'invalid_hex',
    );
  });

  it("reports the shard's supply as decimal strings, and refuses parameters", async () => {
    node.setAccount(faucet.address, 12_500_000n, 3n);
    const supply = resultOf(await callHttp(url, 'shardpay_getSupply'));
    const expected = node.getSupply();
    assert.deepEqual(supply, {
      shard: 0,
      height: node.latestHeight().toString(),
      minted: formatAmount(expected.minted),
      burned: '0.000000',
      outstanding: formatAmount(expected.minted),
    });
    assertInvalidParams(await callHttp(url, 'shardpay_getSupply', { shard: 1 }), 'shard', 'unknown_field');
    // A shard whose holders burned coins that were created on another shard is below zero.
    assert.equal(
      supplyViewToJson({ shard: 1, height: 5n, minted: 1n, burned: 3_000_000n }).outstanding,
      '-2.999999',
    );
  });

  it('describes the network', async () => {
    const info = resultOf(await callHttp(url, 'shardpay_networkInfo'));
    assert.equal(info.chainId, network.chainId);
    assert.equal(info.addressPrefix, 'spd');
    assert.equal(info.height, node.latestHeight().toString());
    assert.deepEqual(info.shards, [
      { id: 0, validators: 4, height: node.latestHeight().toString() },
      { id: 1, validators: 4 },
    ]);
    assert.deepEqual(resultOf(await callHttp(url, 'shardpay_networkInfo', [])), info);
    assertInvalidParams(
      await callHttp(url, 'shardpay_networkInfo', { verbose: true }),
      'verbose',
      'unknown_field',
    );
    const config = networkConfigFromJson(resultOf(await callHttp(url, 'shardpay_getNetworkConfig')));
    assert.deepEqual(networkConfigToJson(config), networkConfigToJson(network));
  });

  it('refuses subscriptions over HTTP', async () => {
    const reply = await callHttp(url, 'shardpay_subscribe', { topic: 'newHeads' });
    assert.equal(reply.error?.code, RpcErrorCode.APPLICATION_ERROR);
    assert.equal(reply.error?.data?.code, 'WEBSOCKET_REQUIRED');
  });

  it('pushes new heads after the subscription id, until unsubscribed', async () => {
    const client = await connectWs(url);
    const listenersBefore = node.listenerCount();
    const subscription = (await client.call('shardpay_subscribe', { topic: 'newHeads' })).result as string;
    assert.match(subscription, /^[0-9a-f]{32}$/);
    const first = node.commitBlock();
    const second = node.commitBlock();
    const pushed = await client.notifications(2);
    assert.deepEqual(
      pushed.map((n) => [n.method, n.params.subscription, n.params.result.hash]),
      [
        ['shardpay_subscription', subscription, bytesToHex(first.hash)],
        ['shardpay_subscription', subscription, bytesToHex(second.hash)],
      ],
    );
    assert.deepEqual(blockHeaderFromJson(pushed[0]!.params.result.header), first.header);
    assert.equal((await client.call('shardpay_unsubscribe', { subscription })).result, true);
    assert.equal((await client.call('shardpay_unsubscribe', { subscription })).result, false);
    assert.equal(node.listenerCount(), listenersBefore);
    node.commitBlock();
    // A round trip after the commit: a late notification would have arrived before this answer.
    await client.call('shardpay_networkInfo');
    assert.equal((await client.notifications(0)).length, 2);
    await client.close();
  });

  it('follows a transaction stage by stage and ends at a terminal stage', async () => {
    const client = await connectWs(url);
    const tx = transfer(3n);
    const { txId } = await node.submitTransaction(tx);
    const subscribed = await client.call('shardpay_subscribe', { topic: 'txStatus', txId: bytesToHex(txId) });
    const subscription = subscribed.result as string;
    const [pending] = await client.notifications(1);
    // The response came first, then the already reached stage.
    assert.equal(client.messages.indexOf(subscribed), 0);
    assert.equal(pending!.params.subscription, subscription);
    assert.equal(pending!.params.result.status, 'pending');

    // A failed status query (another shard did not answer) is retried at the next block.
    node.failStatusQueries(true);
    const listeners = node.listenerCount();
    const event = node.commitBlock();
    node.failStatusQueries(false);
    node.setStatus({
      txId,
      status: 'final',
      targetShard: 1,
      stages: [{ stage: 'final', shard: 0, height: event.header.height, index: 0 }],
    });
    node.commitBlock();
    const [, final] = await client.notifications(2);
    assert.equal(final!.params.result.status, 'final');
    assert.equal(final!.params.result.targetShard, 1);
    assert.equal(node.listenerCount(), listeners, 'final with a target shard is not terminal');

    node.setStatus({
      txId,
      status: 'credited',
      targetShard: 1,
      stages: [
        { stage: 'final', shard: 0, height: event.header.height, index: 0 },
        { stage: 'credited', shard: 1, height: 4n, receiptId: new Uint8Array(32).fill(5) },
      ],
    });
    node.commitBlock();
    const [, , credited] = await client.notifications(3);
    assert.equal(credited!.params.result.status, 'credited');
    assert.deepEqual((credited!.params.result.stages as unknown[]).at(-1), {
      stage: 'credited',
      shard: 1,
      height: '4',
      receiptId: '05'.repeat(32),
    });
    assert.equal(node.listenerCount(), listeners - 1, 'the subscription ended after the terminal stage');
    assert.equal((await client.call('shardpay_unsubscribe', { subscription })).result, false);
    await client.close();
  });

  it('validates subscription params, bounds subscriptions per connection and cleans up on close', async () => {
    const client = await connectWs(url);
    const listeners = node.listenerCount();
    const invalid = await client.call('shardpay_subscribe', { topic: 'logs' });
    assert.equal(invalid.error?.code, RpcErrorCode.INVALID_PARAMS);
    assert.equal(invalid.error?.data?.meta?.path, 'topic');
    const missing = await client.call('shardpay_subscribe', { topic: 'txStatus' });
    assert.equal(missing.error?.data?.meta?.path, 'txId');
    const extra = await client.call('shardpay_subscribe', { topic: 'newHeads', txId: 'ab'.repeat(32) });
    assert.equal(extra.error?.data?.meta?.reason, 'unknown_field');
    for (let i = 0; i < 3; i++) {
      assert.equal(typeof (await client.call('shardpay_subscribe', { topic: 'newHeads' })).result, 'string');
    }
    const refused = await client.call('shardpay_subscribe', { topic: 'newHeads' });
    assert.equal(refused.error?.data?.code, 'TOO_MANY_SUBSCRIPTIONS');
    assert.equal(node.listenerCount(), listeners + 3);
    await client.close();
    const deadline = Date.now() + 5000;
    while (node.listenerCount() !== listeners && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal(node.listenerCount(), listeners);
  });
});
