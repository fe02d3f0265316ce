/**
 * Signing hashes of the commerce operations, and the multisig account address. Each is a
 * domainHash over canonical bytes (the codec's field forms, without an object kind byte) under its
 * own tag, so that a signature made for one purpose (say an oracle's delivery attestation) can
 * never be replayed as another (a refund, a time-lock claim, a transaction).
 */
import {
  domainHash,
  isShardpayError,
  publicKeyFromPrivateKey,
  ShardpayError,
  signHash,
  verifyHash,
} from '@shardpay/crypto';
import { writeOptionalAddress } from './codec/authorizationFields.ts';
import { ByteWriter, encodeError } from './codec/ByteWriter.ts';
import { writeAddress, writeChainId, writeHash } from './codec/fields.ts';
import { writeMultisigInnerOperation } from './codec/operationCodec.ts';
import { createTagTable, issuerControlActionTags } from './codec/tags.ts';
import type { Address, Authorization, Hash, IssuerControlAction, MultisigInnerOperation } from './types.ts';

export const CommerceSigningDomain = {
  escrowAction: 'shardpay/escrow-action/v1',
  timelockClaim: 'shardpay/timelock-claim/v1',
  multisig: 'shardpay/multisig/v1',
  issuerControl: 'shardpay/issuer-control/v1',
  multisigAddress: 'shardpay/multisig-address/v1',
} as const;

export type EscrowAction = 'release' | 'refund' | 'dispute' | 'settle';

/** Wire values of the escrow actions inside their signing bytes: never renumber. */
const escrowActionTags = createTagTable<EscrowAction>({ release: 1, refund: 2, dispute: 3, settle: 4 });

/** Canonical bytes written by `write`; a malformed input surfaces as ENCODE_ERROR, like the codec. */
function signingBytes(write: (writer: ByteWriter) => void): Uint8Array {
  const writer = new ByteWriter();
  try {
    write(writer);
  } catch (error) {
    if (isShardpayError(error)) throw error;
    throw new ShardpayError('ENCODE_ERROR', 'cannot encode a malformed value', {
      meta: { field: 'value', reason: 'malformed_value' },
      cause: error,
    });
  }
  return writer.finish();
}

/**
 * What a party signs to act on an escrow from another account's transaction:
 * domainHash('shardpay/escrow-action/v1', chainId ‖ escrowId ‖ u8 action ‖ u64 buyerAmount).
 * `buyerAmount` is the settlement's and must be 0 for the other actions. The oracle's delivery
 * attestation is its 'release' signature.
 */
export function escrowActionSigningHash(
  chainId: string,
  escrowId: Hash,
  action: EscrowAction,
  buyerAmount: bigint,
): Hash {
  return domainHash(
    CommerceSigningDomain.escrowAction,
    signingBytes((writer) => {
      writeChainId(writer, chainId);
      writeHash(writer, escrowId, 'escrowId');
      writer.u8(escrowActionTags.toTag(action, 'action'), 'action');
      if (action !== 'settle' && buyerAmount !== 0n) {
        throw encodeError('buyerAmount', 'out_of_range', 'only a settlement names a buyer amount');
      }
      writer.u64(buyerAmount, 'buyerAmount');
    }),
  );
}

/** What a time lock's receiver signs to let another account claim for it: chainId ‖ timelockId. */
export function timelockClaimSigningHash(chainId: string, timelockId: Hash): Hash {
  return domainHash(
    CommerceSigningDomain.timelockClaim,
    signingBytes((writer) => {
      writeChainId(writer, chainId);
      writeHash(writer, timelockId, 'timelockId');
    }),
  );
}

/**
 * What each owner of a multisig account signs:
 * domainHash('shardpay/multisig/v1', chainId ‖ account ‖ u64 accountNonce ‖ inner operation (tag + fields)).
 */
export function multisigSigningHash(
  chainId: string,
  account: Address,
  accountNonce: bigint,
  inner: MultisigInnerOperation,
): Hash {
  return domainHash(
    CommerceSigningDomain.multisig,
    signingBytes((writer) => {
      writeChainId(writer, chainId);
      writeAddress(writer, account, 'account');
      writer.u64(accountNonce, 'accountNonce');
      writeMultisigInnerOperation(writer, inner);
    }),
  );
}

/**
 * What each member of the issuer's control group signs:
 * domainHash('shardpay/issuer-control/v1', chainId ‖ u16 shard ‖ u64 controlNonce ‖ u8 action ‖
 * optional target). The shard is signed so that an action runs only where it was meant to.
 */
export function issuerControlSigningHash(
  chainId: string,
  shard: number,
  controlNonce: bigint,
  action: IssuerControlAction,
  target: Address | null,
): Hash {
  return domainHash(
    CommerceSigningDomain.issuerControl,
    signingBytes((writer) => {
      writeChainId(writer, chainId);
      writer.u16(shard, 'shard');
      writer.u64(controlNonce, 'controlNonce');
      writer.u8(issuerControlActionTags.toTag(action, 'action'), 'action');
      writeOptionalAddress(writer, target, 'target');
    }),
  );
}

/**
 * The address of the multisig account `creator` creates with `salt`:
 * domainHash('shardpay/multisig-address/v1', chainId ‖ creator ‖ u64 salt)[0..20]. No private key
 * exists for it, so only `multisig_execute` moves its money.
 */
export function multisigAddress(chainId: string, creator: Address, salt: bigint): Address {
  const hash = domainHash(
    CommerceSigningDomain.multisigAddress,
    signingBytes((writer) => {
      writeChainId(writer, chainId);
      writeAddress(writer, creator, 'creator');
      writer.u64(salt, 'salt');
    }),
  );
  return hash.slice(0, 20);
}

/** Signs `hash` (one of the hashes above) as the party whose key is `privateKey`. */
export function signAuthorization(hash: Hash, privateKey: Uint8Array): Authorization {
  return { publicKey: publicKeyFromPrivateKey(privateKey), signature: signHash(hash, privateKey) };
}

/** True when `auth` is a well-formed authorization whose signature verifies over `hash`; never throws. */
export function isAuthorizationValid(auth: Authorization, hash: Hash): boolean {
  try {
    if (typeof auth !== 'object' || auth === null) return false;
    return verifyHash(auth.signature, hash, auth.publicKey);
  } catch {
    return false;
  }
}
