/** Fields of the time-lock operations (after the operation tag written by `operationCodec.ts`). */
import type { TimelockCancelOperation, TimelockClaimOperation, TimelockCreateOperation } from '../types.ts';
import { MAX_MEMO_BYTES } from '../types.ts';
import { readOptionalAuthorization, writeOptionalAuthorization } from './authorizationFields.ts';
import type { ByteReader } from './ByteReader.ts';
import type { ByteWriter } from './ByteWriter.ts';
import { readAddress, readHash, writeAddress, writeHash } from './fields.ts';

export type TimelockOperation = TimelockCreateOperation | TimelockClaimOperation | TimelockCancelOperation;

/**
 * timelock_create: to, amount u64, unlockHeight u64, memo. timelock_claim: timelockId, optional
 * authorization. timelock_cancel: timelockId.
 */
export function writeTimelockOperation(writer: ByteWriter, operation: TimelockOperation): void {
  switch (operation.type) {
    case 'timelock_create':
      writeAddress(writer, operation.to, 'operation.to');
      writer.u64(operation.amount, 'operation.amount');
      writer.u64(operation.unlockHeight, 'operation.unlockHeight');
      writer.string(operation.memo, MAX_MEMO_BYTES, 'operation.memo');
      return;
    case 'timelock_claim':
      writeHash(writer, operation.timelockId, 'operation.timelockId');
      writeOptionalAuthorization(writer, operation.authorization, 'operation.authorization');
      return;
    case 'timelock_cancel':
      writeHash(writer, operation.timelockId, 'operation.timelockId');
      return;
  }
}

export function readTimelockOperation(
  reader: ByteReader,
  type: TimelockOperation['type'],
): TimelockOperation {
  switch (type) {
    case 'timelock_create': {
      const to = readAddress(reader);
      const amount = reader.u64();
      const unlockHeight = reader.u64();
      const memo = reader.string(MAX_MEMO_BYTES);
      return { type, to, amount, unlockHeight, memo };
    }
    case 'timelock_claim': {
      const timelockId = readHash(reader);
      const authorization = readOptionalAuthorization(reader);
      return { type, timelockId, authorization };
    }
    case 'timelock_cancel':
      return { type, timelockId: readHash(reader) };
  }
}
