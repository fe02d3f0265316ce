import { addressFromPublicKey, bytesToHex, encodeAddress, publicKeyFromPrivateKey } from '@shardpay/crypto';
import {
  accountProof,
  commitStateDiff,
  computeReceiptsRoot,
  createGenesisDiff,
  createMemoryShardStore,
  encodeAccountProof,
  openLedgerState,
  receiptInclusionProof,
} from '@shardpay/ledger';
import {
  type BlockHeader,
  blockHeaderToJson,
  type CommitCertificate,
  commitCertificateToJson,
  formatAmount,
  headerId,
  merkleProofToJson,
  type NetworkConfig,
  type Receipt,
  receiptId,
  receiptToJson,
  signVote,
} from '@shardpay/protocol';
import type { GatewayAccountProof, GatewayReceiptProof } from '@shardpay/sdk';
import { createTestNetworkConfig, testKeyOnShard, testPrivateKey } from './testNetwork.ts';

/** Validator keys of the fixture network: four per shard, so a quorum (3) is less than everyone. */
export function validatorKeys(shard: number, label = 'validator'): Uint8Array[] {
  return [0, 1, 2, 3].map((i) => testPrivateKey(`${label} ${shard}/${i}`));
}

/** A 2-shard test network whose committees are four validators from `label`'s keys, with two funded accounts. */
export function createProofNetwork(label = 'validator'): NetworkConfig {
  const base = createTestNetworkConfig();
  const holder = testKeyOnShard(base, 0, 'proof holder');
  const other = testKeyOnShard(base, 0, 'proof other');
  return {
    ...base,
    committees: [0, 1].map((shard) => ({
      shard,
      validators: validatorKeys(shard, label).map((key) => ({
        publicKey: publicKeyFromPrivateKey(key),
        addresses: [],
      })),
    })),
    initialBalances: [
      { address: addressOf(holder), amount: 125_500_000n },
      { address: addressOf(other), amount: 7_000_000n },
    ],
  };
}

function addressOf(key: Uint8Array): Uint8Array {
  return addressFromPublicKey(publicKeyFromPrivateKey(key));
}

/** The funded account the fixtures prove. */
export function holderAddress(config: NetworkConfig): Uint8Array {
  return config.initialBalances[0]!.address;
}

const HEIGHT = 7n;

function headerOf(
  config: NetworkConfig,
  shard: number,
  stateRoot: Uint8Array,
  receiptsRoot: Uint8Array,
): BlockHeader {
  return {
    chainId: config.chainId,
    shard,
    height: HEIGHT,
    timestampMs: config.genesisTimeMs + 7_000n,
    parentHash: new Uint8Array(32).fill(1),
    proposerIndex: 3,
    txRoot: new Uint8Array(32).fill(2),
    incomingRoot: new Uint8Array(32).fill(3),
    stateRoot,
    receiptsRoot,
    lastCommitHash: new Uint8Array(32).fill(4),
  };
}

/** A certificate of `header` signed by the validators at `signers` (indexes) of `keys`. */
export function certify(header: BlockHeader, keys: Uint8Array[], signers = [0, 1, 3]): CommitCertificate {
  const blockHash = headerId(header);
  return {
    chainId: header.chainId,
    shard: header.shard,
    height: header.height,
    round: 0,
    blockHash,
    signatures: signers.map((validatorIndex) => ({
      validatorIndex,
      signature: signVote(
        {
          chainId: header.chainId,
          shard: header.shard,
          height: header.height,
          round: 0,
          type: 'precommit',
          blockHash,
          validatorIndex,
        },
        keys[validatorIndex]!,
      ).signature,
    })),
  };
}

/** Receipts shard 0's block 7 emitted: three credits to shard 1. */
export function fixtureReceipts(config: NetworkConfig): Receipt[] {
  const from = holderAddress(config);
  return [0, 1, 2].map((index) => ({
    chainId: config.chainId,
    sourceShard: 0,
    targetShard: 1,
    sourceHeight: HEIGHT,
    index,
    kind: 'credit',
    txId: new Uint8Array(32).fill(10 + index),
    operation: 'transfer',
    from,
    to: testKeyAddress(config, index),
    amount: BigInt(index + 1) * 1_000_000n,
    paymentId: '',
    memo: '',
    refundOf: null,
  }));
}

function testKeyAddress(config: NetworkConfig, index: number): Uint8Array {
  return addressOf(testKeyOnShard(config, 1, `receipt target ${index}`));
}

/** The gateway's two proof answers for shard 0's block 7 of `config`, as JSON, built from a real ledger state. */
export function proofAnswers(config: NetworkConfig): {
  account: GatewayAccountProof;
  receipt: GatewayReceiptProof;
} {
  const store = createMemoryShardStore();
  const state = openLedgerState(store);
  commitStateDiff(state, createGenesisDiff(config, 0), store.applyDiff);
  const address = holderAddress(config);
  const proven = accountProof(state, address);
  if (proven === undefined) throw new Error('the fixture account is missing');
  const receipts = fixtureReceipts(config);
  const header = headerOf(config, 0, store.getMeta()!.stateRoot, computeReceiptsRoot(receipts));
  const certificate = commitCertificateToJson(certify(header, validatorKeys(0)));
  const headerJson = blockHeaderToJson(header);
  const receipt = receipts[1]!;
  return {
    account: {
      object: 'account_proof',
      address: encodeAddress(address, config.addressPrefix),
      shard: 0,
      balance: formatAmount(proven.account.balance),
      nonce: String(proven.account.nonce),
      height: String(HEIGHT),
      proof: bytesToHex(encodeAccountProof(proven.proof)),
      header: headerJson,
      certificate,
    },
    receipt: {
      object: 'receipt_proof',
      shard: 0,
      receipt_id: bytesToHex(receiptId(receipt)),
      height: String(HEIGHT),
      receipt: receiptToJson(receipt, { addressPrefix: config.addressPrefix }),
      proof: merkleProofToJson(receiptInclusionProof(receipts, 1)),
      header: headerJson,
      certificate,
    },
  };
}
