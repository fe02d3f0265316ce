import { isShardpayError } from '@shardpay/crypto';
import { appendAudit } from '../audit/appendAudit.ts';
import {
  acquireIssuerLane,
  mintOutcome,
  releaseIssuerLane,
  type SignedMint,
  signIssuerMint,
  submitIssuerMint,
} from './issuerMints.ts';
import { moveRow, scheduleRow } from './moveRow.ts';
import type { PurchaseRow } from './purchaseObject.ts';
import { type RampServices, retryDelayMs } from './RampServices.ts';

/** Bank idempotency keys of a purchase: one per bank operation, so a retry never repeats one. */
export const purchaseBankKey = (
  purchaseId: string,
  operation: 'authorize' | 'confirm' | 'capture' | 'void',
) => `${purchaseId}:${operation}`;

/**
 * Advances one purchase as far as it can go now: authorized → mint signed and stored → submitted →
 * final → captured; or an expired mint → voided. Each step's result is committed before the next
 * starts, and each step is safe to repeat (same mint bytes, same bank idempotency keys), so a crash
 * anywhere resumes here on any replica. Returns when the purchase is waiting (for a block, the lane,
 * the bank) or done.
 */
export async function advancePurchase(services: RampServices, start: PurchaseRow): Promise<void> {
  const { database, now, crash } = services;
  let row = start;
  for (;;) {
    switch (row.status) {
      case 'authorized': {
        if (!(await acquireIssuerLane(database, row.id))) {
          await scheduleRow(database, 'purchases', row.id, now(), services.settings.pollIntervalMs, false);
          return;
        }
        const signed = await signIssuerMint(services, {
          to: row.address,
          amount: BigInt(row.amount),
          reference: row.charge_id!,
        });
        const moved = await moveRow(
          database,
          'purchases',
          row.id,
          'authorized',
          {
            status: 'minting',
            mint_tx: signed.tx,
            mint_tx_id: signed.txId,
            mint_nonce: signed.nonce,
            mint_expiry_height: signed.expiryHeight,
          },
          now(),
        );
        if (!moved) return;
        row = {
          ...row,
          status: 'minting',
          mint_tx: signed.tx,
          mint_tx_id: signed.txId,
          mint_nonce: signed.nonce,
          mint_expiry_height: signed.expiryHeight,
        };
        break;
      }
      case 'minting': {
        const mint: SignedMint = {
          tx: row.mint_tx!,
          txId: row.mint_tx_id!,
          nonce: BigInt(row.mint_nonce!),
          expiryHeight: BigInt(row.mint_expiry_height!),
        };
        const submitted = await submitIssuerMint(services, mint.tx);
        crash('after_mint_submit');
        const outcome = await mintOutcome(services, mint);
        if (outcome === 'final') {
          const at = now();
          const moved = await database.transaction(async (tx) => {
            if (!(await moveRow(tx, 'purchases', row.id, 'minting', { status: 'minted' }, at))) return false;
            await releaseIssuerLane(tx, row.id);
            await appendAudit(tx, {
              kind: 'mint',
              subjectId: row.id,
              amount: BigInt(row.amount),
              data: { tx_id: mint.txId, to: row.address, reference: row.charge_id!, user: row.user_id },
              at,
            });
            return true;
          });
          if (!moved) return;
          crash('after_mint_final');
          row = { ...row, status: 'minted' };
          break;
        }
        if (outcome === 'expired' && submitted === 'duplicate_reference') {
          // The chain says this reference was minted, but not by our stored mint: never void on that.
          services.log.error(
            { purchase: row.id, reference: row.charge_id },
            'mint reference already used by another transaction; needs review',
          );
        } else if (outcome === 'expired') {
          const at = now();
          const moved = await database.transaction(async (tx) => {
            const changes = {
              status: 'voiding',
              failure_code: 'mint_expired',
              failure_message: 'The coins could not be issued; your card was not charged.',
            };
            if (!(await moveRow(tx, 'purchases', row.id, 'minting', changes, at))) return false;
            await releaseIssuerLane(tx, row.id);
            return true;
          });
          if (!moved) return;
          row = { ...row, status: 'voiding' };
          break;
        }
        await scheduleRow(database, 'purchases', row.id, now(), services.settings.pollIntervalMs, false);
        return;
      }
      case 'minted': {
        const captured = await services.bank.capture(row.charge_id!, purchaseBankKey(row.id, 'capture'));
        if (captured.status !== 'succeeded') throw new Error(`capture answered status ${captured.status}`);
        const at = now();
        const moved = await database.transaction(async (tx) => {
          if (!(await moveRow(tx, 'purchases', row.id, 'minted', { status: 'succeeded' }, at))) return false;
          await appendAudit(tx, {
            kind: 'capture',
            subjectId: row.id,
            amount: BigInt(row.amount),
            data: { charge: row.charge_id!, user: row.user_id },
            at,
          });
          return true;
        });
        if (moved) crash('after_capture');
        return;
      }
      case 'voiding': {
        const canceled = await services.bank.cancel(row.charge_id!, purchaseBankKey(row.id, 'void'));
        if (canceled.status !== 'canceled') throw new Error(`cancel answered status ${canceled.status}`);
        const at = now();
        await database.transaction(async (tx) => {
          if (!(await moveRow(tx, 'purchases', row.id, 'voiding', { status: 'failed' }, at))) return;
          await appendAudit(tx, {
            kind: 'void',
            subjectId: row.id,
            amount: BigInt(row.amount),
            data: { charge: row.charge_id!, user: row.user_id },
            at,
          });
        });
        return;
      }
      default:
        return;
    }
  }
}

/** After a failed step: a later attempt with backoff (bank down) or a plain re-poll. */
export async function retryPurchaseLater(
  services: RampServices,
  row: PurchaseRow,
  error: unknown,
): Promise<void> {
  const bankDown = isShardpayError(error, 'BANK_UNAVAILABLE');
  const delay = retryDelayMs(services.settings, row.attempts, services.random);
  services.log[bankDown ? 'warn' : 'error'](
    { err: error, purchase: row.id, status: row.status, retryInMs: delay },
    'purchase step failed; will retry',
  );
  await scheduleRow(services.database, 'purchases', row.id, services.now(), delay, true);
}
