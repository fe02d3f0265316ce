/**
 * The delivery oracle against a real chain: two shards of one validator each in this process. A buyer
 * on shard 0 locks an escrow naming the oracle for a merchant on shard 1; the oracle's shipment is
 * delivered on command, the worker signs the attestation and submits the release from its shard-0
 * fee payer, and the merchant is credited across shards. An escrow refunded before delivery ends
 * `attestation_refused` with the chain's code.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { bytesToHex, generatePrivateKey } from '@shardpay/crypto';
import {
  createLocalNetwork,
  type LocalNetwork,
  type LocalValidators,
  startLocalValidators,
  waitFor,
} from '@shardpay/node/testing';
import { type NetworkConfig, parseAmount, type Transaction } from '@shardpay/protocol';
import {
  type BuildCommonParameters,
  buildEscrowLock,
  buildEscrowRefund,
  buildTransfer,
  createAccountFromPrivateKey,
  createNodeClient,
  type NodeClient,
  signEscrowAction,
  type WalletAccount,
} from '@shardpay/sdk';
import { resolveOracleConfig } from '../src/config.ts';
import { createOracleServer, type OracleServer } from '../src/createOracleServer.ts';
import type { ShipmentObject } from '../src/shipments/shipmentObject.ts';

const apiKey = 'oracle-chain-test-key-0123456789abcdef0123';

/** A shipment, or the error object of a refusal. */
type ShipmentReply = ShipmentObject & { error?: { code: string } };

describe('delivery oracle on a real 2 × 1 network', { timeout: 240_000 }, () => {
  let net: LocalNetwork;
  let validators: LocalValidators;
  let client: NodeClient;
  let network: NetworkConfig;
  let oracle: OracleServer;
  let faucets: WalletAccount[] = [];
  const oracleKey = generatePrivateKey();

  async function keyOn(shard: number): Promise<Uint8Array> {
    for (;;) {
      const key = generatePrivateKey();
      if (createAccountFromPrivateKey(key, network).shard === shard) return key;
    }
  }

  async function submit(
    from: WalletAccount,
    build: (common: BuildCommonParameters) => Transaction,
  ): Promise<string> {
    const account = await client.getAccount(from.address);
    const tx = build({ from, nonce: account.pendingNonce, expiryHeight: account.height + 600n });
    const { txId } = await client.submitTransaction(tx);
    const status = await client.waitForStatus(txId, 'final', { shard: tx.shard, timeoutMs: 60_000 });
    assert.equal(
      status.status === 'final' || status.status === 'credited',
      true,
      `${txId}: ${status.status}`,
    );
    return txId;
  }

  async function request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: ShipmentReply }> {
    const response = await fetch(`${oracle.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as ShipmentReply };
  }

  async function shipmentBecomes(id: string, status: ShipmentObject['status']): Promise<ShipmentObject> {
    let last: ShipmentObject | undefined;
    await waitFor(`shipment ${id} ${status}`, 60_000, async () => {
      last = (await request('GET', `/v1/shipments/${id}`)).json;
      return last.status === status;
    });
    return last!;
  }

  /** A funded buyer on shard 0 locks `amount` for a fresh merchant on shard 1, naming the oracle. */
  async function lockEscrow(amount: string) {
    const buyer = createAccountFromPrivateKey(await keyOn(0), network);
    await submit(faucets[0]!, (common) => buildTransfer({ ...common, to: buyer.address, amount: '100' }));
    const merchantKey = await keyOn(1);
    const merchant = createAccountFromPrivateKey(merchantKey, network);
    const oracleAddress = createAccountFromPrivateKey(oracleKey, network).address;
    const escrowId = await submit(buyer, (common) =>
      buildEscrowLock({
        ...common,
        merchant: merchant.address,
        amount,
        orderId: `order-${bytesToHex(buyer.publicKey).slice(0, 8)}`,
        deadlineMs: BigInt(Date.now() + 3_600_000),
        oracle: oracleAddress,
      }),
    );
    return { buyer, merchant, merchantKey, escrowId };
  }

  before(async () => {
    net = await createLocalNetwork(2, 1, { fast: true });
    validators = await startLocalValidators(net);
    const urls = [validators.urls[0]!, validators.urls[1]!];
    client = createNodeClient({ urls, requestTimeoutMs: 5_000 });
    network = await client.network();
    faucets = net.genesis.faucets.map((key) => createAccountFromPrivateKey(key.privateKey, network));
    oracle = await createOracleServer(
      resolveOracleConfig({
        apiKey,
        oracleKey,
        chainNodes: urls,
        port: 0,
        pollIntervalMs: 100,
        logLevel: 'silent',
      }),
    );
  });

  after(async () => {
    await oracle?.close();
    await validators?.stop();
    if (net) rmSync(net.dir, { recursive: true, force: true });
  });

  it('releases the escrow after a delivery, paying the merchant on the other shard', async () => {
    const { merchant, escrowId } = await lockEscrow('25');
    const created = await request('POST', '/v1/shipments', {
      escrow_id: escrowId,
      deliver_after_seconds: 3600,
    });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    assert.equal(created.json.escrow_shard, 0);
    assert.equal(created.json.status, 'in_transit');
    const delivered = await request('POST', `/v1/shipments/${created.json.id}/deliver`);
    assert.equal(delivered.json.status, 'delivered');
    const released = await shipmentBecomes(created.json.id, 'released');
    assert.ok(released.release_tx_id);
    assert.equal((await client.getEscrow(escrowId)).status, 'released');
    await waitFor(
      'merchant credited',
      60_000,
      async () => (await client.getAccount(merchant.address)).balance === parseAmount('25'),
    );
  });

  it('refuses the attestation with the chain code when the merchant refunded first', async () => {
    const { escrowId, merchantKey } = await lockEscrow('10');
    const created = await request('POST', '/v1/shipments', {
      escrow_id: escrowId,
      deliver_after_seconds: 3600,
    });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    // The merchant refunds: the escrow lives on the buyer's shard, so a shard-0 account carries the
    // merchant's authorization.
    const refund = signEscrowAction({ chainId: network.chainId, escrowId, action: 'refund' }, merchantKey);
    await submit(faucets[0]!, (common) => buildEscrowRefund({ ...common, escrowId, authorization: refund }));
    await request('POST', `/v1/shipments/${created.json.id}/deliver`);
    const refused = await shipmentBecomes(created.json.id, 'attestation_refused');
    assert.equal(refused.refusal?.code, 'ESCROW_STATE_INVALID');
    const unknown = await request('POST', '/v1/shipments', { escrow_id: 'f'.repeat(64) });
    assert.equal(unknown.status, 404, 'an id no shard holds');
    assert.equal(unknown.json.error?.code, 'escrow_not_found');
  });
});
