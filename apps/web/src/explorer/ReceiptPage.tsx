import { verifyReceiptProofResponse } from '@shardpay/sdk';
import { useCallback } from 'react';
import { Link, useParams } from 'react-router';
import { useApp } from '../app/AppContext.tsx';
import { Alert, Status } from '../ui/Messages.tsx';
import { formatUsd } from '../ui/money.ts';
import { explorerClient } from './explorerClient.ts';
import { shortHex } from './format.ts';
import { StageList } from './StageList.tsx';
import { useLoaded } from './useLoaded.ts';
import { VerifyPanel } from './VerifyPanel.tsx';
import './explorer.css';

/**
 * `/explorer/receipts/:shard/:receiptId` (shard = the source shard): a cross-shard receipt, the
 * stages of its transaction, and its inclusion proof verified in the browser.
 */
export default function ReceiptPage() {
  const params = useParams();
  const shard = Number(params.shard);
  const receiptId = params.receiptId ?? '';
  const { network } = useApp();
  const loaded = useLoaded(
    useCallback(async () => {
      const answer = await explorerClient().receiptProof(shard, receiptId);
      // The stages are a convenience; the receipt itself is what the page is about.
      const tx = await explorerClient()
        .transaction(answer.receipt.txId)
        .catch(() => null);
      return { answer, tx };
    }, [shard, receiptId]),
  );
  const receipt = loaded.value?.answer.receipt;
  const tx = loaded.value?.tx ?? null;
  const verify = async () => {
    const [answer, config] = await Promise.all([explorerClient().receiptProof(shard, receiptId), network()]);
    return verifyReceiptProofResponse(answer, config);
  };
  return (
    <section className="explorer">
      <p className="crumbs">
        <Link to="/explorer">Explorer</Link> › <Link to={`/explorer/shards/${shard}`}>Shard {shard}</Link> ›
        Receipt
      </p>
      <h1>Cross-shard receipt</h1>
      <p className="mono wrap">{receiptId}</p>
      {loaded.loading ? <Status>Loading the receipt…</Status> : null}
      <Alert message={loaded.error} />
      {receipt === undefined ? null : (
        <>
          <div className="card">
            <p className="balance">{formatUsd(receipt.amount)}</p>
            <dl className="facts">
              <dt>Kind</dt>
              <dd>
                {receipt.kind === 'refund' ? 'Refund' : 'Credit'} of a{' '}
                {receipt.operation.replaceAll('_', ' ')}
              </dd>
              <dt>From</dt>
              <dd className="mono">
                <Link to={`/explorer/accounts/${receipt.from}`}>{shortHex(receipt.from, 14)}</Link> on shard{' '}
                {receipt.sourceShard}
              </dd>
              <dt>To</dt>
              <dd className="mono">
                <Link to={`/explorer/accounts/${receipt.to}`}>{shortHex(receipt.to, 14)}</Link> on shard{' '}
                {receipt.targetShard}
              </dd>
              <dt>Emitted in</dt>
              <dd>
                <Link to={`/explorer/shards/${receipt.sourceShard}/blocks/${receipt.sourceHeight}`}>
                  block {receipt.sourceHeight} of shard {receipt.sourceShard}
                </Link>{' '}
                (receipt {receipt.index + 1} of {loaded.value?.answer.proof.leafCount})
              </dd>
              <dt>Transaction</dt>
              <dd className="mono">
                <Link to={`/explorer/tx/${receipt.txId}`}>{shortHex(receipt.txId)}</Link>
              </dd>
            </dl>
          </div>
          {tx === null ? null : (
            <div className="card">
              <h2>Stages</h2>
              <StageList stages={tx.stages} />
            </div>
          )}
          <VerifyPanel label="Verify receipt" verify={verify} />
        </>
      )}
    </section>
  );
}
