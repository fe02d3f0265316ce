import type { GatewayBlockSummary } from '@shardpay/sdk';
import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router';
import { describeError } from '../ui/describeError.ts';
import { Alert, Status } from '../ui/Messages.tsx';
import { explorerClient } from './explorerClient.ts';
import { formatTime, shortHex } from './format.ts';
import { useLoaded } from './useLoaded.ts';
import './explorer.css';

const PAGE = 20;

/** `/explorer/shards/:shard`: the shard's latest blocks, newest first, with older pages on demand. */
export default function ShardPage() {
  const shard = Number(useParams().shard);
  const [older, setOlder] = useState<GatewayBlockSummary[]>([]);
  const [hasMore, setHasMore] = useState<boolean | null>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  const latest = useLoaded(
    useCallback(async () => {
      setOlder([]);
      setHasMore(null);
      return explorerClient().blocks(shard, { limit: PAGE });
    }, [shard]),
  );
  const blocks = [...(latest.value?.data ?? []), ...older];
  const more = hasMore ?? latest.value?.has_more ?? false;
  const loadOlder = () => {
    const last = blocks.at(-1);
    if (last === undefined) return;
    setMoreError(null);
    explorerClient()
      .blocks(shard, { limit: PAGE, before: last.height })
      .then(
        (page) => {
          setOlder((previous) => [...previous, ...page.data]);
          setHasMore(page.has_more);
        },
        (error: unknown) => setMoreError(describeError(error)),
      );
  };
  return (
    <section className="explorer">
      <p className="crumbs">
        <Link to="/explorer">Explorer</Link> › Shard {shard}
      </p>
      <h1>Shard {shard}</h1>
      {latest.loading ? <Status>Loading the latest blocks…</Status> : null}
      <Alert message={latest.error} />
      {latest.value === null ? null : (
        <div className="table-scroll">
          <table className="data">
            <caption>Latest blocks of shard {shard}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Height</th>
                <th scope="col">Time</th>
                <th scope="col">Transactions</th>
                <th scope="col">Receipts out</th>
                <th scope="col">Hash</th>
              </tr>
            </thead>
            <tbody>
              {blocks.map((block) => (
                <tr key={block.height}>
                  <td>
                    <Link to={`/explorer/shards/${shard}/blocks/${block.height}`}>Block {block.height}</Link>
                  </td>
                  <td>{formatTime(block.time)}</td>
                  <td>{block.tx_count}</td>
                  <td>{block.receipt_count}</td>
                  <td className="mono" title={block.hash}>
                    {shortHex(block.hash, 8)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more ? (
        <button type="button" className="secondary" onClick={loadOlder}>
          Older blocks
        </button>
      ) : null}
      <Alert message={moreError} />
    </section>
  );
}
