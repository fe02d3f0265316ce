/**
 * One fixed value per commerce operation (escrow, time locks, multisig, issuer controls), built
 * from fixed bytes, so that `commerceCodec.test.ts` can pin their canonical hex.
 */
import { compareBytes, publicKeyFromPrivateKey, sha256, utf8ToBytes } from '@shardpay/crypto';
import type { Operation } from '../src/index.ts';
import { testPrivateKey } from './fixtures.ts';

const fill = (length: number, byte: number) => new Uint8Array(length).fill(byte);
const hashOf = (label: string) => sha256(utf8ToBytes(label));
const keyOf = (label: string) => publicKeyFromPrivateKey(testPrivateKey(label));
/** Three owner keys, ascending as the codec requires. */
export const vectorOwners = ['owner 0', 'owner 1', 'owner 2'].map(keyOf).sort(compareBytes);
const authorization = { publicKey: keyOf('oracle'), signature: fill(64, 0x5a) };

export const commerceVectorOperations: Array<[string, Operation]> = [
  [
    'escrow_lock with arbiter and oracle',
    {
      type: 'escrow_lock',
      merchant: fill(20, 0x4d),
      amount: 25_000_000n,
      orderId: 'inv_42',
      deadlineMs: 1_767_225_600_000n,
      arbiter: fill(20, 0xa1),
      oracle: fill(20, 0x0c),
      memo: 'order 42',
    },
  ],
  [
    'escrow_lock without arbiter or oracle',
    {
      type: 'escrow_lock',
      merchant: fill(20, 0x4d),
      amount: 1n,
      orderId: 'o',
      deadlineMs: 0n,
      arbiter: null,
      oracle: null,
      memo: '',
    },
  ],
  [
    'escrow_release by the buyer',
    { type: 'escrow_release', escrowId: hashOf('escrow 1'), authorization: null },
  ],
  ['escrow_release by the oracle', { type: 'escrow_release', escrowId: hashOf('escrow 1'), authorization }],
  ['escrow_refund', { type: 'escrow_refund', escrowId: hashOf('escrow 2'), authorization: null }],
  ['escrow_dispute', { type: 'escrow_dispute', escrowId: hashOf('escrow 3'), authorization }],
  [
    'escrow_settle',
    { type: 'escrow_settle', escrowId: hashOf('escrow 3'), buyerAmount: 10_000_000n, authorization },
  ],
  [
    'timelock_create',
    { type: 'timelock_create', to: fill(20, 0xb0), amount: 5_000_000n, unlockHeight: 1_000n, memo: 'rent' },
  ],
  ['timelock_claim', { type: 'timelock_claim', timelockId: hashOf('timelock 1'), authorization: null }],
  ['timelock_cancel', { type: 'timelock_cancel', timelockId: hashOf('timelock 1') }],
  ['multisig_create 2 of 3', { type: 'multisig_create', owners: vectorOwners, threshold: 2, salt: 7n }],
  [
    'multisig_execute of a transfer',
    {
      type: 'multisig_execute',
      account: fill(20, 0x33),
      accountNonce: 0n,
      operation: { type: 'transfer', to: fill(20, 0xb0), amount: 3_000_000n, memo: '' },
      signatures: [
        { ownerIndex: 0, signature: fill(64, 0x01) },
        { ownerIndex: 2, signature: fill(64, 0x02) },
      ],
    },
  ],
  [
    'multisig_execute of an update',
    {
      type: 'multisig_execute',
      account: fill(20, 0x33),
      accountNonce: 1n,
      operation: { type: 'multisig_update', owners: vectorOwners.slice(0, 2), threshold: 1 },
      signatures: [{ ownerIndex: 1, signature: fill(64, 0x03) }],
    },
  ],
  ['multisig_update', { type: 'multisig_update', owners: vectorOwners, threshold: 3 }],
  [
    'issuer_control pause',
    {
      type: 'issuer_control',
      action: 'pause',
      target: null,
      controlNonce: 0n,
      signatures: [
        { ownerIndex: 0, signature: fill(64, 0x04) },
        { ownerIndex: 1, signature: fill(64, 0x05) },
      ],
    },
  ],
  [
    'issuer_control freeze',
    {
      type: 'issuer_control',
      action: 'freeze',
      target: fill(20, 0xf0),
      controlNonce: 3n,
      signatures: [{ ownerIndex: 2, signature: fill(64, 0x06) }],
    },
  ],
];
