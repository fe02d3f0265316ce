import { isShardpayError } from '@shardpay/crypto';
import { appendAudit } from '../audit/appendAudit.ts';
import { homeShardOf } from '../chain/readAccount.ts';
import { lockEventOrder, writeEvent } from '../events/writeEvent.ts';
import type { CashoutRow } from './cashoutObject.ts';
import { cashoutToJson } from './cashoutObject.ts';
import {
  acquireIssuerLane,
  mintOutcome,
  releaseIssuerLane,
  signIssuerMint,
  submitIssuerMint,
} from './issuerMints.ts';
import { moveRow, scheduleRow } from './moveRow.ts';
import { type RampServices, retryDelayMs } from './RampServices.ts';

/** The bank idempotency key of a cash-out's payout: from the burn, so one burn pays out once. */
export const payoutBankKey = (burnTxId: string) => `payout:${burnTxId}`;

/** The mint reference of a cash-out's refund: the chain accepts it once. */
export const refundReference = (cashoutId: string) => `refund:${cashoutId}`;

const finalStatuses = new Set(['final', 'credited', 'refused', 'refunded']);

/**
 * Advances one cash-out as far as it can go now: burn final → payout requested (the outbox step,
 * retried with backoff while the bank is down) → paid; or a payout failed for good → refund mint →
 * refunded. Each step commits before the next and is safe to repeat.
 */
