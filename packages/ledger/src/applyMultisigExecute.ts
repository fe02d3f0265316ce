import { encodeAddress, ShardpayError } from '@shardpay/crypto';
import type {
  Address,
  Hash,
  MultisigExecuteOperation,
  MultisigInnerOperation,
  MultisigUpdateOperation,
  Transaction,
} from '@shardpay/protocol';
import { MAX_U64, multisigSigningHash } from '@shardpay/protocol';
import { applyBurn, assertValidBurn, assertValidBurnFields } from './applyBurn.ts';
import { assertValidMultisigOwners } from './applyMultisigCreate.ts';
import { applyPay, assertValidPay, assertValidPayFields } from './applyPay.ts';
import { applyTransfer, assertValidTransfer, assertValidTransferFields } from './applyTransfer.ts';
import { assertSufficientFunds, type BlockContext, chargeSender } from './BlockContext.ts';
import { assertValidAddress } from './fieldChecks.ts';
import { type MultisigRecord, readMultisig, writeMultisig } from './records/multisigRecord.ts';
import { assertThresholdSignatures, assertValidSignatureList } from './thresholdSignatures.ts';

/** Throws MULTISIG_OWNERS_INVALID or MULTISIG_THRESHOLD_INVALID for a malformed update. */
export function assertValidMultisigUpdateFields(operation: MultisigUpdateOperation): void {
  assertValidMultisigOwners(operation.owners, operation.threshold);
}

/** Throws the refusal code of a malformed inner operation; anything but transfer, pay, burn, update: OPERATION_NOT_ALLOWED. */
function assertValidInnerFields(inner: MultisigInnerOperation): void {
  switch (inner?.type) {
    case 'transfer':
      assertValidTransferFields(inner);
      return;
    case 'pay':
      assertValidPayFields(inner);
      return;
    case 'burn':
      assertValidBurnFields(inner);
      return;
    case 'multisig_update':
      assertValidMultisigUpdateFields(inner);
      return;
    default:
      throw new ShardpayError(
        'OPERATION_NOT_ALLOWED',
        'a multisig account may only transfer, pay, burn or update itself',
        { meta: { operation: String((inner as { type?: unknown } | undefined)?.type) } },
      );
  }
}

/**
 * Throws for a malformed execute: ADDRESS_INVALID (account), MULTISIG_NONCE_INVALID (accountNonce not a
 * u64), the inner operation's own code, AUTHORIZATION_INVALID (the signature list's shape).
 */
export function assertValidMultisigExecuteFields(operation: MultisigExecuteOperation): void {
  assertValidAddress(operation.account, 'account');
  if (
    typeof operation.accountNonce !== 'bigint' ||
    operation.accountNonce < 0n ||
    operation.accountNonce > MAX_U64
  ) {
    throw new ShardpayError('MULTISIG_NONCE_INVALID', 'accountNonce must be a u64', {
      meta: { accountNonce: String(operation.accountNonce) },
    });
  }
  assertValidInnerFields(operation.operation);
  assertValidSignatureList(operation.signatures);
}

/**
 * Throws unless the execution can be applied: the account is a multisig of this shard
 * (MULTISIG_NOT_FOUND), accountNonce is its next nonce (MULTISIG_NONCE_INVALID: each set of signatures
 * works once), at least `threshold` owners signed multisigSigningHash(chainId, account, accountNonce,
 * inner) (MULTISIG_SIGNATURES_INSUFFICIENT, AUTHORIZATION_INVALID), and the inner operation is valid
 * run AS the account: the account pays its amount, the sender the fee (INSUFFICIENT_FUNDS), the
 * issuer's controls apply to the account and the recipient (TOKEN_PAUSED, ACCOUNT_FROZEN). Returns the
 * account's record.
 */
export function assertValidMultisigExecute(
  context: BlockContext,
  tx: Transaction,
  operation: MultisigExecuteOperation,
  sender: Address,
): MultisigRecord {
  assertValidMultisigExecuteFields(operation);
  const { account, accountNonce, operation: inner } = operation;
  const record = readMultisig(context.state, account);
  if (record === undefined) {
    throw new ShardpayError('MULTISIG_NOT_FOUND', `no multisig account here on shard ${context.shard}`, {
      meta: { account: encodeAddress(account, context.config.addressPrefix) },
    });
  }
  if (accountNonce !== record.nonce || record.nonce >= MAX_U64) {
    throw new ShardpayError(
      'MULTISIG_NONCE_INVALID',
      `accountNonce ${accountNonce}, the account expects ${record.nonce}`,
      {
        meta: { accountNonce: accountNonce.toString(), expected: record.nonce.toString() },
      },
    );
  }
  const hash = multisigSigningHash(context.config.chainId, account, accountNonce, inner);
  assertThresholdSignatures(record.owners, record.threshold, operation.signatures, hash);
  switch (inner.type) {
    case 'transfer':
      assertValidTransfer(context, tx, inner, sender, account);
      break;
    case 'pay':
      assertValidPay(context, tx, inner, sender, account);
      break;
    case 'burn':
      assertValidBurn(context, tx, inner, sender, account);
      break;
    case 'multisig_update':
      assertSufficientFunds(context, sender, tx.fee);
      break;
  }
  return record;
}

/**
 * Runs the inner operation as the multisig account (receipts name the account as `from` and the inner
 * operation, 'transfer' or 'pay'; a burn counts as burned like any other), or replaces its owners and
 * threshold; then advances the account's nonce. The sender pays the fee and its own nonce advances.
 */
export function applyMultisigExecute(
  context: BlockContext,
  tx: Transaction,
  operation: MultisigExecuteOperation,
  sender: Address,
  txId: Hash,
): void {
  const record = assertValidMultisigExecute(context, tx, operation, sender);
  const { account, operation: inner } = operation;
  let next: MultisigRecord = { ...record, nonce: record.nonce + 1n };
  switch (inner.type) {
    case 'transfer':
      applyTransfer(context, tx, inner, sender, txId, account);
      break;
    case 'pay':
      applyPay(context, tx, inner, sender, txId, account);
      break;
    case 'burn':
      applyBurn(context, tx, inner, sender, account);
      break;
    case 'multisig_update':
      chargeSender(context, sender, 0n, tx.fee);
      next = {
        owners: inner.owners.map((owner) => owner.slice()),
        threshold: inner.threshold,
        nonce: next.nonce,
      };
      break;
  }
  writeMultisig(context.state, account, next);
}
