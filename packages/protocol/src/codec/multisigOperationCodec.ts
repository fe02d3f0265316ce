/** Fields of `multisig_create` and `multisig_update` (after the operation tag). */
import type { MultisigCreateOperation, MultisigUpdateOperation } from '../types.ts';
import { readOwners, readThreshold, writeOwners, writeThreshold } from './authorizationFields.ts';
import type { ByteReader } from './ByteReader.ts';
import type { ByteWriter } from './ByteWriter.ts';

/** multisig_create: owners, threshold u8, salt u64. */
export function writeMultisigCreate(writer: ByteWriter, operation: MultisigCreateOperation): void {
  writeOwners(writer, operation.owners, 'operation.owners');
  writeThreshold(writer, operation.threshold, 'operation.threshold');
  writer.u64(operation.salt, 'operation.salt');
}

export function readMultisigCreate(reader: ByteReader): MultisigCreateOperation {
  const owners = readOwners(reader);
  const threshold = readThreshold(reader);
  const salt = reader.u64();
  return { type: 'multisig_create', owners, threshold, salt };
}

/** multisig_update: owners, threshold u8. */
export function writeMultisigUpdate(writer: ByteWriter, operation: MultisigUpdateOperation): void {
  writeOwners(writer, operation.owners, 'operation.owners');
  writeThreshold(writer, operation.threshold, 'operation.threshold');
}

export function readMultisigUpdate(reader: ByteReader): MultisigUpdateOperation {
  const owners = readOwners(reader);
  const threshold = readThreshold(reader);
  return { type: 'multisig_update', owners, threshold };
}
