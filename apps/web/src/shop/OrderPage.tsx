import '../merchant/commerce.css';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { useApp } from '../app/AppContext.tsx';
import { describeError } from '../ui/describeError.ts';
import { Alert, Status } from '../ui/Messages.tsx';
import { OrderFacts } from './OrderFacts.tsx';
import { orderFinished, orderSentence, orderSteps } from './orderProgress.ts';
import { type Checkout, getCheckout } from './shopApi.ts';

/** How often the page asks the gateway how the order is doing. */
const POLL_MS = 1500;

/** Follows the checkout until the order is finished; a failed read is shown and retried. */
function useFollowedCheckout(invoiceId: string) {
  const { gateway } = useApp();
  const [checkout, setCheckout] = useState<Checkout | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await getCheckout(gateway, invoiceId);
        if (stopped) return;
        setCheckout(next);
        setError(null);
        if (orderFinished(next)) return;
      } catch (failure) {
        if (stopped) return;
        setError(describeError(failure));
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [gateway, invoiceId]);
  return { checkout, error };
}

/** `/orders/:invoiceId`: the order followed new → paid, or locked → shipped → delivered → released. */
export default function OrderPage() {
  const { invoiceId = '' } = useParams();
  const { checkout, error } = useFollowedCheckout(invoiceId);
  const progress = checkout === null ? null : orderSteps(checkout);
  const shipment = checkout?.escrow?.shipment ?? null;
  return (
    <section>
      <h1>Your order</h1>
      {checkout === null ? (
        error === null ? (
          <Status>Loading your order…</Status>
        ) : null
      ) : (
        <>
          <OrderFacts checkout={checkout}>
            <dt>Order number</dt>
            <dd className="mono">{checkout.invoice}</dd>
            {shipment === null ? null : (
              <>
                <dt>Tracking</dt>
                <dd>
                  {shipment.carrier} {shipment.tracking_id}
                </dd>
              </>
            )}
          </OrderFacts>
          <section aria-labelledby="progress-heading" className="card">
            <h2 id="progress-heading">Progress</h2>
            <ol className="steps">
              {progress?.steps.map((step, index) => (
                <li key={step} className={index < progress.done ? 'done' : ''}>
                  {step}
                </li>
              ))}
            </ol>
            <Status>{orderSentence(checkout)}</Status>
          </section>
        </>
      )}
      <Alert message={error} />
    </section>
  );
}
