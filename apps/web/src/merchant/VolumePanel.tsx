import { useState } from 'react';
import { Alert, Status } from '../ui/Messages.tsx';
import type { MerchantApi } from './merchantApi.ts';
import { usePolling } from './usePolling.ts';
import { VolumeChart } from './VolumeChart.tsx';

/** Settled and refunded volume over the last 24 hours or 30 days. */
export function VolumePanel({ api }: { api: MerchantApi }) {
  const [interval, setPeriod] = useState<'hour' | 'day'>('hour');
  const { value, error } = usePolling(
    () => api.volume(interval, interval === 'hour' ? 24 : 30),
    5000,
    interval,
  );
  return (
    <section aria-labelledby="volume-heading">
      <h2 id="volume-heading">Volume</h2>
      <label htmlFor="volume-interval">Period</label>
      <select
        id="volume-interval"
        value={interval}
        onChange={(event) => setPeriod(event.target.value === 'day' ? 'day' : 'hour')}
      >
        <option value="hour">Last 24 hours</option>
        <option value="day">Last 30 days</option>
      </select>
      {value === null ? error === null ? <Status>Loading…</Status> : null : <VolumeChart volume={value} />}
      <Alert message={error} />
    </section>
  );
}
