import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex } from '@shardpay/crypto';
import {
  blockHeaderFromJson,
  commitCertificateToJson,
  formatAmount,
  parseAmount,
  receiptFromJson,
  receiptId,
} from '@shardpay/protocol';
import {
  type GatewayAccountProof,
  type GatewayReceiptProof,
  type ProofVerification,
  verifyAccountProofResponse,
  verifyReceiptProofResponse,
} from '@shardpay/sdk';
import { certify, createProofNetwork, proofAnswers, validatorKeys } from './helpers/proofFixtures.ts';

const config = createProofNetwork();
const answers = proofAnswers(config);

function outcome(result: ProofVerification): Record<string, boolean> {
  return Object.fromEntries(result.checks.map((check) => [check.name, check.passed]));
}

const copy = <T>(value: T): T => structuredClone(value);

describe('verifyAccountProofResponse', () => {
  it('passes every check for an honest answer', () => {
    const result = verifyAccountProofResponse(answers.account, config);
    assert.deepEqual(outcome(result), { answer: true, certificate: true, header: true, proof: true });
    assert.equal(result.valid, true);
    assert.equal(result.reason, null);
    assert.match(result.checks[1]!.detail, /3 of 4 validators signed block 7 \(a quorum is 3\)/);
    assert.match(result.checks[3]!.detail, /Balance 125\.500000 and nonce 0/);
  });

  it('fails the proof when the balance was changed', () => {
    const tampered: GatewayAccountProof = {
      ...copy(answers.account),
      balance: formatAmount(parseAmount(answers.account.balance) + 1n),
    };
    const result = verifyAccountProofResponse(tampered, config);
    assert.deepEqual(outcome(result), { answer: true, certificate: true, header: true, proof: false });
    assert.equal(result.valid, false);
    assert.match(result.reason ?? '', /state root/);
  });

  it('fails the proof when the nonce or a proof byte was changed', () => {
    assert.equal(verifyAccountProofResponse({ ...copy(answers.account), nonce: '1' }, config).valid, false);
    const proof = answers.account.proof;
    const flipped = `${proof.slice(0, 140)}${proof[140] === '0' ? '1' : '0'}${proof.slice(141)}`;
    const result = verifyAccountProofResponse({ ...copy(answers.account), proof: flipped }, config);
    assert.equal(outcome(result).proof, false);
  });

  it("fails the certificate against another network's committee", () => {
    const other = createProofNetwork('impostor');
    const result = verifyAccountProofResponse(answers.account, { ...config, committees: other.committees });
    assert.deepEqual(outcome(result), { answer: true, certificate: false, header: true, proof: true });
    assert.match(result.reason ?? '', /signature does not verify/);
  });

  it('fails a certificate signed by the wrong keys or by fewer than a quorum', () => {
    const header = blockHeaderFromJson(answers.account.header);
    const forged = commitCertificateToJson(certify(header, validatorKeys(0, 'impostor')));
    const byForged = verifyAccountProofResponse({ ...copy(answers.account), certificate: forged }, config);
    assert.equal(outcome(byForged).certificate, false);
    const few = commitCertificateToJson(certify(header, validatorKeys(0), [0, 2]));
    const byFew = verifyAccountProofResponse({ ...copy(answers.account), certificate: few }, config);
    assert.equal(outcome(byFew).certificate, false);
    assert.match(byFew.reason ?? '', /2 signatures, a quorum is 3/);
  });

  it('fails at a wrong height: the certificate and the header are of another block', () => {
    const result = verifyAccountProofResponse({ ...copy(answers.account), height: '8' }, config);
    assert.deepEqual(outcome(result), { answer: true, certificate: false, header: false, proof: true });
    assert.match(result.reason ?? '', /height 7, expected 8/);
  });

  it('fails the header when it was changed after signing', () => {
    const account = copy(answers.account);
    account.header.timestampMs = String(BigInt(account.header.timestampMs) + 1n);
    const result = verifyAccountProofResponse(account, config);
    assert.deepEqual(outcome(result), { answer: true, certificate: true, header: false, proof: true });
  });

  it('never throws on a malformed answer', () => {
    for (const broken of [
      { ...copy(answers.account), proof: 'zz' },
      { ...copy(answers.account), header: null },
      { ...copy(answers.account), address: 'spd1nope' },
      { ...copy(answers.account), shard: 1 },
      null,
    ]) {
      const result = verifyAccountProofResponse(broken as unknown as GatewayAccountProof, config);
      assert.equal(result.valid, false);
      assert.equal(result.checks[0]!.passed, false);
      assert.equal(result.checks.length, 4);
    }
  });
});

describe('verifyReceiptProofResponse', () => {
  it('passes every check for an honest answer', () => {
    const result = verifyReceiptProofResponse(answers.receipt, config);
    assert.deepEqual(outcome(result), { answer: true, certificate: true, header: true, proof: true });
    assert.match(result.checks[3]!.detail, /Receipt 2 of 3 of block 7/);
  });

  it('fails when the amount was changed, with or without a matching receipt id', () => {
    const receipt = copy(answers.receipt);
    receipt.receipt.amount = '200.000000';
    assert.equal(verifyReceiptProofResponse(receipt, config).checks[0]!.passed, false);
    // A consistent forgery (the id recomputed from the changed receipt) is caught by the Merkle proof.
    const forged = receiptFromJson(receipt.receipt, { addressPrefix: config.addressPrefix });
    receipt.receipt_id = bytesToHex(receiptId(forged));
    const result = verifyReceiptProofResponse(receipt, config);
    assert.deepEqual(outcome(result), { answer: true, certificate: true, header: true, proof: false });
  });

  it('fails the Merkle proof when a sibling was changed', () => {
    const receipt = copy(answers.receipt);
    const sibling = receipt.proof.siblings[0]!;
    receipt.proof.siblings[0] = `${sibling[0] === 'a' ? 'b' : 'a'}${sibling.slice(1)}`;
    const result = verifyReceiptProofResponse(receipt, config);
    assert.deepEqual(outcome(result), { answer: true, certificate: true, header: true, proof: false });
  });

  it("fails the certificate against the wrong shard's committee", () => {
    const swapped = {
      ...config,
      committees: [{ ...config.committees[1]!, shard: 0 }, config.committees[1]!],
    };
    const result = verifyReceiptProofResponse(answers.receipt, swapped);
    assert.equal(outcome(result).certificate, false);
  });

  it('fails an answer whose shard is not the receipt source', () => {
    const result = verifyReceiptProofResponse(
      { ...copy(answers.receipt), shard: 1 } as GatewayReceiptProof,
      config,
    );
    assert.equal(result.valid, false);
    assert.match(result.reason ?? '', /comes from shard 0/);
  });
});
