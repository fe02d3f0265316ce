import './commerce.css';
import { type FormEvent, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApp } from '../app/AppContext.tsx';
import { orderFinished } from '../shop/orderProgress.ts';
import { describeError } from '../ui/describeError.ts';
import { RequireLogin } from '../ui/Guards.tsx';
import { Alert, Status } from '../ui/Messages.tsx';
import { formatUsd } from '../ui/money.ts';
import { type Invoice, type MerchantApi, merchantApi } from './merchantApi.ts';
import { RefundForm } from './RefundForm.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { usePolling } from './usePolling.ts';

/** "Ship" for an escrow order being paid for: registers the shipment with the delivery oracle. */
function ShipForm({
  api,
  invoice,
  onShipped,
}: {
  api: MerchantApi;
  invoice: Invoice;
  onShipped: () => void;
}) {
  const [after, setAfter] = useState('30');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ship = async (event: FormEvent) => {
    event.preventDefault();
    const seconds = Number(after);
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 2_592_000) {
      setError('Enter a whole number of seconds, up to 30 days.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.ship(invoice.id, seconds);
      onShipped();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={ship} className="form" noValidate>
      <label htmlFor="deliver-after">Delivered after (seconds, sandbox carrier)</label>
      <input
        id="deliver-after"
        inputMode="numeric"
        value={after}
        onChange={(event) => setAfter(event.target.value)}
      />
      <button type="submit" disabled={busy}>
        Ship
      </button>
      <Alert message={error} />
    </form>
  );
}

function InvoiceView({
  api,
  invoice,
  reload,
}: {
  api: MerchantApi;
  invoice: Invoice;
  reload: () => Promise<void>;
}) {
  const { value: refunds } = usePolling(() => api.refunds(invoice.id), 3000);
  const escrow = invoice.escrow;
  const shipment = escrow?.shipment ?? null;
  return (
    <>
      <dl className="facts card">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={invoice.status} exception={invoice.exception} />
        </dd>
        <dt>Amount</dt>
        <dd>{formatUsd(invoice.amount)}</dd>
        <dt>Paid</dt>
        <dd>{formatUsd(invoice.amount_paid)}</dd>
        <dt>Refunded</dt>
        <dd>{formatUsd(invoice.amount_refunded)}</dd>
        {invoice.description ? (
          <>
            <dt>Order</dt>
            <dd>{invoice.description}</dd>
          </>
        ) : null}
        <dt>Checkout</dt>
        <dd>
          <a href={invoice.checkout_url}>checkout page</a>
        </dd>
      </dl>
      <section aria-labelledby="payments-heading">
        <h2 id="payments-heading">Payments</h2>
        {invoice.payments.length === 0 ? (
          <p>No payment yet.</p>
        ) : (
          <ul className="plain-list">
            {invoice.payments.map((payment) => (
              <li key={payment.tx_id} className="card">
                {formatUsd(payment.amount)} from <span className="mono">{payment.from}</span> (shard{' '}
                {payment.shard}): {payment.status}
              </li>
            ))}
          </ul>
        )}
      </section>
      {escrow === null ? null : (
        <section aria-labelledby="escrow-heading">
          <h2 id="escrow-heading">Escrow</h2>
          <dl className="facts card">
            <dt>Escrow</dt>
            <dd>{escrow.escrow_id === null ? 'not locked yet' : (escrow.status ?? 'pending')}</dd>
            {escrow.buyer === null ? null : (
              <>
                <dt>Buyer</dt>
                <dd className="mono">{escrow.buyer}</dd>
              </>
            )}
            <dt>Shipment</dt>
            <dd>
              {shipment === null
                ? 'not shipped'
                : `${shipment.status.replace('_', ' ')} (${shipment.carrier} ${shipment.tracking_id})`}
            </dd>
          </dl>
          {invoice.status === 'processing' && escrow.status === 'open' && shipment === null ? (
            <ShipForm api={api} invoice={invoice} onShipped={() => void reload()} />
          ) : null}
          {shipment === null ? null : <Status>Shipment: {shipment.status.replace('_', ' ')}</Status>}
        </section>
      )}
      <section aria-labelledby="refunds-heading">
        <h2 id="refunds-heading">Refunds</h2>
        {refunds === null || refunds.data.length === 0 ? (
          <p>No refunds.</p>
        ) : (
          <ul className="plain-list">
            {refunds.data.map((refund) => (
              <li key={refund.id} className="card">
                {formatUsd(refund.amount)}: {refund.status}
              </li>
            ))}
          </ul>
        )}
        {escrow === null ? <RefundForm api={api} invoice={invoice} onDone={() => void reload()} /> : null}
      </section>
    </>
  );
}

function InvoiceLoader({ merchantId, invoiceId }: { merchantId: string; invoiceId: string }) {
  const { gateway } = useApp();
  const api = useMemo(() => merchantApi(gateway, merchantId), [gateway, merchantId]);
  const [finished, setFinished] = useState(false);
  const { value, error, reload } = usePolling(
    async () => {
      const invoice = await api.invoice(invoiceId);
      setFinished(orderFinished(invoice));
      return invoice;
    },
    finished ? null : 1500,
  );
  if (value === null)
    return error === null ? <Status>Loading the invoice…</Status> : <Alert message={error} />;
  return (
    <>
      <InvoiceView api={api} invoice={value} reload={reload} />
      <Alert message={error} />
    </>
  );
}

/** `/merchant/:merchantId/invoices/:invoiceId`: one invoice with its payments, refunds, escrow and shipment. */
export default function InvoicePage() {
  const { merchantId = '', invoiceId = '' } = useParams();
  return (
    <section>
      <h1>
        Invoice <span className="mono">{invoiceId}</span>
      </h1>
      <p>
        <Link to="/merchant">Back to the dashboard</Link>
      </p>
      <RequireLogin>
        <InvoiceLoader merchantId={merchantId} invoiceId={invoiceId} />
      </RequireLogin>
    </section>
  );
}
