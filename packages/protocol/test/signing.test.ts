import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addressFromPublicKey,
  domainHash,
  equalBytes,
  publicKeyFromPrivateKey,
  sha256,
} from '@shardpay/crypto';
import fc from 'fast-check';
import {
  certificateId,
  decodeBlock,
  decodeTransaction,
  encodeBlock,
  encodeBlockHeader,
  encodeCommitCertificate,
  encodeNetworkConfig,
  encodeProposalBody,
  encodeReceipt,
  encodeTransaction,
  encodeTransactionBody,
  encodeVoteBody,
  genesisHash,
  headerId,
  isProposalSignatureValid,
  isShardpayError,
  isTransactionSignatureValid,
  isVoteSignatureValid,
  proposalSigningHash,
  receiptId,
  signProposal,
  signTransaction,
  signVote,
  transactionId,
  transactionSender,
  transactionSigningHash,
  voteSigningHash,
} from '../src/index.ts';
import * as arb from './arbitraries.ts';
import { assertThrowsCode } from './assertions.ts';
import { testPrivateKey } from './fixtures.ts';
import { propertyParameters } from './propertyParameters.ts';

const senderKeys = ['alice', 'bob', 'carol'].map(testPrivateKey);

/** An arbitrary body whose public key is one of the fixed senders', with that private key. */
const signableBody = fc
  .tuple(arb.transactionBody, fc.constantFrom(...senderKeys))
  .map(([body, privateKey]) => ({
    body: { ...body, publicKey: publicKeyFromPrivateKey(privateKey) },
    privateKey,
  }));

describe('transaction signing', () => {
  it('signs and verifies; the sender is the address of the public key', () => {
    fc.assert(
      fc.property(signableBody, ({ body, privateKey }) => {
        const tx = signTransaction(body, privateKey);
        assert.ok(isTransactionSignatureValid(tx));
        assert.ok(isTransactionSignatureValid(decodeTransaction(encodeTransaction(tx))));
        assert.deepStrictEqual(transactionSender(tx), addressFromPublicKey(body.publicKey));
      }),
      propertyParameters(200),
    );
  });

  it('any changed byte of a signed transaction makes it undecodable or its signature invalid', () => {
    fc.assert(
      fc.property(
        signableBody,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        ({ body, privateKey }, position, xor) => {
          const bytes = encodeTransaction(signTransaction(body, privateKey)).slice();
          const i = position % bytes.length;
          bytes[i] = (bytes[i] ?? 0) ^ xor;
          let mutated: ReturnType<typeof decodeTransaction>;
          try {
            mutated = decodeTransaction(bytes);
          } catch (error) {
            assert.ok(isShardpayError(error, 'DECODE_ERROR'), String(error));
            return;
          }
          assert.equal(
            isTransactionSignatureValid(mutated),
            false,
            `byte ${i} changed, signature still valid`,
          );
        },
      ),
      propertyParameters(),
    );
  });

  it('the signing hash is domainHash(shardpay/tx/v1, body encoding), which binds chain and shard', () => {
    fc.assert(
      fc.property(signableBody, ({ body, privateKey }) => {
        assert.deepStrictEqual(
          transactionSigningHash(body),
          domainHash('shardpay/tx/v1', encodeTransactionBody(body)),
        );
        const tx = signTransaction(body, privateKey);
        assert.equal(isTransactionSignatureValid({ ...tx, chainId: `${tx.chainId.slice(0, 60)}!` }), false);
        assert.equal(isTransactionSignatureValid({ ...tx, shard: (tx.shard + 1) % 0x10000 }), false);
      }),
      propertyParameters(200),
    );
  });

  it('ignores a stale signature on the input and refuses a key that is not the body key', () => {
    const [body] = fc.sample(signableBody, { numRuns: 1, seed: 3 });
    assert.ok(body !== undefined);
    const signed = signTransaction(body.body, body.privateKey);
    const resigned = signTransaction(
      { ...signed, signature: new Uint8Array(64) } as typeof body.body,
      body.privateKey,
    );
    assert.deepStrictEqual(resigned, signed);
    assertThrowsCode(() => signTransaction(body.body, testPrivateKey('mallory')), 'KEY_MISMATCH');
  });

  it('malformed signatures and keys verify as false instead of throwing', () => {
    const [body] = fc.sample(signableBody, { numRuns: 1, seed: 4 });
    assert.ok(body !== undefined);
    const tx = signTransaction(body.body, body.privateKey);
    assert.equal(isTransactionSignatureValid({ ...tx, signature: new Uint8Array(63) }), false);
    assert.equal(isTransactionSignatureValid({ ...tx, publicKey: new Uint8Array(33) }), false);
    assert.equal(isTransactionSignatureValid({ ...tx, nonce: -1n }), false);
  });
});

