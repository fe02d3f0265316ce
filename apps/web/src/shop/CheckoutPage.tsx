import '../merchant/commerce.css';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useApp } from '../app/AppContext.tsx';
import { describeError } from '../ui/describeError.ts';
import { Alert, Status } from '../ui/Messages.tsx';
import { OrderFacts } from './OrderFacts.tsx';
import { PayFromWallet } from './PayFromWallet.tsx';
import { type Checkout, checkoutQrUrl, getCheckout } from './shopApi.ts';

/** "14:59" left until `expiresAt`, ticking every second; "expired" at zero. */
function useCountdown(expiresAt: string | undefined): string {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (expiresAt === undefined) return '';
  const left = Math.max(0, Math.floor((Date.parse(expiresAt) - now) / 1000));
  if (left === 0) return 'expired';
  const minutes = Math.floor(left / 60);
  const seconds = String(left % 60).padStart(2, '0');
  return `${minutes}:${seconds}`;
}

function CheckoutView({ checkout }: { checkout: Checkout }) {
  const navigate = useNavigate();
  const countdown = useCountdown(checkout.expires_at);
  const open = checkout.status === 'new' && (checkout.escrow === null || checkout.escrow.escrow_id === null);
  return (
    <>
      <OrderFacts checkout={checkout}>
        <dt>Status</dt>
        <dd>{checkout.status}</dd>
        {checkout.escrow === null ? null : (
          <>
            <dt>Buyer protection</dt>
            <dd>Your money is held in escrow until the delivery is confirmed.</dd>
          </>
        )}
        {open ? (
          <>
            <dt>Time left to pay</dt>
            <dd>{countdown}</dd>
          </>
        ) : null}
      </OrderFacts>
      {open ? (
        <>
          <section aria-labelledby="pay-heading" className="card">
            <h2 id="pay-heading">Pay from your wallet</h2>
            <PayFromWallet checkout={checkout} onPaid={() => navigate(`/orders/${checkout.invoice}`)} />
          </section>
          {checkout.escrow === null ? (
            <section aria-labelledby="scan-heading" className="card">
              <h2 id="scan-heading">Or pay with another wallet</h2>
              <img
                src={checkoutQrUrl(checkout.invoice)}
                width={200}
                height={200}
                alt="QR code of the payment request"
              />
              <p className="hint">Payment request:</p>
              <p className="mono">{checkout.payment_uri}</p>
            </section>
          ) : null}
        </>
      ) : (
        <p>
          <Link to={`/orders/${checkout.invoice}`}>Follow your order</Link>
        </p>
      )}
    </>
  );
}

/** `/checkout/:invoiceId` (an invoice's checkout_url): what is owed, to whom, and paying it. */
export default function CheckoutPage() {
  const { invoiceId = '' } = useParams();
  const { gateway } = useApp();
  const [checkout, setCheckout] = useState<Checkout | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getCheckout(gateway, invoiceId)
      .then(setCheckout)
      .catch((failure: unknown) => setError(describeError(failure)));
  }, [gateway, invoiceId]);
  return (
    <section>
      <h1>Checkout</h1>
      {checkout === null ? (
        error === null ? (
          <Status>Loading your order…</Status>
        ) : null
      ) : (
        <CheckoutView checkout={checkout} />
      )}
      <Alert message={error} />
    </section>
  );
}
