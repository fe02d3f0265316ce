/**
 * Issue 8's on-chain "done when", on a real network: two shards of one validator each, in this process,
 * driven only through the SDK and the nodes' JSON-RPC. Escrow released by the buyer, released by the
 * oracle, refunded after the deadline and split by the arbiter after a dispute — each with the buyer on
 * shard 0 and the merchant on shard 1; a 2-of-3 multisig that pays only with two signatures; a time lock
 * that cannot be claimed early and can be cancelled; a frozen account that can neither send nor
 * receive; and a pause that stops every transfer until unpaused.
 *
 * A refusal the ledger would make is answered at submission with its code (the node tries the
 * transaction on its committed state), so a refused transaction never waits for a block.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { bytesToHex, encodeAddress, isValidPrivateKey, sha256, utf8ToBytes } from '@shardpay/crypto';
import { createNodeRpcServer, createValidatorNode, type RpcServer, type ValidatorNode } from '@shardpay/node';
import { multisigAddress, type NetworkConfig, parseAmount, type Transaction } from '@shardpay/protocol';
import {
  type BuildCommonParameters,
  buildEscrowDispute,
  buildEscrowLock,
  buildEscrowRefund,
  buildEscrowRelease,
  buildEscrowSettle,
  buildIssuerControl,
  buildMultisigCreate,
  buildMultisigExecute,
  buildTimelockCancel,
  buildTimelockClaim,
  buildTimelockCreate,
  buildTransfer,
  createAccountFromPrivateKey,
  createNodeClient,
  findMultisigSalt,
  type NodeClient,
  signEscrowAction,
  signIssuerControl,
  signMultisig,
  signTimelockClaim,
  type WalletAccount,
} from '@shardpay/sdk';
import { createLocalNetwork, type LocalNetwork } from '../../packages/node/test/helpers/localNetwork.ts';
import { waitFor } from '../../packages/node/test/helpers/waitFor.ts';

const usd = (text: string) => parseAmount(text);

/** Keys come from a seed (SHARDPAY_TEST_SEED), so a failing run can be replayed with the same accounts. */
const seed = process.env.SHARDPAY_TEST_SEED ?? '8';
let keyCounter = 0;
function generatePrivateKey(): Uint8Array {
  for (;;) {
    const key = sha256(utf8ToBytes(`commerce-chain/${seed}/${keyCounter++}`));
    if (isValidPrivateKey(key)) return key;
  }
}

