import { Link } from 'react-router';
import { explorerClient } from '../explorer/explorerClient.ts';
import { Alert, Status } from '../ui/Messages.tsx';
import { formatUsd } from '../ui/money.ts';
import { BlockIntervalChart } from './BlockIntervalChart.tsx';
import { usePolling } from './usePolling.ts';
import '../explorer/explorer.css';

const loadStats = () => explorerClient().networkStats();
const loadReserves = () => explorerClient().reserves();

/**
 * `/network`: live finalized transactions per second and block intervals per shard (GET
 * /v1/network/stats every 2 s), and whether the dollars in the bank cover the coins on chain
 * (GET /v1/reserves).
 */
export default function NetworkPage() {
  const stats = usePolling(loadStats, 2000);
  const reserves = usePolling(loadReserves, 5000);
  return (
    <section className="explorer">
      <h1>Network</h1>
      <p>
        Live figures of every shard, refreshed every 2 seconds. <Link to="/explorer">Open the explorer</Link>
      </p>
      {stats.value === null && stats.error === null ? <Status>Loading the network figures…</Status> : null}
      <Alert message={stats.error} />
      {stats.value === null ? null : (
        <>
          <p className="muted">Throughput is counted over the last {stats.value.window_seconds} seconds.</p>
          {stats.value.shards.map((shard) => (
            <article key={shard.id} className="card" aria-labelledby={`network-shard-${shard.id}`}>
              <h2 id={`network-shard-${shard.id}`}>
                <Link to={`/explorer/shards/${shard.id}`}>Shard {shard.id}</Link>
              </h2>
              <dl className="facts">
                <dt>Finalized</dt>
                <dd className="big-number" data-testid={`tps-${shard.id}`}>
                  {Number(shard.tx_per_second).toFixed(2)} tx/s
                </dd>
                <dt>Height</dt>
                <dd data-testid={`network-height-${shard.id}`}>{shard.height}</dd>
              </dl>
              <h3>Block intervals</h3>
              <BlockIntervalChart shard={shard.id} blocks={shard.blocks} />
            </article>
          ))}
        </>
      )}
      <article className="card" aria-labelledby="reserve-heading">
        <h2 id="reserve-heading">Reserve and supply</h2>
        <Alert message={reserves.error} />
        {reserves.value === null ? null : (
          <>
            <dl className="facts">
              <dt>Coins on chain</dt>
              <dd data-testid="supply">{formatUsd(reserves.value.supply)}</dd>
              <dt>Dollars in the bank</dt>
              <dd data-testid="reserve">{formatUsd(reserves.value.reserve)}</dd>
              <dt>Being bought</dt>
              <dd>{formatUsd(reserves.value.in_flight.awaiting_capture)}</dd>
              <dt>Being cashed out</dt>
              <dd>{formatUsd(reserves.value.in_flight.awaiting_payout)}</dd>
            </dl>
            <p
              data-testid="reserve-verdict"
              className={reserves.value.matches ? 'verdict good' : 'verdict bad'}
            >
              {reserves.value.matches
                ? 'The reserve matches the supply: every coin is backed by a dollar.'
                : `The reserve differs from the supply by ${formatUsd(reserves.value.difference)}.`}
            </p>
          </>
        )}
      </article>
    </section>
  );
}
