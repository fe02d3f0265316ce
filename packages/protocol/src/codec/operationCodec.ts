import type { MultisigExecuteOperation, MultisigInnerOperation, Operation, OperationType } from '../types.ts';
import { MAX_MEMO_BYTES, MAX_REFERENCE_BYTES } from '../types.ts';
import { readIndexedSignatures, writeIndexedSignatures } from './authorizationFields.ts';
import { type ByteReader, decodeError } from './ByteReader.ts';
import { type ByteWriter, encodeError } from './ByteWriter.ts';
import { readEscrowOperation, writeEscrowOperation } from './escrowOperationCodec.ts';
import { readAddress, writeAddress } from './fields.ts';
import { readIssuerControl, writeIssuerControl } from './issuerControlCodec.ts';
import {
  readMultisigCreate,
  readMultisigUpdate,
  writeMultisigCreate,
  writeMultisigUpdate,
} from './multisigOperationCodec.ts';
import { ObjectKind } from './objectKind.ts';
import { operationTags } from './tags.ts';
import { readTimelockOperation, writeTimelockOperation } from './timelockOperationCodec.ts';
import { decodeTopLevel, encodeTopLevel } from './topLevel.ts';

/** The operations a multisig account can execute (the nested operation of `multisig_execute`). */
const MULTISIG_INNER_TYPES: ReadonlySet<OperationType> = new Set<OperationType>([
  'transfer',
  'pay',
  'burn',
  'multisig_update',
]);

/** Writes an operation: u8 tag, then the variant's fields. */
export function writeOperation(writer: ByteWriter, operation: Operation): void {
  writer.u8(operationTags.toTag(operation.type, 'operation.type'), 'operation.type');
  switch (operation.type) {
    case 'transfer':
      writeAddress(writer, operation.to, 'operation.to');
      writer.u64(operation.amount, 'operation.amount');
      writer.string(operation.memo, MAX_MEMO_BYTES, 'operation.memo');
      return;
    case 'pay':
      writeAddress(writer, operation.merchant, 'operation.merchant');
      writer.u64(operation.amount, 'operation.amount');
      writer.string(operation.paymentId, MAX_REFERENCE_BYTES, 'operation.paymentId');
      writer.string(operation.memo, MAX_MEMO_BYTES, 'operation.memo');
      return;
    case 'mint':
      writeAddress(writer, operation.to, 'operation.to');
      writer.u64(operation.amount, 'operation.amount');
      writer.string(operation.reference, MAX_REFERENCE_BYTES, 'operation.reference');
      return;
    case 'burn':
      writer.u64(operation.amount, 'operation.amount');
      writer.string(operation.payoutReference, MAX_REFERENCE_BYTES, 'operation.payoutReference');
      return;
    case 'escrow_lock':
    case 'escrow_release':
    case 'escrow_refund':
    case 'escrow_dispute':
    case 'escrow_settle':
      writeEscrowOperation(writer, operation);
      return;
    case 'timelock_create':
    case 'timelock_claim':
    case 'timelock_cancel':
      writeTimelockOperation(writer, operation);
      return;
    case 'multisig_create':
      writeMultisigCreate(writer, operation);
      return;
    case 'multisig_update':
      writeMultisigUpdate(writer, operation);
      return;
    case 'multisig_execute':
      writeMultisigExecute(writer, operation);
      return;
    case 'issuer_control':
      writeIssuerControl(writer, operation);
      return;
  }
}

/** multisig_execute: account, accountNonce u64, the inner operation (tag + fields), signatures. */
function writeMultisigExecute(writer: ByteWriter, operation: MultisigExecuteOperation): void {
  writeAddress(writer, operation.account, 'operation.account');
  writer.u64(operation.accountNonce, 'operation.accountNonce');
  writeMultisigInnerOperation(writer, operation.operation);
  writeIndexedSignatures(writer, operation.signatures, 'operation.signatures');
}

/** The nested operation of `multisig_execute`: like `writeOperation`, for the allowed types only. */
export function writeMultisigInnerOperation(writer: ByteWriter, operation: MultisigInnerOperation): void {
  const type: unknown = typeof operation === 'object' && operation !== null ? operation.type : undefined;
  if (!MULTISIG_INNER_TYPES.has(type as OperationType)) {
    throw encodeError(
      'operation.operation.type',
      'not_allowed',
      `a multisig account cannot execute ${String(type)}`,
    );
  }
  writeOperation(writer, operation);
}

/** Reads an operation written by `writeOperation`. */
export function readOperation(reader: ByteReader): Operation {
  return readOperationFields(reader, reader.tag(operationTags.fromTag, 'operation'));
}

/** The fields of an operation of `type`, whose tag has been read. */
function readOperationFields(reader: ByteReader, type: OperationType): Operation {
  switch (type) {
    case 'transfer': {
      const to = readAddress(reader);
      const amount = reader.u64();
      const memo = reader.string(MAX_MEMO_BYTES);
      return { type, to, amount, memo };
    }
    case 'pay': {
      const merchant = readAddress(reader);
      const amount = reader.u64();
      const paymentId = reader.string(MAX_REFERENCE_BYTES);
      const memo = reader.string(MAX_MEMO_BYTES);
      return { type, merchant, amount, paymentId, memo };
    }
    case 'mint': {
      const to = readAddress(reader);
      const amount = reader.u64();
      const reference = reader.string(MAX_REFERENCE_BYTES);
      return { type, to, amount, reference };
    }
    case 'burn': {
      const amount = reader.u64();
      const payoutReference = reader.string(MAX_REFERENCE_BYTES);
      return { type, amount, payoutReference };
    }
    case 'escrow_lock':
    case 'escrow_release':
    case 'escrow_refund':
    case 'escrow_dispute':
    case 'escrow_settle':
      return readEscrowOperation(reader, type);
    case 'timelock_create':
    case 'timelock_claim':
    case 'timelock_cancel':
      return readTimelockOperation(reader, type);
    case 'multisig_create':
      return readMultisigCreate(reader);
    case 'multisig_update':
      return readMultisigUpdate(reader);
    case 'multisig_execute': {
      const account = readAddress(reader);
      const accountNonce = reader.u64();
      const operation = readMultisigInnerOperation(reader);
      const signatures = readIndexedSignatures(reader);
      return { type, account, accountNonce, operation, signatures };
    }
    case 'issuer_control':
      return readIssuerControl(reader);
  }
}

/** Reads the nested operation of `multisig_execute`; any other type is refused (not_allowed). */
export function readMultisigInnerOperation(reader: ByteReader): MultisigInnerOperation {
  const start = reader.position;
  const tag = reader.u8();
  const type = operationTags.fromTag.get(tag);
  if (type === undefined) throw decodeError('unknown_tag', start, `unknown operation tag ${tag}`);
  if (!MULTISIG_INNER_TYPES.has(type)) {
    throw decodeError('not_allowed', start, `a multisig account cannot execute ${type}`);
  }
  return readOperationFields(reader, type) as MultisigInnerOperation;
}

/** Canonical bytes of an operation on its own (kind 0x0d). */
export function encodeOperation(operation: Operation): Uint8Array {
  return encodeTopLevel(ObjectKind.operation, operation, writeOperation);
}

/** Decodes `encodeOperation` bytes; throws DECODE_ERROR on anything non-canonical. */
export function decodeOperation(bytes: Uint8Array): Operation {
  return decodeTopLevel(bytes, ObjectKind.operation, 'operation', readOperation);
}
