import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bytesToHex, encodeAddress, sha256, utf8ToBytes } from '@shardpay/crypto';
import {
  encodeEscrowRecord,
  encodeMultisigRecord,
  encodeTimelockRecord,
  escrowKey,
  multisigKey,
  timelockKey,
} from '@shardpay/ledger';
import { createNodeRpcServer } from '../src/rpc/createNodeRpcServer.ts';
import { RpcErrorCode } from '../src/rpc/createRpcServer.ts';
import { callHttp, type RpcReply } from './rpcClient.ts';
import { createTestNetwork, createTestNode } from './rpcTestNode.ts';

const genesis = createTestNetwork();
const network = genesis.config;
const prefix = network.addressPrefix;
const local = genesis.faucets[0]!;
const remote = genesis.faucets[1]!;
const id = (label: string) => sha256(utf8ToBytes(label));

function resultOf(reply: RpcReply): Record<string, unknown> {
  assert.equal(reply.error, undefined, `unexpected error ${JSON.stringify(reply.error)}`);
  return reply.result as Record<string, unknown>;
}

function assertCode(reply: RpcReply, code: string, path?: string): void {
  assert.equal(reply.error?.data?.code, code, JSON.stringify(reply));
  if (path !== undefined) {
    assert.equal(reply.error?.code, RpcErrorCode.INVALID_PARAMS);
    assert.equal(reply.error?.data?.meta?.path, path, JSON.stringify(reply.error));
  }
}

describe('node RPC record reads (escrows, time locks, multisig, issuer controls)', () => {
  const node = createTestNode(network, 0);
  const server = createNodeRpcServer(node, { host: '127.0.0.1', port: 0 });
  let url = '';
  before(async () => {
    await server.start();
    url = `http://127.0.0.1:${server.port()}`;
    node.commitBlock();
    node.commitBlock();
  });
  after(async () => {
    await server.stop();
  });

  it('reads an escrow: addresses bech32m, amounts decimal, heights as strings', async () => {
    const escrowId = id('escrow');
    node.setRecord(
      escrowKey(escrowId),
      encodeEscrowRecord({
        buyer: local.address,
        merchant: remote.address,
        amount: 12_500_000n,
        orderId: 'inv_7',
        deadlineMs: 1_800_000_000_000n,
        arbiter: null,
        oracle: remote.address,
        status: 'released',
        lockedHeight: 1n,
        closedHeight: 2n,
      }),
    );
    const escrow = resultOf(await callHttp(url, 'shardpay_getEscrow', { escrowId: bytesToHex(escrowId) }));
    assert.deepEqual(escrow, {
      escrowId: bytesToHex(escrowId),
      shard: 0,
      buyer: encodeAddress(local.address, prefix),
      merchant: encodeAddress(remote.address, prefix),
      amount: '12.500000',
      orderId: 'inv_7',
      deadlineMs: '1800000000000',
      arbiter: null,
      oracle: encodeAddress(remote.address, prefix),
      status: 'released',
      lockedHeight: '1',
      closedHeight: '2',
      height: node.latestHeight().toString(),
    });
    assertCode(
      await callHttp(url, 'shardpay_getEscrow', { escrowId: bytesToHex(id('none')) }),
      'ESCROW_NOT_FOUND',
    );
    assertCode(await callHttp(url, 'shardpay_getEscrow', { escrowId: 'zz' }), 'INVALID_PARAMS', 'escrowId');
    assertCode(await callHttp(url, 'shardpay_getEscrow', {}), 'INVALID_PARAMS', 'escrowId');
  });

  it('reads a time lock', async () => {
    const timelockId = id('timelock');
    node.setRecord(
      timelockKey(timelockId),
      encodeTimelockRecord({
        from: local.address,
        to: remote.address,
        amount: 3_000_000n,
        unlockHeight: 50n,
        status: 'locked',
        createdHeight: 2n,
      }),
    );
    const lock = resultOf(
      await callHttp(url, 'shardpay_getTimelock', { timelockId: bytesToHex(timelockId) }),
    );
    assert.equal(lock.from, encodeAddress(local.address, prefix));
    assert.equal(lock.to, encodeAddress(remote.address, prefix));
    assert.equal(lock.amount, '3.000000');
    assert.equal(lock.unlockHeight, '50');
    assert.equal(lock.status, 'locked');
    assertCode(
      await callHttp(url, 'shardpay_getTimelock', { timelockId: bytesToHex(id('nothing')) }),
      'TIMELOCK_NOT_FOUND',
    );
  });

  it('reads a multisig account of this shard, and sends other shards’ addresses away', async () => {
    const owners = [genesis.faucets[0]!.publicKey, genesis.faucets[1]!.publicKey].sort((a, b) =>
      bytesToHex(a) < bytesToHex(b) ? -1 : 1,
    );
    node.setRecord(multisigKey(local.address), encodeMultisigRecord({ owners, threshold: 2, nonce: 4n }));
    const account = resultOf(
      await callHttp(url, 'shardpay_getMultisig', { address: encodeAddress(local.address, prefix) }),
    );
    assert.deepEqual(
      account.owners,
      owners.map((owner) => bytesToHex(owner)),
    );
    assert.equal(account.threshold, 2);
    assert.equal(account.nonce, '4');
    assertCode(
      await callHttp(url, 'shardpay_getMultisig', { address: encodeAddress(remote.address, prefix) }),
      'WRONG_SHARD',
    );
    assertCode(
      await callHttp(url, 'shardpay_getMultisig', { address: 'spd1nope' }),
      'INVALID_PARAMS',
      'address',
    );
  });

  it('reports a missing multisig account', async () => {
    const fresh = genesis.faucets[0]!.address.slice();
    fresh[19] = fresh[19]! ^ 1;
    // Stays on shard 0: the shard is the address's first 12 bits.
    assertCode(
      await callHttp(url, 'shardpay_getMultisig', { address: encodeAddress(fresh, prefix) }),
      'MULTISIG_NOT_FOUND',
    );
  });

  it('reads the shard controls and frozen accounts', async () => {
    assert.deepEqual(resultOf(await callHttp(url, 'shardpay_getShardControl', {})), {
      shard: 0,
      paused: false,
      controlNonce: '0',
      height: node.latestHeight().toString(),
    });
    node.setShardControl({ paused: true, controlNonce: 3n });
    const control = resultOf(await callHttp(url, 'shardpay_getShardControl'));
    assert.equal(control.paused, true);
    assert.equal(control.controlNonce, '3');
    assertCode(await callHttp(url, 'shardpay_getShardControl', { shard: 1 }), 'INVALID_PARAMS', 'shard');

    const address = encodeAddress(local.address, prefix);
    assert.equal(resultOf(await callHttp(url, 'shardpay_isFrozen', { address })).frozen, false);
    node.setFrozen(local.address, true);
    assert.equal(resultOf(await callHttp(url, 'shardpay_isFrozen', { address })).frozen, true);
    assertCode(
      await callHttp(url, 'shardpay_isFrozen', { address: encodeAddress(remote.address, prefix) }),
      'WRONG_SHARD',
    );
  });
});
