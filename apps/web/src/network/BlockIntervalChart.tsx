import type { GatewayStatsBlock } from '@shardpay/sdk';

const WIDTH = 320;
const HEIGHT = 120;
const LEFT = 34;
const BOTTOM = 16;

/** Milliseconds as the chart's axis and summary show them: "850 ms" or "1.2 s". */
export function formatInterval(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The intervals between a shard's latest blocks as bars, oldest on the left, drawn by hand in SVG
 * (no chart library: it would cost more than the whole explorer). The SVG is one labelled image;
 * the caption says the range in words and a table gives every value, for screen readers and for
 * anyone who wants the numbers.
 */
export function BlockIntervalChart({ shard, blocks }: { shard: number; blocks: GatewayStatsBlock[] }) {
  const points = blocks
    .filter((block): block is GatewayStatsBlock & { interval_ms: number } => block.interval_ms !== null)
    .slice()
    .reverse();
  const titleId = `interval-title-${shard}`;
  if (points.length === 0) {
    return <p>No block intervals yet.</p>;
  }
  const values = points.map((point) => point.interval_ms);
  const max = Math.max(...values, 1);
  const min = Math.min(...values);
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const slot = (WIDTH - LEFT) / points.length;
  const plotHeight = HEIGHT - BOTTOM - 4;
  const summary = `Intervals between the last ${points.length} blocks of shard ${shard}: from ${formatInterval(min)} to ${formatInterval(max)}, ${formatInterval(mean)} on average.`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId}>
        <title id={titleId}>{summary}</title>
        <line className="axis" x1={LEFT} y1={4} x2={LEFT} y2={HEIGHT - BOTTOM} />
        <line className="axis" x1={LEFT} y1={HEIGHT - BOTTOM} x2={WIDTH} y2={HEIGHT - BOTTOM} />
        <text x={LEFT - 4} y={10} textAnchor="end">
          {formatInterval(max)}
        </text>
        <text x={LEFT - 4} y={HEIGHT - BOTTOM} textAnchor="end">
          0
        </text>
        {points.map((point, index) => {
          const barHeight = Math.max(1, (point.interval_ms / max) * plotHeight);
          return (
            <rect
              key={point.height}
              className="bar"
              x={LEFT + index * slot + slot * 0.15}
              y={HEIGHT - BOTTOM - barHeight}
              width={Math.max(1, slot * 0.7)}
              height={barHeight}
            />
          );
        })}
        <text x={LEFT} y={HEIGHT - 3}>
          block {points[0]?.height}
        </text>
        <text x={WIDTH} y={HEIGHT - 3} textAnchor="end">
          block {points.at(-1)?.height}
        </text>
      </svg>
      <figcaption>{summary}</figcaption>
      <details>
        <summary>Every interval of shard {shard} as a table</summary>
        <div className="table-scroll">
          <table className="data">
            <caption>Block intervals of shard {shard}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Block</th>
                <th scope="col">Transactions</th>
                <th scope="col">Interval</th>
              </tr>
            </thead>
            <tbody>
              {blocks.map((block) => (
                <tr key={block.height}>
                  <td>{block.height}</td>
                  <td>{block.tx_count}</td>
                  <td>{block.interval_ms === null ? '—' : formatInterval(block.interval_ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
