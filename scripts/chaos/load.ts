/**
 * The load of a scenario, and the recorder of its history's transactions. Each shard's faucet
 * account sends seeded transfers (amount, recipient, same shard or not; some cross-shard ones as
 * payments that the merchant's shard refunds) to recipients on every shard
 * at a steady total rate, through the SDK's node client (which fails over from a killed or paused
 * validator to the next). A tracker polls every unsettled transfer's status and records its
 * acknowledgement (final, with height and index) and, for a cross-shard one, its credit or refund;
 * a transfer no node knows after 3 s is resubmitted with the same bytes, as a client would.
 */
import { bytesToHex } from '@shardpay/crypto';
import { type Transaction, transactionId } from '@shardpay/protocol';
import { buildPay, buildTransfer, type NodeClient, type WalletAccount } from '@shardpay/sdk';
import type { TxRecord } from './history.ts';

export interface LoadOptions {
  client: NodeClient;
  random: () => number;
  /** One sending account per shard, with its next nonce and an expiry height far ahead. */
  senders: Array<{ account: WalletAccount; nonce: bigint; expiryHeight: bigint }>;
  /** Recipients' addresses, per shard. */
  recipients: string[][];
  /** Transfers a second, over all shards. */
  rate: number;
  /** The share of transfers to another shard (0..1). */
  crossShare: number;
  /** The share of those sent as payments (`pay`) under reused payment ids, which get refunded (0..1). */
  payShare: number;
  /** The scenario's clock origin (Date.now() at its start). */
  t0: number;
}

interface Tracked {
  record: TxRecord;
  tx: Transaction;
  lastSubmit: number;
}

const resubmitAfterMs = 3000;

export function createLoad(options: LoadOptions) {
  const { client, random, senders, recipients } = options;
  const tracked: Tracked[] = [];
  const now = () => Date.now() - options.t0;
  let tracking = true;

  const isSettled = (record: TxRecord) =>
    record.ack !== undefined && (record.fromShard === record.toShard || record.settled !== undefined);

  function submit(entry: Tracked): void {
    entry.lastSubmit = Date.now();
    // Refusals (already known, a stale nonce on a lagging node) and unreachable shards are fine:
    // the tracker reads the status and resubmits.
    client.submitTransaction(entry.tx).catch(() => {});
  }

  function sendOne(): void {
    const fromShard = Math.floor(random() * senders.length);
    const cross = senders.length > 1 && random() < options.crossShare;
    const toShard = cross
      ? (fromShard + 1 + Math.floor(random() * (senders.length - 1))) % senders.length
      : fromShard;
    const to = recipients[toShard]![Math.floor(random() * recipients[toShard]!.length)]!;
    const amount = BigInt(1 + Math.floor(random() * 1_000_000));
    const sender = senders[fromShard]!;
    const common = { from: sender.account, amount, nonce: sender.nonce, expiryHeight: sender.expiryHeight };
    // A share of cross-shard sends are payments under a few reused payment ids: the merchant's shard
    // refuses a repeated id and refunds it, so the refund path runs too.
    const pay = cross && random() < options.payShare;
    const tx = pay
      ? buildPay({ ...common, merchant: to, paymentId: `chaos-${Math.floor(random() * 8)}` })
      : buildTransfer({ ...common, to });
    sender.nonce += 1n;
    const record: TxRecord = {
      id: bytesToHex(transactionId(tx)),
      operation: pay ? 'pay' : 'transfer',
      fromShard,
      toShard,
      from: sender.account.address,
      to,
      amount,
      submittedAt: now(),
    };
    const entry = { record, tx, lastSubmit: 0 };
    tracked.push(entry);
    submit(entry);
  }

  /** Sends at `rate` until `durationMs` passed. */
  async function drive(durationMs: number): Promise<void> {
    const started = Date.now();
    let sent = 0;
    for (;;) {
      const elapsed = Date.now() - started;
      if (elapsed >= durationMs) return;
      const due = Math.floor((elapsed * options.rate) / 1000);
      while (sent < due) {
        sendOne();
        sent += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function poll(entry: Tracked): Promise<void> {
    const { record } = entry;
    try {
      const status = await client.getTransactionStatus(record.id, { shard: record.fromShard });
      for (const stage of status.stages) {
        if (stage.stage === 'final' && record.ack === undefined) {
          record.ack = { height: stage.height, index: stage.index, at: now() };
        } else if ((stage.stage === 'credited' || stage.stage === 'refunded') && !record.settled) {
          record.settled = { stage: stage.stage, shard: stage.shard, height: stage.height, at: now() };
        }
      }
      if (status.status === 'unknown' || status.status === 'pending') {
        if (Date.now() - entry.lastSubmit > resubmitAfterMs) submit(entry);
      }
    } catch {
      // The shard does not answer right now: the next round asks again.
    }
  }

  /** Polls every unsettled transfer, 16 at a time, about twice a second, until `stop()`. */
  async function track(): Promise<void> {
    while (tracking) {
      const round = Date.now();
      const open = tracked.filter((entry) => !isSettled(entry.record));
      for (let i = 0; i < open.length && tracking; i += 16) {
        await Promise.all(open.slice(i, i + 16).map(poll));
      }
      const wait = Math.max(50, 500 - (Date.now() - round));
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  const tracker = track();

  return {
    records: () => tracked.map((entry) => entry.record),
    drive,
    /** How many transfers are not yet final (or, across shards, not yet credited or refunded). */
    unsettled: () => tracked.filter((entry) => !isSettled(entry.record)).length,
    async stop(): Promise<void> {
      tracking = false;
      await tracker;
    },
  };
}

export type Load = ReturnType<typeof createLoad>;