export async function advanceCashout(services: RampServices, start: CashoutRow): Promise<void> {
  const { database, now, crash, chain } = services;
  let row = start;
  for (;;) {
    switch (row.status) {
      case 'burning': {
        const home = homeShardOf(services.network, row.address);
        try {
          await chain.call(home, 'shardpay_submitTransaction', { tx: row.burn_tx! });
        } catch (error) {
          // A node's refusal (already known, already included, expired) is read from the status below;
          // only "no node answered" stops this round.
          if (
            !isShardpayError(error) ||
            (error.meta.rpcCode === undefined && !isShardpayError(error, 'TX_ALREADY_KNOWN'))
          ) {
            throw error;
          }
        }
        const status = await chain.call<{ status?: unknown }>(home, 'shardpay_getTransactionStatus', {
          txId: row.burn_tx_id!,
        });
        if (typeof status.status === 'string' && finalStatuses.has(status.status)) {
          const at = now();
          const moved = await database.transaction(async (tx) => {
            if (!(await moveRow(tx, 'cashouts', row.id, 'burning', { status: 'burned' }, at))) return false;
            await appendAudit(tx, {
              kind: 'burn',
              subjectId: row.id,
              amount: BigInt(row.amount),
              data: { tx_id: row.burn_tx_id!, from: row.address, user: row.user_id },
              at,
            });
            return true;
          });
          if (!moved) return;
          crash('after_burn_final');
          row = { ...row, status: 'burned' };
          break;
        }
        const account = await chain.call<{ height?: unknown }>(home, 'shardpay_getAccount', {
          address: row.address,
        });
        if (typeof account.height === 'string' && BigInt(account.height) > BigInt(row.burn_expiry_height!)) {
          // The burn can no longer be included: nothing left the wallet; the user may sign another.
          const recheck = await chain.call<{ status?: unknown }>(home, 'shardpay_getTransactionStatus', {
            txId: row.burn_tx_id!,
          });
          if (recheck.status === 'unknown') {
            await moveRow(
              database,
              'cashouts',
              row.id,
              'burning',
              {
                status: 'awaiting_burn',
                burn_tx: null,
                burn_tx_id: null,
                burn_expiry_height: null,
                failure_code: 'burn_expired',
                failure_message: 'The burn expired before it was included; sign a new one.',
              },
              now(),
            );
            return;
          }
        }
        await scheduleRow(database, 'cashouts', row.id, now(), services.settings.pollIntervalMs, false);
        return;
      }
      case 'burned': {
        let payout: Awaited<ReturnType<typeof services.bank.createPayout>>;
        try {
          payout = await services.bank.createPayout(
            {
              amount: BigInt(row.amount),
              routingNumber: row.routing_number,
              accountNumber: row.account_number,
              description: `Shardpay cash-out ${row.id}`,
              metadata: { cashout: row.id, burn_tx: row.burn_tx_id! },
            },
            payoutBankKey(row.burn_tx_id!),
          );
        } catch (error) {
          if (!isShardpayError(error, 'BANK_REQUEST_REFUSED')) throw error;
          // The bank will never pay this account (invalid, refused): give the coins back.
          const bankCode = error.meta.bankCode;
          await moveRow(
            database,
            'cashouts',
            row.id,
            'burned',
            {
              status: 'refunding',
              failure_code: typeof bankCode === 'string' ? bankCode : 'payout_refused',
              failure_message: error.message,
            },
            now(),
          );
          row = { ...row, status: 'refunding' };
          break;
        }
        crash('during_payout');
        const at = now();
        const moved = await database.transaction(async (tx) => {
          if (
            !(await moveRow(
              tx,
              'cashouts',
              row.id,
              'burned',
              { status: 'paying_out', payout_id: payout.id },
              at,
            ))
          )
            return false;
          await appendAudit(tx, {
            kind: 'payout',
            subjectId: row.id,
            amount: BigInt(row.amount),
            data: {
              payout: payout.id,
              burn_tx: row.burn_tx_id!,
              account_last4: row.account_number.slice(-4),
              user: row.user_id,
            },
            at,
          });
          return true;
        });
        if (!moved) return;
        row = { ...row, status: 'paying_out', payout_id: payout.id };
        break;
      }
      case 'paying_out': {
        const payout = await services.bank.getPayout(row.payout_id!);
        if (payout.status === 'paid') {
          await moveRow(database, 'cashouts', row.id, 'paying_out', { status: 'paid' }, now());
          return;
        }
        if (payout.status === 'failed') {
          await moveRow(
            database,
            'cashouts',
            row.id,
            'paying_out',
            {
              status: 'refunding',
              failure_code: payout.failureCode ?? 'payout_failed',
              failure_message: payout.failureMessage ?? 'The bank returned the payout.',
            },
            now(),
          );
          row = { ...row, status: 'refunding' };
          break;
        }
        await scheduleRow(database, 'cashouts', row.id, now(), services.settings.pollIntervalMs, false);
        return;
      }
      case 'refunding': {
        if (row.refund_tx === null) {
          if (!(await acquireIssuerLane(database, row.id))) {
            await scheduleRow(database, 'cashouts', row.id, now(), services.settings.pollIntervalMs, false);
            return;
          }
          const signed = await signIssuerMint(services, {
            to: row.address,
            amount: BigInt(row.amount),
            reference: refundReference(row.id),
          });
          const changes = {
            refund_tx: signed.tx,
            refund_tx_id: signed.txId,
            refund_nonce: signed.nonce,
            refund_expiry_height: signed.expiryHeight,
          };
          if (!(await moveRow(database, 'cashouts', row.id, 'refunding', changes, now()))) return;
          row = { ...row, ...changes };
        }
        const mint = {
          tx: row.refund_tx!,
          txId: row.refund_tx_id!,
          nonce: BigInt(row.refund_nonce!),
          expiryHeight: BigInt(row.refund_expiry_height!),
        };
        const submitted = await submitIssuerMint(services, mint.tx);
        crash('after_refund_submit');
        const outcome = await mintOutcome(services, mint);
        if (outcome === 'final') {
          const at = now();
          await database.transaction(async (tx) => {
            await lockEventOrder(tx);
            if (!(await moveRow(tx, 'cashouts', row.id, 'refunding', { status: 'refunded' }, at))) return;
            await releaseIssuerLane(tx, row.id);
            await appendAudit(tx, {
              kind: 'refund',
              subjectId: row.id,
              amount: BigInt(row.amount),
              data: {
                tx_id: mint.txId,
                to: row.address,
                reason: row.failure_code ?? 'payout_failed',
                user: row.user_id,
              },
              at,
            });
            // The user is told: an event on their stream (and the cash-out's status).
            await writeEvent(tx, {
              userId: row.user_id,
              type: 'cashout.refunded',
              data: cashoutToJson({ ...row, status: 'refunded' }),
              at,
            });
          });
          return;
        }
        if (outcome === 'expired' && submitted !== 'duplicate_reference') {
          // Sign again (a new nonce may be needed): the refund is owed until it lands.
          await database.transaction(async (tx) => {
            await moveRow(
              tx,
              'cashouts',
              row.id,
              'refunding',
              { refund_tx: null, refund_tx_id: null, refund_nonce: null, refund_expiry_height: null },
              now(),
            );
            await releaseIssuerLane(tx, row.id);
          });
          return;
        }
        if (submitted === 'duplicate_reference' && outcome === 'expired') {
          services.log.error(
            { cashout: row.id },
            'refund reference already used by another transaction; needs review',
          );
        }
        await scheduleRow(database, 'cashouts', row.id, now(), services.settings.pollIntervalMs, false);
        return;
      }
      default:
        return;
    }
  }
}

/** After a failed step: exponential backoff with jitter (the outbox retry), logged. */
export async function retryCashoutLater(
  services: RampServices,
  row: CashoutRow,
  error: unknown,
): Promise<void> {
  const bankDown = isShardpayError(error, 'BANK_UNAVAILABLE');
  const delay = retryDelayMs(services.settings, row.attempts, services.random);
  services.log[bankDown ? 'warn' : 'error'](
    { err: error, cashout: row.id, status: row.status, retryInMs: delay },
    'cash-out step failed; will retry',
  );
  await scheduleRow(services.database, 'cashouts', row.id, services.now(), delay, true);
}
