import { equalBytes, ShardpayError } from '@shardpay/crypto';
import type { Operation, Transaction } from '@shardpay/protocol';
import type { WalletAccount } from './createAccountFromPrivateKey.ts';
import {
  type AmountInput,
  type CounterInput,
  readAddressInput,
  readAmountInput,
  readCounterInput,
  readMemoInput,
  readReferenceInput,
} from './inputs.ts';

/** What every builder takes besides the operation. */
export interface BuildCommonParameters {
  /** The signing account; the transaction runs on its home shard of its network. */
  from: WalletAccount;
  /** The sender's next nonce (a node's `pendingNonce`). BAD_NONCE unless 0..2^64-1. */
  nonce: CounterInput;
  /** The last height of the sender's shard that may include it. ENCODE_ERROR unless 0..2^64-1. */
  expiryHeight: CounterInput;
  /** Optional: must equal the network's flat fee (FEE_INVALID otherwise); defaults to it. */
  fee?: AmountInput;
}

export interface BuildTransferParameters extends BuildCommonParameters {
  to: string;
  amount: AmountInput;
  memo?: string;
}

export interface BuildPayParameters extends BuildCommonParameters {
  merchant: string;
  amount: AmountInput;
  /** The merchant's id for this payment (an invoice id): accepted once per merchant. */
  paymentId: string;
  memo?: string;
}

export interface BuildMintParameters extends BuildCommonParameters {
  to: string;
  amount: AmountInput;
  /** The card charge id: each is minted once. */
  reference: string;
}

export interface BuildBurnParameters extends BuildCommonParameters {
  amount: AmountInput;
  /** Names the bank payout this burn pays for. */
  payoutReference: string;
}

/** KEY_INVALID unless `from` is a WalletAccount (checked before its network is read). */
export function assertAccount(from: WalletAccount): void {
  if (typeof from !== 'object' || from === null || typeof from.signTransaction !== 'function') {
    throw new ShardpayError(
      'KEY_INVALID',
      'from is a WalletAccount (createWallet, createAccountFromPrivateKey)',
      {
        meta: { key: 'private', field: 'from' },
      },
    );
  }
}

function readFee(fee: AmountInput | undefined, flatFee: bigint): bigint {
  if (fee === undefined) return flatFee;
  const given = readAmountInput(fee, 'fee', { allowZero: true });
  if (given !== flatFee) {
    throw new ShardpayError('FEE_INVALID', "the fee is the network's flat fee", {
      meta: { field: 'fee', fee: given.toString(), flatFee: flatFee.toString() },
    });
  }
  return given;
}

/**
 * Signs any operation from `from` on its home shard, with the network's chain id and fee. The
 * builders below check their inputs and call this; call it directly with an `Operation` you built.
 */
export function buildTransaction(parameters: BuildCommonParameters & { operation: Operation }): Transaction {
  const { from, operation } = parameters;
  assertAccount(from);
  const network = from.network;
  const nonce = readCounterInput(parameters.nonce, 'nonce', 'BAD_NONCE');
  const expiryHeight = readCounterInput(parameters.expiryHeight, 'expiryHeight', 'ENCODE_ERROR');
  const fee = readFee(parameters.fee, network.flatFee);
  return from.signTransaction({
    chainId: network.chainId,
    shard: from.shard,
    nonce,
    fee,
    expiryHeight,
    publicKey: from.publicKey,
    operation,
  });
}

/**
 * A signed transfer of `amount` to the address `to`, with an optional memo.
 *
 * @example buildTransfer({ from: wallet.account(0), to: 'spd1…', amount: '12.50', nonce: 0n, expiryHeight: 1000n })
 */
export function buildTransfer(parameters: BuildTransferParameters): Transaction {
  assertAccount(parameters.from);
  const network = parameters.from.network;
  return buildTransaction({
    ...parameters,
    operation: {
      type: 'transfer',
      to: readAddressInput(parameters.to, 'to', network),
      amount: readAmountInput(parameters.amount, 'amount'),
      memo: readMemoInput(parameters.memo),
    },
  });
}

/** A signed payment to `merchant` under `paymentId` (refused by the merchant's shard if already used). */
export function buildPay(parameters: BuildPayParameters): Transaction {
  assertAccount(parameters.from);
  const network = parameters.from.network;
  return buildTransaction({
    ...parameters,
    operation: {
      type: 'pay',
      merchant: readAddressInput(parameters.merchant, 'merchant', network),
      amount: readAmountInput(parameters.amount, 'amount'),
      paymentId: readReferenceInput(parameters.paymentId, 'paymentId'),
      memo: readMemoInput(parameters.memo),
    },
  });
}

/** A signed mint of new stablecoin to `to`; NOT_ISSUER unless `from` is one of the network's issuers. */
export function buildMint(parameters: BuildMintParameters): Transaction {
  assertAccount(parameters.from);
  const { from } = parameters;
  if (!from.network.issuers.some((issuer) => equalBytes(issuer, from.addressBytes))) {
    throw new ShardpayError('NOT_ISSUER', `account ${from.address} is not an issuer of this network`, {
      meta: { address: from.address },
    });
  }
  return buildTransaction({
    ...parameters,
    operation: {
      type: 'mint',
      to: readAddressInput(parameters.to, 'to', from.network),
      amount: readAmountInput(parameters.amount, 'amount'),
      reference: readReferenceInput(parameters.reference, 'reference'),
    },
  });
}

/** A signed burn of `amount` from `from`'s balance, for the bank payout `payoutReference`. */
export function buildBurn(parameters: BuildBurnParameters): Transaction {
  return buildTransaction({
    ...parameters,
    operation: {
      type: 'burn',
      amount: readAmountInput(parameters.amount, 'amount'),
      payoutReference: readReferenceInput(parameters.payoutReference, 'payoutReference'),
    },
  });
}
