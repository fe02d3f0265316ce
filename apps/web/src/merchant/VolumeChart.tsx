import { parseAmount } from '@shardpay/protocol';
import { formatUsd } from '../ui/money.ts';
import type { Volume } from './merchantApi.ts';

const WIDTH = 600;
const HEIGHT = 200;
const AXIS = 20;

function minor(amount: string): bigint {
  try {
    return parseAmount(amount, { allowZero: true });
  } catch {
    return 0n;
  }
}

function periodLabel(start: string, interval: 'hour' | 'day'): string {
  const date = new Date(start);
  return interval === 'hour'
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

/**
 * Settled volume per period as an SVG bar chart drawn here (no chart library), hidden from screen
 * readers, with the same numbers as a table for them (and for anyone who opens it).
 */
export function VolumeChart({ volume }: { volume: Volume }) {
  const amounts = volume.data.map((period) => minor(period.settled_amount));
  const largest = amounts.reduce((max, amount) => (amount > max ? amount : max), 0n);
  const slot = (WIDTH - AXIS) / Math.max(1, volume.data.length);
  const total = amounts.reduce((sum, amount) => sum + amount, 0n);
  const count = volume.data.reduce((sum, period) => sum + period.settled_count, 0);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + AXIS}`} aria-hidden="true" focusable="false" className="bars">
        <line x1={AXIS} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} className="axis" />
        {amounts.map((amount, index) => {
          // Ratio in thousandths through bigint, so large amounts never lose precision as numbers.
          const ratio = largest === 0n ? 0 : Number((amount * 1000n) / largest) / 1000;
          const height = Math.max(amount > 0n ? 2 : 0, ratio * (HEIGHT - 10));
          return (
            <rect
              key={volume.data[index]?.start ?? index}
              x={AXIS + index * slot + slot * 0.15}
              y={HEIGHT - height}
              width={slot * 0.7}
              height={height}
              className="bar"
            />
          );
        })}
        <text x={AXIS} y={HEIGHT + 16} className="tick">
          {volume.data[0] === undefined ? '' : periodLabel(volume.data[0].start, volume.interval)}
        </text>
        <text x={WIDTH} y={HEIGHT + 16} textAnchor="end" className="tick">
          {volume.data.at(-1) === undefined
            ? ''
            : periodLabel(volume.data.at(-1)?.start ?? '', volume.interval)}
        </text>
      </svg>
      <figcaption>
        {count} settled {count === 1 ? 'invoice' : 'invoices'}, {formatUsd(total)} in the last{' '}
        {volume.data.length} {volume.interval === 'hour' ? 'hours' : 'days'}
        {largest > 0n
          ? ` (largest ${volume.interval === 'hour' ? 'hour' : 'day'}: ${formatUsd(largest)})`
          : ''}
        .
      </figcaption>
      <details>
        <summary>Show the numbers as a table</summary>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Volume per {volume.interval}</caption>
            <thead>
              <tr>
                <th scope="col">{volume.interval === 'hour' ? 'Hour' : 'Day'}</th>
                <th scope="col">Settled invoices</th>
                <th scope="col">Settled</th>
                <th scope="col">Refunded</th>
              </tr>
            </thead>
            <tbody>
              {volume.data.map((period) => (
                <tr key={period.start}>
                  <th scope="row">{periodLabel(period.start, volume.interval)}</th>
                  <td>{period.settled_count}</td>
                  <td>{formatUsd(period.settled_amount)}</td>
                  <td>{formatUsd(period.refunded_amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