describe('vote and proposal signing', () => {
  const validator = testPrivateKey('validator 0');
  const other = testPrivateKey('validator 1');
  const validatorPublicKey = publicKeyFromPrivateKey(validator);

  it('votes verify against the signer only, and the hash is domainHash(shardpay/vote/v1, …)', () => {
    fc.assert(
      fc.property(arb.voteBody, (body) => {
        assert.deepStrictEqual(voteSigningHash(body), domainHash('shardpay/vote/v1', encodeVoteBody(body)));
        const vote = signVote(body, validator);
        assert.ok(isVoteSignatureValid(vote, validatorPublicKey));
        assert.equal(isVoteSignatureValid(vote, publicKeyFromPrivateKey(other)), false);
        assert.equal(
          isVoteSignatureValid({ ...vote, round: (vote.round + 1) % 2 ** 32 }, validatorPublicKey),
          false,
        );
      }),
      propertyParameters(200),
    );
  });

  it('proposals verify against the signer only, and the hash is domainHash(shardpay/proposal/v1, …)', () => {
    fc.assert(
      fc.property(arb.proposalBody, (body) => {
        assert.deepStrictEqual(
          proposalSigningHash(body),
          domainHash('shardpay/proposal/v1', encodeProposalBody(body)),
        );
        const proposal = signProposal(body, validator);
        assert.ok(isProposalSignatureValid(proposal, validatorPublicKey));
        assert.equal(isProposalSignatureValid(proposal, publicKeyFromPrivateKey(other)), false);
        const moved = { ...proposal, validRound: proposal.validRound === -1 ? 0 : -1 };
        assert.equal(isProposalSignatureValid(moved, validatorPublicKey), false);
      }),
      propertyParameters(200),
    );
  });

  it('a vote signature is not a proposal signature over the same fields', () => {
    const body = { chainId: 'c', shard: 0, height: 5n, round: 0, blockHash: new Uint8Array(32).fill(7) };
    const vote = signVote({ ...body, type: 'prevote', validatorIndex: 0 }, validator);
    const proposal = { ...body, validRound: -1, proposerIndex: 0, signature: vote.signature };
    assert.equal(isProposalSignatureValid(proposal, validatorPublicKey), false);
  });
});

describe('ids are sha256 of the canonical encodings', () => {
  it('transaction, header, receipt, certificate and genesis ids', () => {
    fc.assert(
      fc.property(
        arb.transaction,
        arb.blockHeader,
        arb.receipt,
        arb.commitCertificate,
        (tx, header, receipt, cert) => {
          assert.deepStrictEqual(transactionId(tx), sha256(encodeTransaction(tx)));
          assert.deepStrictEqual(headerId(header), sha256(encodeBlockHeader(header)));
          assert.deepStrictEqual(receiptId(receipt), sha256(encodeReceipt(receipt)));
          assert.deepStrictEqual(certificateId(cert), sha256(encodeCommitCertificate(cert)));
          // The signature is part of the id: a re-signed transaction is a different transaction.
          const flipped = tx.signature.slice();
          flipped[0] = (flipped[0] ?? 0) ^ 1;
          assert.ok(!equalBytes(transactionId({ ...tx, signature: flipped }), transactionId(tx)));
        },
      ),
      propertyParameters(200),
    );
    fc.assert(
      fc.property(arb.networkConfig, (config) => {
        assert.deepStrictEqual(genesisHash(config), sha256(encodeNetworkConfig(config)));
      }),
      propertyParameters(50),
    );
  });
});

describe('decoded transactions carry the id of the bytes they came from', () => {
  it('a decoded transaction, alone or in a block, has the id of its encoding, is frozen, and copies get their own id', () => {
    fc.assert(
      fc.property(arb.block, (block) => {
        const decodedBlock = decodeBlock(encodeBlock(block));
        const decoded = [
          ...block.transactions.map((tx) => decodeTransaction(encodeTransaction(tx))),
          ...decodedBlock.transactions,
        ];
        for (const tx of decoded) {
          assert.deepStrictEqual(transactionId(tx), sha256(encodeTransaction(tx)));
          assert.ok(Object.isFrozen(tx) && Object.isFrozen(tx.operation));
          assert.throws(() => {
            (tx as { nonce: bigint }).nonce = tx.nonce + 1n;
          }, TypeError);
          // A spread is another transaction: its id is computed from its own fields.
          const changed = { ...tx, nonce: tx.nonce === 0n ? 1n : 0n };
          assert.deepStrictEqual(transactionId(changed), sha256(encodeTransaction(changed)));
          assert.ok(!equalBytes(transactionId(changed), transactionId(tx)));
        }
        assert.deepStrictEqual(decodedBlock, block);
      }),
      propertyParameters(100),
    );
  });
});