describe('commerce operations on a real 2 × 1 network', { timeout: 240_000 }, () => {
  let net: LocalNetwork;
  const nodes: ValidatorNode[] = [];
  const servers: RpcServer[] = [];
  let client: NodeClient;
  let network: NetworkConfig;
  const stopWaits = new AbortController();
  let faucets: WalletAccount[] = [];

  /** A fresh private key whose account lives on `shard`. */
  async function keyOn(shard: number): Promise<Uint8Array> {
    for (;;) {
      const key = generatePrivateKey();
      if (createAccountFromPrivateKey(key, network).shard === shard) return key;
    }
  }

  /** A fresh account living on `shard`, funded by that shard's faucet with `amount` (if any). */
  async function accountOn(shard: number, amount?: string): Promise<WalletAccount> {
    const account = createAccountFromPrivateKey(await keyOn(shard), network);
    if (amount !== undefined) {
      await submit(faucets[shard]!, (common) => buildTransfer({ ...common, to: account.address, amount }));
    }
    return account;
  }

  /** Builds with `from`'s pending nonce, submits, and waits for `wait` (final by default). */
  async function submit(
    from: WalletAccount,
    build: (common: BuildCommonParameters) => Transaction,
    wait: 'final' | 'credited' = 'final',
  ): Promise<string> {
    const account = await client.getAccount(from.address);
    const tx = build({ from, nonce: account.pendingNonce, expiryHeight: account.height + 600n });
    const { txId } = await client.submitTransaction(tx);
    const status = await client.waitForStatus(txId, wait, {
      shard: tx.shard,
      timeoutMs: 60_000,
      signal: stopWaits.signal,
    });
    assert.equal(status.status, wait, `transaction ${txId} reached ${status.status}, not ${wait}`);
    return txId;
  }

  async function balance(account: WalletAccount | string): Promise<bigint> {
    return (await client.getAccount(typeof account === 'string' ? account : account.address)).balance;
  }

  /** Waits until `account`'s balance is `expected` (a credit through a receipt lands a block later). */
  async function balanceBecomes(account: WalletAccount | string, expected: bigint): Promise<void> {
    await waitFor(`balance ${expected}`, 60_000, async () => (await balance(account)) === expected);
  }

  before(async () => {
    net = await createLocalNetwork(2, 1, { fast: true });
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
    client = createNodeClient({ urls, requestTimeoutMs: 5_000 });
    network = await client.network();
    faucets = net.genesis.faucets.map((key) => createAccountFromPrivateKey(key.privateKey, network));
  });

  after(async () => {
    stopWaits.abort();
    await Promise.all(servers.map((server) => server.stop()));
    await Promise.all(nodes.map((node) => node.stop()));
    if (net) rmSync(net.dir, { recursive: true, force: true });
  });

  /** A buyer on shard 0 locks `amount` for a merchant on shard 1; returns the parties and the escrow id. */
  async function lockEscrow(options: {
    amount: string;
    deadlineMs?: bigint;
    arbiter?: string;
    oracle?: string;
  }) {
    const buyer = await accountOn(0, '100');
    const merchantKey = await keyOn(1);
    const merchant = createAccountFromPrivateKey(merchantKey, network);
    const escrowId = await submit(buyer, (common) =>
      buildEscrowLock({
        ...common,
        merchant: merchant.address,
        amount: options.amount,
        orderId: `order-${bytesToHex(buyer.publicKey).slice(0, 8)}`,
        deadlineMs: options.deadlineMs ?? BigInt(Date.now() + 3_600_000),
        arbiter: options.arbiter ?? null,
        oracle: options.oracle ?? null,
      }),
    );
    assert.equal(await balance(buyer), usd('100') - usd(options.amount));
    assert.equal((await client.getEscrow(escrowId)).status, 'open');
    return { buyer, merchant, merchantKey, escrowId };
  }

  it('an escrow released by the buyer pays the merchant on another shard', async () => {
    const { buyer, merchant, escrowId } = await lockEscrow({ amount: '40' });
    await submit(buyer, (common) => buildEscrowRelease({ ...common, escrowId }), 'credited');
    await balanceBecomes(merchant, usd('40'));
    assert.equal((await client.getEscrow(escrowId)).status, 'released');
    // Released once: a second release is refused, nothing moves twice.
    await assert.rejects(
      submit(buyer, (common) => buildEscrowRelease({ ...common, escrowId })),
      { code: 'ESCROW_STATE_INVALID' },
    );
    assert.equal(await balance(merchant), usd('40'));
  });

  it('an escrow is released by the oracle’s signed delivery attestation, not by a stranger', async () => {
    const oracleKey = generatePrivateKey();
    const oracle = createAccountFromPrivateKey(oracleKey, network);
    const { merchant, escrowId } = await lockEscrow({ amount: '25', oracle: oracle.address });
    // The merchant may not release the buyer's coins to itself.
    const merchantSays = signEscrowAction(
      { chainId: network.chainId, escrowId, action: 'release' },
      generatePrivateKey(),
    );
    await assert.rejects(
      submit(faucets[0]!, (common) =>
        buildEscrowRelease({ ...common, escrowId, authorization: merchantSays }),
      ),
      { code: 'ESCROW_NOT_AUTHORIZED' },
    );
    // The attestation travels in a transaction of any account of the buyer's shard (here its faucet).
    const attestation = signEscrowAction(
      { chainId: network.chainId, escrowId, action: 'release' },
      oracleKey,
    );
    await submit(
      faucets[0]!,
      (common) => buildEscrowRelease({ ...common, escrowId, authorization: attestation }),
      'credited',
    );
    await balanceBecomes(merchant, usd('25'));
    assert.equal((await client.getEscrow(escrowId)).status, 'released');
  });

  it('an escrow goes back to the buyer after its deadline, not before', async () => {
    const deadlineMs = BigInt(Date.now() + 4_000);
    const { buyer, merchant, escrowId } = await lockEscrow({ amount: '30', deadlineMs });
    await assert.rejects(
      submit(buyer, (common) => buildEscrowRefund({ ...common, escrowId })),
      { code: 'ESCROW_DEADLINE_NOT_REACHED' },
    );
    await waitFor(
      'a block after the deadline',
      30_000,
      async () => ((await client.getHeader(0))?.timestampMs ?? 0n) > deadlineMs,
    );
    await submit(buyer, (common) => buildEscrowRefund({ ...common, escrowId }));
    assert.equal(await balance(buyer), usd('100'));
    assert.equal(await balance(merchant), 0n);
    assert.equal((await client.getEscrow(escrowId)).status, 'refunded');
  });

  it('after a dispute only the arbiter settles, with a split across shards', async () => {
    const arbiterKey = generatePrivateKey();
    const arbiter = createAccountFromPrivateKey(arbiterKey, network);
    const { buyer, merchant, merchantKey, escrowId } = await lockEscrow({
      amount: '50',
      arbiter: arbiter.address,
    });
    // The merchant (on shard 1) disputes through its authorization, carried by the buyer's shard's faucet.
    const dispute = signEscrowAction({ chainId: network.chainId, escrowId, action: 'dispute' }, merchantKey);
    await submit(faucets[0]!, (common) =>
      buildEscrowDispute({ ...common, escrowId, authorization: dispute }),
    );
    assert.equal((await client.getEscrow(escrowId)).status, 'disputed');
    // Disputed: the buyer can no longer release it.
    await assert.rejects(
      submit(buyer, (common) => buildEscrowRelease({ ...common, escrowId })),
      { code: 'ESCROW_STATE_INVALID' },
    );
    const settle = signEscrowAction(
      { chainId: network.chainId, escrowId, action: 'settle', buyerAmount: '20' },
      arbiterKey,
    );
    await submit(
      faucets[0]!,
      (common) => buildEscrowSettle({ ...common, escrowId, buyerAmount: '20', authorization: settle }),
      'credited',
    );
    assert.equal(await balance(buyer), usd('70'));
    await balanceBecomes(merchant, usd('30'));
    assert.equal((await client.getEscrow(escrowId)).status, 'settled');
  });

  it('a 2-of-3 multisig pays only with two owners’ signatures', async () => {
    const ownerKeys = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey()];
    const owners = ownerKeys.map((key) => createAccountFromPrivateKey(key, network).publicKey);
    const creator = faucets[1]!;
    const salt = findMultisigSalt(network, creator.addressBytes, 1);
    await submit(creator, (common) => buildMultisigCreate({ ...common, owners, threshold: 2, salt }));
    const account = encodeAddress(
      multisigAddress(network.chainId, creator.addressBytes, salt),
      network.addressPrefix,
    );
    await submit(creator, (common) => buildTransfer({ ...common, to: account, amount: '60' }));
    const state = await client.getMultisig(account);
    assert.equal(state.threshold, 2);
    const receiver = await accountOn(0);
    const operation = {
      type: 'transfer' as const,
      to: receiver.addressBytes,
      amount: usd('15'),
      memo: 'from the multisig',
    };
    const indexOf = (key: Uint8Array) =>
      state.owners.indexOf(bytesToHex(createAccountFromPrivateKey(key, network).publicKey));
    const sign = (key: Uint8Array) =>
      signMultisig(
        { chainId: network.chainId, account, accountNonce: state.nonce, operation },
        key,
        indexOf(key),
      );
    await assert.rejects(
      submit(creator, (common) =>
        buildMultisigExecute({
          ...common,
          account,
          accountNonce: state.nonce,
          operation,
          signatures: [sign(ownerKeys[0]!)],
        }),
      ),
      { code: 'MULTISIG_SIGNATURES_INSUFFICIENT' },
    );
    assert.equal(await balance(account), usd('60'));
    await submit(
      creator,
      (common) =>
        buildMultisigExecute({
          ...common,
          account,
          accountNonce: state.nonce,
          operation,
          signatures: [sign(ownerKeys[0]!), sign(ownerKeys[2]!)],
        }),
      'credited',
    );
    await balanceBecomes(receiver, usd('15'));
    assert.equal(await balance(account), usd('45'));
  });

  it('a time lock cannot be claimed early, can be cancelled before, and is claimed after its height', async () => {
    const sender = await accountOn(0, '50');
    // The receiver lives on the other shard, so the claim pays it through a receipt.
    const receiverKey = await keyOn(1);
    const receiver = createAccountFromPrivateKey(receiverKey, network);
    const height = (await client.getAccount(sender.address)).height;
    const farLock = await submit(sender, (common) =>
      buildTimelockCreate({ ...common, to: receiver.address, amount: '10', unlockHeight: height + 10_000n }),
    );
    const claimFar = signTimelockClaim({ chainId: network.chainId, timelockId: farLock }, receiverKey);
    await assert.rejects(
      submit(faucets[0]!, (common) =>
        buildTimelockClaim({ ...common, timelockId: farLock, authorization: claimFar }),
      ),
      { code: 'TIMELOCK_LOCKED' },
    );
    await submit(sender, (common) => buildTimelockCancel({ ...common, timelockId: farLock }));
    assert.equal(await balance(sender), usd('50'));

    const unlockHeight = (await client.getAccount(sender.address)).height + 5n;
    const nearLock = await submit(sender, (common) =>
      buildTimelockCreate({ ...common, to: receiver.address, amount: '12', unlockHeight }),
    );
    await waitFor(
      `shard 0 at height ${unlockHeight}`,
      30_000,
      async () => (await client.getAccount(sender.address)).height + 1n >= unlockHeight,
    );
    // Too late to cancel now; the receiver claims through an authorization carried by shard 0's faucet.
    const claim = signTimelockClaim({ chainId: network.chainId, timelockId: nearLock }, receiverKey);
    await submit(
      faucets[0]!,
      (common) => buildTimelockClaim({ ...common, timelockId: nearLock, authorization: claim }),
      'credited',
    );
    await balanceBecomes(receiver, usd('12'));
    assert.equal(await balance(sender), usd('38'));
  });

  /** Signs and submits an issuer control on `shard` with two of the devnet's three control keys. */
  async function control(
    shard: number,
    action: 'pause' | 'unpause' | 'freeze' | 'unfreeze',
    target?: string,
  ) {
    const { controlNonce } = await client.getShardControl(shard);
    const keys = net.genesis.issuerControl;
    const signatures = [0, 2].map((ownerIndex) =>
      signIssuerControl(
        { chainId: network.chainId, shard, controlNonce, action, target: target ?? null },
        keys[ownerIndex]!.privateKey,
        ownerIndex,
      ),
    );
    await submit(faucets[shard]!, (common) =>
      buildIssuerControl({ ...common, action, target: target ?? null, controlNonce, signatures }),
    );
  }

  it('a frozen account can neither send nor receive until unfrozen', async () => {
    const alice = await accountOn(0, '20');
    const bob = await accountOn(1, '20');
    await control(0, 'freeze', alice.address);
    assert.equal(await client.isFrozen(alice.address), true);
    await assert.rejects(
      submit(alice, (common) => buildTransfer({ ...common, to: bob.address, amount: '1' })),
      { code: 'ACCOUNT_FROZEN' },
    );
    await assert.rejects(
      submit(faucets[0]!, (common) => buildTransfer({ ...common, to: alice.address, amount: '1' })),
      { code: 'ACCOUNT_FROZEN' },
    );
    // From another shard the credit is refused on alice's shard and refunded to bob.
    const fromBob = await client.submitTransaction(
      buildTransfer({ from: bob, ...(await nextCommon(bob)), to: alice.address, amount: '5' }),
    );
    const status = await client.waitForStatus(fromBob.txId, 'credited', {
      timeoutMs: 60_000,
      signal: stopWaits.signal,
    });
    assert.equal(status.status, 'refunded');
    await balanceBecomes(bob, usd('20'));
    assert.equal(await balance(alice), usd('20'));
    await control(0, 'unfreeze', alice.address);
    await submit(alice, (common) => buildTransfer({ ...common, to: bob.address, amount: '1' }), 'credited');
    await balanceBecomes(bob, usd('21'));
  });

  it('a pause stops every transfer on every shard until unpaused', async () => {
    const alice = await accountOn(0, '10');
    const bob = await accountOn(1, '10');
    await control(0, 'pause');
    await control(1, 'pause');
    for (const [from, to] of [
      [alice, bob],
      [bob, alice],
      [faucets[0]!, alice],
    ] as const) {
      await assert.rejects(
        submit(from, (common) => buildTransfer({ ...common, to: to.address, amount: '1' })),
        { code: 'TOKEN_PAUSED' },
      );
    }
    await control(0, 'unpause');
    await control(1, 'unpause');
    await submit(alice, (common) => buildTransfer({ ...common, to: bob.address, amount: '1' }), 'credited');
    await balanceBecomes(bob, usd('11'));
  });

  async function nextCommon(from: WalletAccount) {
    const account = await client.getAccount(from.address);
    return { nonce: account.pendingNonce, expiryHeight: account.height + 600n };
  }
});
