import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bytesToHex, hexToBytes } from '@shardpay/crypto';
import {
  decodeTransaction,
  escrowActionSigningHash,
  isAuthorizationValid,
  transactionId,
} from '@shardpay/protocol';
import { createTestOracle, type TestOracle } from './helpers/testOracle.ts';

interface Shipment {
  id: string;
  status: string;
  tracking_id: string;
  escrow_id: string;
  escrow_shard: number;
  deliver_at: string;
  release_tx_id: string | null;
  release_height: string | null;
  refusal: { code: string; message: string } | null;
}

describe('shipment lifecycle (fake chain)', () => {
  let oracle: TestOracle;
  before(async () => {
    oracle = await createTestOracle();
  });
  after(async () => {
    await oracle.close();
  });

  async function createShipment(payload: Record<string, unknown>): Promise<Shipment> {
    const response = await oracle.post('/v1/shipments', payload);
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as Shipment;
  }

  async function shipment(id: string): Promise<Shipment> {
    return (await oracle.get(`/v1/shipments/${id}`)).json() as Shipment;
  }

  it('delivers after its time on the injected clock, attests, and is released once final', async () => {
    const escrowId = oracle.chain.addEscrow({ shard: 1, oracle: oracle.identity.addressBytes });
    const created = await createShipment({ escrow_id: escrowId, deliver_after_seconds: 60 });
    assert.equal(created.status, 'in_transit');
    assert.match(created.id, /^shp_/);
    assert.match(created.tracking_id, /^SP[0-9A-F]{16}$/);
    assert.equal(created.escrow_shard, 1);
    assert.equal(created.deliver_at, new Date(oracle.now().getTime() + 60_000).toISOString());

    await oracle.worker.runOnce();
    assert.equal((await shipment(created.id)).status, 'in_transit', 'not due yet');

    oracle.advance(60_000);
    await oracle.worker.runOnce();
    const attested = await shipment(created.id);
    assert.equal(attested.status, 'attested');
    assert.equal(oracle.chain.submissions.length, 1);
    const tx = oracle.chain.submissions[0]!;
    assert.equal(tx.shard, 1, 'submitted on the escrow shard');
    assert.equal(bytesToHex(transactionId(tx)), attested.release_tx_id);
    assert.equal(tx.operation.type, 'escrow_release');
    // The attestation is the oracle key's 'release' signature over this escrow.
    const auth = tx.operation.type === 'escrow_release' ? tx.operation.authorization : null;
    assert.ok(auth !== null);
    const hash = escrowActionSigningHash(oracle.network.chainId, hexToBytes(escrowId), 'release', 0n);
    assert.ok(isAuthorizationValid(auth, hash));

    await oracle.worker.runOnce();
    assert.equal((await shipment(created.id)).status, 'attested', 'still pending');
    oracle.chain.commitBlock(1);
    await oracle.worker.runOnce();
    const released = await shipment(created.id);
    assert.equal(released.status, 'released');
    assert.equal(released.release_height, oracle.chain.height(1).toString());
    assert.equal(oracle.chain.escrows.get(escrowId)!.status, 'released');
  });

  it('delivers on command, and a second deliver is harmless', async () => {
    const escrowId = oracle.chain.addEscrow({ shard: 0, oracle: oracle.identity.addressBytes });
    const created = await createShipment({
      escrow_id: escrowId,
      deliver_after_seconds: 3600,
      carrier: 'ups-sandbox',
    });
    const delivered = await oracle.post(`/v1/shipments/${created.id}/deliver`);
    assert.equal(delivered.statusCode, 200, delivered.body);
    assert.equal((delivered.json() as Shipment).status, 'delivered');
    const again = await oracle.post(`/v1/shipments/${created.id}/deliver`);
    assert.equal((again.json() as Shipment).status, 'delivered');
    await oracle.worker.runOnce();
    oracle.chain.commitBlock(0);
    await oracle.worker.runOnce();
    assert.equal((await shipment(created.id)).status, 'released');
  });

  it('a second request for the same escrow returns the first shipment', async () => {
    const escrowId = oracle.chain.addEscrow({ shard: 0, oracle: oracle.identity.addressBytes });
    const first = await createShipment({ escrow_id: escrowId });
    const second = await createShipment({ escrow_id: escrowId.toUpperCase() });
    assert.equal(second.id, first.id);
  });

  it('refuses the attestation with the chain code when the escrow was refunded meanwhile', async () => {
    const escrowId = oracle.chain.addEscrow({ shard: 1, oracle: oracle.identity.addressBytes });
    const created = await createShipment({ escrow_id: escrowId });
    oracle.chain.escrows.get(escrowId)!.status = 'refunded';
    await oracle.post(`/v1/shipments/${created.id}/deliver`);
    const before = oracle.chain.submissions.length;
    await oracle.worker.runOnce();
    const refused = await shipment(created.id);
    assert.equal(refused.status, 'attestation_refused');
    assert.equal(refused.refusal?.code, 'ESCROW_STATE_INVALID');
    assert.equal(oracle.chain.submissions.length, before, 'nothing submitted');
  });

  it('refuses with the chain code when the escrow is disputed after the release was submitted', async () => {
    const escrowId = oracle.chain.addEscrow({ shard: 1, oracle: oracle.identity.addressBytes });
    const created = await createShipment({ escrow_id: escrowId });
    await oracle.post(`/v1/shipments/${created.id}/deliver`);
    await oracle.worker.runOnce();
    assert.equal((await shipment(created.id)).status, 'attested');
    // The dispute lands first; the release is refused at execution and the mempool forgets it.
    oracle.chain.escrows.get(escrowId)!.status = 'disputed';
    oracle.chain.commitBlock(1);
    await oracle.worker.runOnce();
    const refused = await shipment(created.id);
    assert.equal(refused.status, 'attestation_refused');
    assert.equal(refused.refusal?.code, 'ESCROW_STATE_INVALID');
  });

  it('resumes an attested shipment after a restart by resubmitting the stored bytes, never new ones', async () => {
    const escrowId = oracle.chain.addEscrow({ shard: 0, oracle: oracle.identity.addressBytes });
    const created = await createShipment({ escrow_id: escrowId });
    await oracle.post(`/v1/shipments/${created.id}/deliver`);
    await oracle.worker.runOnce();
    const attested = await shipment(created.id);
    assert.equal(attested.status, 'attested');

    oracle = await oracle.restart();
    const before = oracle.chain.submissions.length;
    // Pending in the mempool: nothing to do but wait.
    await oracle.worker.runOnce();
    assert.equal(oracle.chain.submissions.length, before);
    // A node that does not see it pending (another validator): the stored bytes are resubmitted,
    // and "already known" counts as success.
    oracle.chain.hideMempoolStatus = true;
    await oracle.worker.runOnce();
    oracle.chain.hideMempoolStatus = false;
    const resubmitted = oracle.chain.submissions.slice(before);
    assert.equal(resubmitted.length, 1);
    assert.equal(bytesToHex(transactionId(resubmitted[0]!)), attested.release_tx_id);
    const still = (await oracle.get(`/v1/shipments/${created.id}`)).json() as Shipment & {
      last_error: unknown;
    };
    assert.equal(still.status, 'attested');
    assert.equal(still.last_error, null, 'tx_already_known is not an error');

    // A node restart lost it: the stored bytes are submitted again, same id.
    oracle.chain.dropMempool();
    oracle = await oracle.restart();
    await oracle.worker.runOnce();
    const ids = new Set(oracle.chain.submissions.slice(before).map((tx) => bytesToHex(transactionId(tx))));
    assert.deepEqual([...ids], [attested.release_tx_id]);
    oracle.chain.commitBlock(0);
    await oracle.worker.runOnce();
    assert.equal((await shipment(created.id)).status, 'released');
  });

  it('keeps the stored release while the chain is unreachable, and signs a new one once it expired', async () => {
    const escrowId = oracle.chain.addEscrow({ shard: 1, oracle: oracle.identity.addressBytes });
    const created = await createShipment({ escrow_id: escrowId });
    await oracle.post(`/v1/shipments/${created.id}/deliver`);
    await oracle.worker.runOnce();
    const first = await shipment(created.id);
    oracle.chain.dropMempool();
    oracle.chain.unreachable = true;
    await oracle.worker.runOnce();
    const waiting = (await oracle.get(`/v1/shipments/${created.id}`)).json() as Shipment & {
      last_error: string;
    };
    assert.equal(waiting.status, 'attested');
    assert.match(waiting.last_error, /NODE_UNREACHABLE/);
    oracle.chain.unreachable = false;
    oracle.chain.advanceHeight(1, 100n);
    await oracle.worker.runOnce(); // expired: back to delivered
    await oracle.worker.runOnce(); // signs and submits a new release
    const second = await shipment(created.id);
    assert.equal(second.status, 'attested');
    assert.notEqual(second.release_tx_id, first.release_tx_id);
    const stored = await oracle.database.query<{ release_tx: string }>(
      'SELECT release_tx FROM shipments WHERE id = $1',
      [created.id],
    );
    assert.equal(
      bytesToHex(transactionId(decodeTransaction(hexToBytes(stored.rows[0]!.release_tx)))),
      second.release_tx_id,
    );
    oracle.chain.commitBlock(1);
    await oracle.worker.runOnce();
    assert.equal((await shipment(created.id)).status, 'released');
  });

  it('lists shipments newest first, filtered by status', async () => {
    const all = await oracle.get('/v1/shipments?limit=100');
    assert.equal(all.statusCode, 200);
    const list = all.json() as { object: string; data: Shipment[]; has_more: boolean };
    assert.equal(list.object, 'list');
    assert.ok(list.data.length >= 5);
    const released = (await oracle.get('/v1/shipments?status=released')).json() as { data: Shipment[] };
    assert.ok(released.data.length > 0 && released.data.every((entry) => entry.status === 'released'));
    const page = (await oracle.get('/v1/shipments?limit=1')).json() as {
      data: Shipment[];
      has_more: boolean;
    };
    assert.equal(page.data.length, 1);
    assert.equal(page.has_more, true);
    const next = (await oracle.get(`/v1/shipments?limit=1&starting_after=${page.data[0]!.id}`)).json() as {
      data: Shipment[];
    };
    assert.notEqual(next.data[0]!.id, page.data[0]!.id);
  });
});
