/**
 * JSON forms of the commerce operations (escrow, time locks, multisig, issuer controls):
 * addresses bech32m, keys, hashes and signatures lowercase hex, amounts decimal strings, heights,
 * nonces, salts and milliseconds decimal strings, thresholds and owner indexes JSON numbers. The
 * readers are strict (unknown fields refused) and also check what the codec would refuse (order
 * of owners and signers, a target exactly for freeze/unfreeze), so a JSON form that reads always
 * encodes.
 */
import { compareBytes } from '@shardpay/crypto';
import { HASH_BYTES, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from '../codec/limits.ts';
import type {
  Authorization,
  EscrowDisputeOperation,
  EscrowLockOperation,
  EscrowRefundOperation,
  EscrowReleaseOperation,
  EscrowSettleOperation,
  IssuerControlAction,
  IssuerControlOperation,
  MultisigCreateOperation,
  MultisigUpdateOperation,
  PublicKey,
  TimelockCancelOperation,
  TimelockClaimOperation,
  TimelockCreateOperation,
} from '../types.ts';
import { MAX_MEMO_BYTES, MAX_MULTISIG_OWNERS, MAX_REFERENCE_BYTES } from '../types.ts';
import {
  addressToJson,
  amountToJson,
  childPath,
  hexToJson,
  indexPath,
  type JsonOptions,
  jsonInvalid,
  readAddress,
  readAmount,
  readArray,
  readHex,
  readInteger,
  readLiteral,
  readNullable,
  readObject,
  readString,
  readU64String,
  u64ToJson,
} from './jsonFields.ts';

export interface AuthorizationJson {
  publicKey: string;
  signature: string;
}

export interface IndexedSignatureJson {
  ownerIndex: number;
  signature: string;
}

export interface EscrowLockOperationJson {
  type: 'escrow_lock';
  merchant: string;
  amount: string;
  orderId: string;
  deadlineMs: string;
  arbiter: string | null;
  oracle: string | null;
  memo: string;
}

export interface EscrowActionOperationJson {
  type: 'escrow_release' | 'escrow_refund' | 'escrow_dispute';
  escrowId: string;
  authorization: AuthorizationJson | null;
}

export interface EscrowSettleOperationJson {
  type: 'escrow_settle';
  escrowId: string;
  buyerAmount: string;
  authorization: AuthorizationJson | null;
}

export interface TimelockCreateOperationJson {
  type: 'timelock_create';
  to: string;
  amount: string;
  unlockHeight: string;
  memo: string;
}

export interface TimelockClaimOperationJson {
  type: 'timelock_claim';
  timelockId: string;
  authorization: AuthorizationJson | null;
}

export interface TimelockCancelOperationJson {
  type: 'timelock_cancel';
  timelockId: string;
}

export interface MultisigCreateOperationJson {
  type: 'multisig_create';
  owners: string[];
  threshold: number;
  salt: string;
}

export interface MultisigUpdateOperationJson {
  type: 'multisig_update';
  owners: string[];
  threshold: number;
}

export interface IssuerControlOperationJson {
  type: 'issuer_control';
  action: IssuerControlAction;
  target: string | null;
  controlNonce: string;
  signatures: IndexedSignatureJson[];
}

export type EscrowOrTimelockOperation =
  | EscrowLockOperation
  | EscrowReleaseOperation
  | EscrowRefundOperation
  | EscrowDisputeOperation
  | EscrowSettleOperation
  | TimelockCreateOperation
  | TimelockClaimOperation
  | TimelockCancelOperation;

export type EscrowOrTimelockOperationJson =
  | EscrowLockOperationJson
  | EscrowActionOperationJson
  | EscrowSettleOperationJson
  | TimelockCreateOperationJson
  | TimelockClaimOperationJson
  | TimelockCancelOperationJson;

const ISSUER_ACTIONS: readonly IssuerControlAction[] = ['pause', 'unpause', 'freeze', 'unfreeze'];

export function authorizationToJson(value: Authorization | null): AuthorizationJson | null {
  return value === null
    ? null
    : { publicKey: hexToJson(value.publicKey), signature: hexToJson(value.signature) };
}

export function readAuthorization(value: unknown, path: string): Authorization | null {
  return readNullable(value, path, (v, p) => {
    const o = readObject(v, p, ['publicKey', 'signature']);
    return {
      publicKey: readHex(o.publicKey, childPath(p, 'publicKey'), PUBLIC_KEY_BYTES),
      signature: readHex(o.signature, childPath(p, 'signature'), SIGNATURE_BYTES),
    };
  });
}

/** 1..MAX_MULTISIG_OWNERS is the codec's range; 0 owners is encodable but never valid anywhere. */
export function readOwners(value: unknown, path: string): PublicKey[] {
  const owners = readArray(value, path, MAX_MULTISIG_OWNERS, (v, p) => readHex(v, p, PUBLIC_KEY_BYTES));
  owners.forEach((owner, i) => {
    const previous = owners[i - 1];
    if (previous !== undefined && compareBytes(previous, owner) >= 0) {
      throw jsonInvalid(
        indexPath(path, i),
        'invalid_value',
        'owners must be strictly ascending and distinct',
      );
    }
  });
  return owners;
}

export function readThreshold(value: unknown, path: string): number {
  return readInteger(value, path, 1, MAX_MULTISIG_OWNERS);
}

export function indexedSignaturesToJson(
  signatures: Array<{ ownerIndex: number; signature: Uint8Array }>,
): IndexedSignatureJson[] {
  return signatures.map((s) => ({ ownerIndex: s.ownerIndex, signature: hexToJson(s.signature) }));
}

export function readIndexedSignatures(
  value: unknown,
  path: string,
): Array<{ ownerIndex: number; signature: Uint8Array }> {
  const signatures = readArray(value, path, MAX_MULTISIG_OWNERS, (v, p) => {
    const o = readObject(v, p, ['ownerIndex', 'signature']);
    return {
      ownerIndex: readInteger(o.ownerIndex, childPath(p, 'ownerIndex'), 0, MAX_MULTISIG_OWNERS - 1),
      signature: readHex(o.signature, childPath(p, 'signature'), SIGNATURE_BYTES),
    };
  });
  signatures.forEach((entry, i) => {
    const previous = signatures[i - 1];
    if (previous !== undefined && previous.ownerIndex >= entry.ownerIndex) {
      throw jsonInvalid(
        childPath(indexPath(path, i), 'ownerIndex'),
        'invalid_value',
        'owner indexes must be strictly ascending',
      );
    }
  });
  return signatures;
}

/** The JSON form of an escrow or time-lock operation. */
export function escrowOrTimelockToJson(
  operation: EscrowOrTimelockOperation,
  options: JsonOptions,
): EscrowOrTimelockOperationJson {
  const prefix = options.addressPrefix;
  switch (operation.type) {
    case 'escrow_lock':
      return {
        type: 'escrow_lock',
        merchant: addressToJson(operation.merchant, prefix),
        amount: amountToJson(operation.amount),
        orderId: operation.orderId,
        deadlineMs: u64ToJson(operation.deadlineMs),
        arbiter: operation.arbiter === null ? null : addressToJson(operation.arbiter, prefix),
        oracle: operation.oracle === null ? null : addressToJson(operation.oracle, prefix),
        memo: operation.memo,
      };
    case 'escrow_release':
    case 'escrow_refund':
    case 'escrow_dispute':
      return {
        type: operation.type,
        escrowId: hexToJson(operation.escrowId),
        authorization: authorizationToJson(operation.authorization),
      };
    case 'escrow_settle':
      return {
        type: 'escrow_settle',
        escrowId: hexToJson(operation.escrowId),
        buyerAmount: amountToJson(operation.buyerAmount),
        authorization: authorizationToJson(operation.authorization),
      };
    case 'timelock_create':
      return {
        type: 'timelock_create',
        to: addressToJson(operation.to, prefix),
        amount: amountToJson(operation.amount),
        unlockHeight: u64ToJson(operation.unlockHeight),
        memo: operation.memo,
      };
    case 'timelock_claim':
      return {
        type: 'timelock_claim',
        timelockId: hexToJson(operation.timelockId),
        authorization: authorizationToJson(operation.authorization),
      };
    case 'timelock_cancel':
      return { type: 'timelock_cancel', timelockId: hexToJson(operation.timelockId) };
  }
}

/** Reads an escrow or time-lock operation of `type` (already checked) strictly. */
export function escrowOrTimelockFromJson(
  json: unknown,
  type: EscrowOrTimelockOperation['type'],
  options: JsonOptions,
  path: string,
): EscrowOrTimelockOperation {
  const prefix = options.addressPrefix;
  const at = (key: string) => childPath(path, key);
  const optionalAddress = (value: unknown, key: string) =>
    readNullable(value, at(key), (v, p) => readAddress(v, p, prefix));
  switch (type) {
    case 'escrow_lock': {
      const o = readObject(json, path, [
        'type',
        'merchant',
        'amount',
        'orderId',
        'deadlineMs',
        'arbiter',
        'oracle',
        'memo',
      ]);
      return {
        type,
        merchant: readAddress(o.merchant, at('merchant'), prefix),
        amount: readAmount(o.amount, at('amount')),
        orderId: readString(o.orderId, at('orderId'), MAX_REFERENCE_BYTES),
        deadlineMs: readU64String(o.deadlineMs, at('deadlineMs')),
        arbiter: optionalAddress(o.arbiter, 'arbiter'),
        oracle: optionalAddress(o.oracle, 'oracle'),
        memo: readString(o.memo, at('memo'), MAX_MEMO_BYTES),
      };
    }
    case 'escrow_release':
    case 'escrow_refund':
    case 'escrow_dispute': {
      const o = readObject(json, path, ['type', 'escrowId', 'authorization']);
      return {
        type,
        escrowId: readHex(o.escrowId, at('escrowId'), HASH_BYTES),
        authorization: readAuthorization(o.authorization, at('authorization')),
      };
    }
    case 'escrow_settle': {
      const o = readObject(json, path, ['type', 'escrowId', 'buyerAmount', 'authorization']);
      return {
        type,
        escrowId: readHex(o.escrowId, at('escrowId'), HASH_BYTES),
        buyerAmount: readAmount(o.buyerAmount, at('buyerAmount')),
        authorization: readAuthorization(o.authorization, at('authorization')),
      };
    }
    case 'timelock_create': {
      const o = readObject(json, path, ['type', 'to', 'amount', 'unlockHeight', 'memo']);
      return {
        type,
        to: readAddress(o.to, at('to'), prefix),
        amount: readAmount(o.amount, at('amount')),
        unlockHeight: readU64String(o.unlockHeight, at('unlockHeight')),
        memo: readString(o.memo, at('memo'), MAX_MEMO_BYTES),
      };
    }
    case 'timelock_claim': {
      const o = readObject(json, path, ['type', 'timelockId', 'authorization']);
      return {
        type,
        timelockId: readHex(o.timelockId, at('timelockId'), HASH_BYTES),
        authorization: readAuthorization(o.authorization, at('authorization')),
      };
    }
    case 'timelock_cancel': {
      const o = readObject(json, path, ['type', 'timelockId']);
      return { type, timelockId: readHex(o.timelockId, at('timelockId'), HASH_BYTES) };
    }
  }
}

export function multisigCreateToJson(operation: MultisigCreateOperation): MultisigCreateOperationJson {
  return {
    type: 'multisig_create',
    owners: operation.owners.map(hexToJson),
    threshold: operation.threshold,
    salt: u64ToJson(operation.salt),
  };
}

export function multisigCreateFromJson(json: unknown, path: string): MultisigCreateOperation {
  const o = readObject(json, path, ['type', 'owners', 'threshold', 'salt']);
  return {
    type: 'multisig_create',
    owners: readOwners(o.owners, childPath(path, 'owners')),
    threshold: readThreshold(o.threshold, childPath(path, 'threshold')),
    salt: readU64String(o.salt, childPath(path, 'salt')),
  };
}

export function multisigUpdateToJson(operation: MultisigUpdateOperation): MultisigUpdateOperationJson {
  return { type: 'multisig_update', owners: operation.owners.map(hexToJson), threshold: operation.threshold };
}

export function multisigUpdateFromJson(json: unknown, path: string): MultisigUpdateOperation {
  const o = readObject(json, path, ['type', 'owners', 'threshold']);
  return {
    type: 'multisig_update',
    owners: readOwners(o.owners, childPath(path, 'owners')),
    threshold: readThreshold(o.threshold, childPath(path, 'threshold')),
  };
}

export function issuerControlToJson(
  operation: IssuerControlOperation,
  options: JsonOptions,
): IssuerControlOperationJson {
  return {
    type: 'issuer_control',
    action: operation.action,
    target: operation.target === null ? null : addressToJson(operation.target, options.addressPrefix),
    controlNonce: u64ToJson(operation.controlNonce),
    signatures: indexedSignaturesToJson(operation.signatures),
  };
}

export function issuerControlFromJson(
  json: unknown,
  options: JsonOptions,
  path: string,
): IssuerControlOperation {
  const o = readObject(json, path, ['type', 'action', 'target', 'controlNonce', 'signatures']);
  const at = (key: string) => childPath(path, key);
  const action = readLiteral(o.action, at('action'), ISSUER_ACTIONS);
  const target = readNullable(o.target, at('target'), (v, p) => readAddress(v, p, options.addressPrefix));
  const needsTarget = action === 'freeze' || action === 'unfreeze';
  if (needsTarget !== (target !== null)) {
    throw jsonInvalid(
      at('target'),
      'invalid_value',
      needsTarget ? `a ${action} needs a target` : `a ${action} takes no target (null)`,
    );
  }
  return {
    type: 'issuer_control',
    action,
    target,
    controlNonce: readU64String(o.controlNonce, at('controlNonce')),
    signatures: readIndexedSignatures(o.signatures, at('signatures')),
  };
}
