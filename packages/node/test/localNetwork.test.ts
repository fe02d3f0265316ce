import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  addressFromPublicKey,
  bytesToHex,
  generatePrivateKey,
  publicKeyFromPrivateKey,
} from '@shardpay/crypto';
import { type Address, shardOfAddress, signTransaction, type TransactionBody } from '@shardpay/protocol';
import { createValidatorNode } from '../src/createValidatorNode.ts';
import type { ValidatorNode } from '../src/ValidatorNode.ts';
import { createLocalNetwork, type LocalNetwork } from './helpers/localNetwork.ts';
import { waitFor } from './helpers/waitFor.ts';

/** Two shards of four validators in one process, over real libp2p on loopback and LMDB. */
describe('a 2 × 4 network in one process', { timeout: 240_000 }, () => {
  let net: LocalNetwork;
  const nodes: ValidatorNode[][] = [[], []];

  before(async () => {
    net = await createLocalNetwork(2, 4);
    for (const shardConfigs of net.configs) {
      for (const config of shardConfigs) nodes[config.shard]!.push(await createValidatorNode(config));
    }
    await Promise.all(nodes.flat().map((node) => node.start()));
  });
  after(async () => {
    await Promise.all(nodes.flat().map((node) => node.stop()));
    rmSync(net.dir, { recursive: true, force: true });
  });

  function addressOn(shard: number): Address {
    for (;;) {
      const address = addressFromPublicKey(publicKeyFromPrivateKey(generatePrivateKey()));
      if (shardOfAddress(net.genesis.config, address) === shard) return address;
    }
  }

  it('makes transfers final within and across shards, credited exactly once, with every stage visible', async () => {
    const faucet = net.genesis.faucets[0]!;
    const local = addressOn(0);
    const remote = addressOn(1);
    const body = (nonce: bigint, to: Address, amount: bigint): TransactionBody => ({
      chainId: net.genesis.config.chainId,
      shard: 0,
      nonce,
      fee: 0n,
      expiryHeight: 10_000n,
      publicKey: faucet.publicKey,
      operation: { type: 'transfer', to, amount, memo: '' },
    });
    const txs = [
      signTransaction(body(0n, local, 7_000_000n), faucet.privateKey),
      signTransaction(body(1n, remote, 3_250_000n), faucet.privateKey),
      signTransaction(body(2n, remote, 1_000_000n), faucet.privateKey),
    ];
    const ids: Uint8Array[] = [];
    for (const tx of txs) ids.push((await nodes[0]![1]!.submitTransaction(tx)).txId);

    await waitFor('both transfers to the remote account credited', 60_000, async () => {
      const statuses = await Promise.all(ids.slice(1).map((id) => nodes[0]![2]!.getTransactionStatus(id)));
      return statuses.every((status) => status.status === 'credited');
    });
    const status = await nodes[0]![3]!.getTransactionStatus(ids[1]!);
    assert.deepEqual(
      status.stages.map((stage) => [stage.stage, stage.shard]),
      [
        ['final', 0],
        ['credited', 1],
      ],
    );
    assert.equal((await nodes[0]![0]!.getTransactionStatus(ids[0]!)).status, 'final');

    // Every validator of a shard agrees on balances and on the state root at a common height.
    await waitFor('shard 1 validators at one height', 30_000, () => {
      const heights = nodes[1]!.map((node) => node.latestHeight());
      return heights.every((h) => h === heights[0]);
    });
    for (const shardNodes of nodes) {
      const common = shardNodes.map((node) => node.latestHeight()).reduce((a, b) => (a < b ? a : b));
      assert.ok(common >= 1n);
      for (let height = 1n; height <= common; height++) {
        const roots = shardNodes.map((node) => bytesToHex(node.getHeader(height)!.stateRoot));
        assert.equal(new Set(roots).size, 1, `state roots differ at height ${height}`);
      }
    }
    for (const node of nodes[1]!) assert.equal(node.getAccount(remote).balance, 4_250_000n);
    await waitFor('shard 0 caught up everywhere', 30_000, () =>
      nodes[0]!.every((node) => node.getAccount(local).balance === 7_000_000n),
    );
    // A replay of a final transaction is refused, on every validator of its shard.
    for (const node of nodes[0]!)
      await assert.rejects(node.submitTransaction(txs[0]!), { code: 'TX_ALREADY_FINAL' });

    // Supply is conserved: the faucets' genesis money is all still there, split across shards.
    const faucetTotal = 1_000_000_000_000n * 2n;
    const sum =
      nodes[0]![0]!.getAccount(net.genesis.faucets[0]!.address).balance +
      nodes[1]![0]!.getAccount(net.genesis.faucets[1]!.address).balance +
      nodes[0]![0]!.getAccount(local).balance +
      nodes[1]![0]!.getAccount(remote).balance;
    assert.equal(sum, faucetTotal);
  });

  it('refuses bad submissions with codes', async () => {
    const faucet = net.genesis.faucets[1]!;
    const tx = signTransaction(
      {
        chainId: net.genesis.config.chainId,
        shard: 1,
        nonce: 0n,
        fee: 0n,
        expiryHeight: 10_000n,
        publicKey: faucet.publicKey,
        operation: { type: 'transfer', to: addressOn(0), amount: 1n, memo: '' },
      },
      faucet.privateKey,
    );
    await assert.rejects(nodes[0]![0]!.submitTransaction(tx), { code: 'WRONG_SHARD' });
    await assert.rejects(nodes[1]![0]!.submitTransaction({ ...tx, chainId: 'other' }), {
      code: 'WRONG_CHAIN',
    });
    const forged = { ...tx, signature: tx.signature.slice() };
    forged.signature[10]! ^= 1;
    await assert.rejects(nodes[1]![0]!.submitTransaction(forged), { code: 'BAD_SIGNATURE' });
    await assert.rejects(nodes[1]![0]!.submitTransaction({ ...tx, nonce: 500n }), { code: 'BAD_SIGNATURE' });
    const tooMuch = signTransaction(
      { ...tx, operation: { type: 'transfer', to: addressOn(1), amount: 10n ** 15n, memo: '' } },
      faucet.privateKey,
    );
    await assert.rejects(nodes[1]![0]!.submitTransaction(tooMuch), { code: 'INSUFFICIENT_FUNDS' });
  });
});
