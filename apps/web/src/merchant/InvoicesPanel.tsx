import { useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../ui/Messages.tsx';
import { formatUsd } from '../ui/money.ts';
import type { MerchantApi } from './merchantApi.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { usePolling } from './usePolling.ts';

const STATUSES = ['', 'new', 'processing', 'settled', 'expired', 'invalid'] as const;

/** The merchant's invoices, newest first, kept fresh, filtered by status. */
export function InvoicesPanel({ api, merchantId }: { api: MerchantApi; merchantId: string }) {
  const [status, setStatus] = useState('');
  const { value, error } = usePolling(() => api.invoices(status), 2000, status);
  return (
    <section aria-labelledby="invoices-heading">
      <h2 id="invoices-heading">Invoices</h2>
      <label htmlFor="invoice-status">Show</label>
      <select id="invoice-status" value={status} onChange={(event) => setStatus(event.target.value)}>
        {STATUSES.map((option) => (
          <option key={option} value={option}>
            {option === '' ? 'all invoices' : option}
          </option>
        ))}
      </select>
      {value === null ? null : value.data.length === 0 ? (
        <p>No invoices yet.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Invoices, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Invoice</th>
                <th scope="col">Order</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {value.data.map((invoice) => (
                <tr key={invoice.id}>
                  <td>
                    <Link to={`/merchant/${merchantId}/invoices/${invoice.id}`} className="mono">
                      {invoice.id}
                    </Link>
                  </td>
                  <td>
                    {invoice.description ?? ''}
                    {invoice.escrow === null ? null : <span className="badge">escrow</span>}
                  </td>
                  <td>{formatUsd(invoice.amount)}</td>
                  <td>
                    <StatusBadge status={invoice.status} exception={invoice.exception} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Alert message={error} />
    </section>
  );
}
