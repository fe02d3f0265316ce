import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { bytesToHex } from '@shardpay/crypto';
import { createNodeRpcServer, createValidatorNode, type RpcServer, type ValidatorNode } from '@shardpay/node';
import { parseAmount, transactionId } from '@shardpay/protocol';
import {
  buildTransfer,
  createAccountFromPrivateKey,
  createNodeClient,
  createWallet,
  type NodeClient,
  send,
  type WalletAccount,
} from '@shardpay/sdk';
// Test helpers of the node package, by relative path (tests may; src may not).
import {
  createLocalNetwork,
  freePort,
  type LocalNetwork,
} from '../../packages/node/test/helpers/localNetwork.ts';

/** Polls `condition` with backoff until it holds; fails naming `what` after `timeoutMs`. */
async function eventually(what: string, timeoutMs: number, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    if (await condition()) return;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** Two shards of four validators in this process, each serving JSON-RPC on a free port; driven only through the SDK. */
describe('the SDK against a real 2 × 4 network', { timeout: 180_000 }, () => {
  let net: LocalNetwork;
  const nodes: ValidatorNode[] = [];
  const servers: RpcServer[] = [];
  let client: NodeClient;
  let deadUrl: string;
  // Ends every wait still running if a test fails, so no poll outlives the network.
  const stopWaits = new AbortController();
  const signal = stopWaits.signal;

  before(async () => {
    net = await createLocalNetwork(2, 4);
    const urls: string[][] = [[], []];
    for (const config of net.configs.flat()) {
      const node = await createValidatorNode(config);
      nodes.push(node);
      servers.push(createNodeRpcServer(node, { host: '127.0.0.1', port: 0 }));
    }
    await Promise.all(nodes.map((node) => node.start()));
    for (const [i, server] of servers.entries()) {
      await server.start();
      urls[nodes[i]!.shard]!.push(`http://127.0.0.1:${server.port()}`);
    }
    // A node that is down, listed first: every shard-0 call starting there must fail over.
    deadUrl = `http://127.0.0.1:${await freePort()}`;
    urls[0]!.unshift(deadUrl);
    // No network config given: the client loads it from a node.
    client = createNodeClient({ urls, requestTimeoutMs: 5_000 });
  });

  after(async () => {
    stopWaits.abort();
    await Promise.all(servers.map((server) => server.stop()));
    await Promise.all(nodes.map((node) => node.stop()));
    if (net) rmSync(net.dir, { recursive: true, force: true });
  });

  it('sends within and across shards, waits until final and credited, and reads balances', async () => {
    const network = await client.network();
    assert.equal(network.chainId, net.genesis.config.chainId);
    const faucet = createAccountFromPrivateKey(net.genesis.faucets[0]!.privateKey, network);
    const issuer = createAccountFromPrivateKey(net.genesis.issuer.privateKey, network);
    assert.equal(faucet.shard, 0);

    // A fresh wallet with one account on each shard.
    const wallet = createWallet({ network });
    let local: WalletAccount | undefined;
    let remote: WalletAccount | undefined;
    for (let index = 0; local === undefined || remote === undefined; index++) {
      const account = wallet.account(index);
      if (account.shard === 0) local ??= account;
      else remote ??= account;
    }

    // The network's supply: the sum over shards of what each created (genesis, mints) minus burned.
    const totalSupply = async () => {
      let total = 0n;
      for (const shard of [0, 1]) {
        const supply = (await client.call(shard, 'shardpay_getSupply')) as Record<string, unknown>;
        assert.equal(supply.shard, shard);
        total +=
          parseAmount(supply.minted as string, { allowZero: true }) -
          parseAmount(supply.burned as string, { allowZero: true });
      }
      return total;
    };
    const supplyBefore = await totalSupply();

    const faucetSends = (async () => {
      const first = await send(client, {
        from: faucet,
        operation: { type: 'transfer', to: local.address, amount: '7', memo: 'within shard 0' },
        wait: 'final',
        signal,
      });
      // The next nonce comes from the node (pendingNonce) after the first is final.
      const second = await send(client, {
        from: faucet,
        operation: { type: 'transfer', to: remote.address, amount: '3.25' },
        wait: 'credited',
        signal,
      });
      return { first, second };
    })();
    // Meanwhile shard 1's faucet funds the issuer, which then mints to the remote account. (The node's
    // admission check wants amount + fee even for a mint, though the ledger needs only the fee.)
    const minting = (async () => {
      const faucet1 = createAccountFromPrivateKey(net.genesis.faucets[1]!.privateKey, network);
      await send(client, {
        from: faucet1,
        operation: { type: 'transfer', to: issuer.address, amount: '5' },
        wait: 'credited',
        signal,
      });
      return send(client, {
        from: issuer,
        operation: { type: 'mint', to: remote.address, amount: '2', reference: 'ch_e2e_1' },
        wait: 'credited',
        signal,
      });
    })();
    const [{ first, second }, mint] = await Promise.all([faucetSends, minting]);

    assert.equal(first.status?.status, 'final');
    assert.equal(first.status?.targetShard, undefined);
    assert.equal(first.transaction.nonce, 0n);
    assert.equal(first.txId, bytesToHex(transactionId(first.transaction)));
    assert.equal(second.transaction.nonce, 1n);
    assert.equal(second.status?.status, 'credited');
    assert.deepEqual(
      second.status?.stages.map((stage) => [stage.stage, stage.shard]),
      [
        ['final', 0],
        ['credited', 1],
      ],
    );
    assert.equal(mint.status?.status, issuer.shard === remote.shard ? 'final' : 'credited');

    // Balances through the client, from nodes of each account's shard (every node catches up).
    await eventually('balances visible on every node asked', 20_000, async () => {
      const [l, r] = await Promise.all([client.getAccount(local.address), client.getAccount(remote.address)]);
      return l.balance === 7_000_000n && r.balance === 5_250_000n;
    });
    const faucetState = await client.getAccount(faucet.address);
    assert.equal(faucetState.shard, 0);
    assert.equal(faucetState.nonce, 2n);
    assert.equal(faucetState.balance, 1_000_000_000_000n - 10_250_000n);

    // Status is found from the id alone (every shard asked), and the block and receipt are readable.
    const found = await client.getTransactionStatus(second.txId);
    assert.equal(found.status, 'credited');
    const finalStage = found.stages[0]!;
    assert.equal(finalStage.stage, 'final');
    const block = await client.getBlock(0, finalStage.stage === 'final' ? finalStage.height : 0n);
    assert.ok(block?.transactions.some((tx) => bytesToHex(transactionId(tx)) === second.txId));
    const header = await client.getHeader(0, 'latest');
    assert.ok(header !== null && header.height >= block!.header.height);
    const credited = found.stages[1]!;
    assert.equal(credited.stage, 'credited');
    const receipt = await client.getReceipt(0, credited.stage === 'credited' ? credited.receiptId : '');
    assert.equal(receipt?.receipt.amount, 3_250_000n);
    assert.deepEqual(receipt?.receipt.to, remote.addressBytes);
    assert.equal((await client.networkInfo(1)).shard, 1);

    // The remote account pays a merchant on shard 0 (cross-shard), and the local account burns.
    const paid = await send(client, {
      from: remote,
      operation: { type: 'pay', merchant: local.address, amount: '1.25', paymentId: 'inv_e2e_1' },
      wait: 'credited',
      signal,
    });
    assert.equal(paid.status?.status, 'credited');
    const burned = await send(client, {
      from: local,
      operation: { type: 'burn', amount: '0.5', payoutReference: 'po_e2e_1' },
      wait: 'final',
      signal,
    });
    assert.equal(burned.status?.status, 'final');
    await eventually('pay and burn visible', 20_000, async () => {
      const [l, r] = await Promise.all([client.getAccount(local.address), client.getAccount(remote.address)]);
      return l.balance === 7_000_000n + 1_250_000n - 500_000n && r.balance === 5_250_000n - 1_250_000n;
    });
    // Minted 2, burned 0.5; the cross-shard transfers moved money without creating any.
    assert.equal(await totalSupply(), supplyBefore + 2_000_000n - 500_000n);
  });

  it("surfaces the node's refusals with their codes", async () => {
    const network = await client.network();
    const faucet = createAccountFromPrivateKey(net.genesis.faucets[1]!.privateKey, network);
    const broke = createWallet({ network }).account(0);
    const tooMuch = buildTransfer({
      from: broke,
      to: faucet.address,
      amount: '1',
      nonce: 0n,
      expiryHeight: 10_000n,
    });
    await assert.rejects(client.submitTransaction(tooMuch), { code: 'INSUFFICIENT_FUNDS' });
    const farAhead = buildTransfer({
      from: faucet,
      to: broke.address,
      amount: '1',
      nonce: 1000n,
      expiryHeight: 10_000n,
    });
    await assert.rejects(client.submitTransaction(farAhead), { code: 'NONCE_TOO_FAR_AHEAD' });
  });

  it('keeps working when a listed node is down, and reports a shard with only dead nodes', async () => {
    const dead = createNodeClient({ urls: [[deadUrl], [deadUrl]], network: await client.network() });
    await assert.rejects(dead.networkInfo(0), { code: 'NODE_UNREACHABLE' });
    for (let i = 0; i < 3; i++) assert.equal((await client.networkInfo(0)).shard, 0);
  });
});
