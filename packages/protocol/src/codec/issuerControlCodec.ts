/** Fields of `issuer_control` (after the operation tag written by `operationCodec.ts`). */
import type { IssuerControlAction, IssuerControlOperation } from '../types.ts';
import {
  readIndexedSignatures,
  readOptionalAddress,
  writeIndexedSignatures,
  writeOptionalAddress,
} from './authorizationFields.ts';
import { type ByteReader, decodeError } from './ByteReader.ts';
import { type ByteWriter, encodeError } from './ByteWriter.ts';
import { issuerControlActionTags } from './tags.ts';

/** Freeze and unfreeze name an account; pause and unpause must not (one meaning, one encoding). */
function needsTarget(action: IssuerControlAction): boolean {
  return action === 'freeze' || action === 'unfreeze';
}

/** action u8 tag, optional target (present exactly for freeze/unfreeze), controlNonce u64, signatures. */
export function writeIssuerControl(writer: ByteWriter, operation: IssuerControlOperation): void {
  writer.u8(issuerControlActionTags.toTag(operation.action, 'operation.action'), 'operation.action');
  if (needsTarget(operation.action) !== (operation.target !== null)) {
    throw encodeError(
      'operation.target',
      'invalid_option',
      'freeze and unfreeze need a target; pause and unpause take none',
    );
  }
  writeOptionalAddress(writer, operation.target, 'operation.target');
  writer.u64(operation.controlNonce, 'operation.controlNonce');
  writeIndexedSignatures(writer, operation.signatures, 'operation.signatures');
}

export function readIssuerControl(reader: ByteReader): IssuerControlOperation {
  const action = reader.tag(issuerControlActionTags.fromTag, 'issuer control action');
  const targetStart = reader.position;
  const target = readOptionalAddress(reader);
  if (needsTarget(action) !== (target !== null)) {
    throw decodeError(
      'invalid_option',
      targetStart,
      `a ${action} ${target === null ? 'needs' : 'takes no'} target`,
    );
  }
  const controlNonce = reader.u64();
  const signatures = readIndexedSignatures(reader);
  return { type: 'issuer_control', action, target, controlNonce, signatures };
}
