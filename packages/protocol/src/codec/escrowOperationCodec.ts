/** Fields of the escrow operations (after the operation tag written by `operationCodec.ts`). */
import type {
  EscrowDisputeOperation,
  EscrowLockOperation,
  EscrowRefundOperation,
  EscrowReleaseOperation,
  EscrowSettleOperation,
} from '../types.ts';
import { MAX_MEMO_BYTES, MAX_REFERENCE_BYTES } from '../types.ts';
import {
  readOptionalAddress,
  readOptionalAuthorization,
  writeOptionalAddress,
  writeOptionalAuthorization,
} from './authorizationFields.ts';
import type { ByteReader } from './ByteReader.ts';
import type { ByteWriter } from './ByteWriter.ts';
import { readAddress, readHash, writeAddress, writeHash } from './fields.ts';

export type EscrowOperation =
  | EscrowLockOperation
  | EscrowReleaseOperation
  | EscrowRefundOperation
  | EscrowDisputeOperation
  | EscrowSettleOperation;

/**
 * escrow_lock: merchant, amount u64, orderId, deadlineMs u64, optional arbiter, optional oracle, memo.
 * release / refund / dispute: escrowId, optional authorization. settle: escrowId, buyerAmount u64,
 * optional authorization.
 */
export function writeEscrowOperation(writer: ByteWriter, operation: EscrowOperation): void {
  switch (operation.type) {
    case 'escrow_lock':
      writeAddress(writer, operation.merchant, 'operation.merchant');
      writer.u64(operation.amount, 'operation.amount');
      writer.string(operation.orderId, MAX_REFERENCE_BYTES, 'operation.orderId');
      writer.u64(operation.deadlineMs, 'operation.deadlineMs');
      writeOptionalAddress(writer, operation.arbiter, 'operation.arbiter');
      writeOptionalAddress(writer, operation.oracle, 'operation.oracle');
      writer.string(operation.memo, MAX_MEMO_BYTES, 'operation.memo');
      return;
    case 'escrow_release':
    case 'escrow_refund':
    case 'escrow_dispute':
      writeHash(writer, operation.escrowId, 'operation.escrowId');
      writeOptionalAuthorization(writer, operation.authorization, 'operation.authorization');
      return;
    case 'escrow_settle':
      writeHash(writer, operation.escrowId, 'operation.escrowId');
      writer.u64(operation.buyerAmount, 'operation.buyerAmount');
      writeOptionalAuthorization(writer, operation.authorization, 'operation.authorization');
      return;
  }
}

export function readEscrowOperation(reader: ByteReader, type: EscrowOperation['type']): EscrowOperation {
  switch (type) {
    case 'escrow_lock': {
      const merchant = readAddress(reader);
      const amount = reader.u64();
      const orderId = reader.string(MAX_REFERENCE_BYTES);
      const deadlineMs = reader.u64();
      const arbiter = readOptionalAddress(reader);
      const oracle = readOptionalAddress(reader);
      const memo = reader.string(MAX_MEMO_BYTES);
      return { type, merchant, amount, orderId, deadlineMs, arbiter, oracle, memo };
    }
    case 'escrow_release':
    case 'escrow_refund':
    case 'escrow_dispute': {
      const escrowId = readHash(reader);
      const authorization = readOptionalAuthorization(reader);
      return { type, escrowId, authorization };
    }
    case 'escrow_settle': {
      const escrowId = readHash(reader);
      const buyerAmount = reader.u64();
      const authorization = readOptionalAuthorization(reader);
      return { type, escrowId, buyerAmount, authorization };
    }
  }
}
