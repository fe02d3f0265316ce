import '../merchant/commerce.css';
import { parseAmount } from '@shardpay/protocol';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useApp } from '../app/AppContext.tsx';
import { describeError } from '../ui/describeError.ts';
import { Alert, Status } from '../ui/Messages.tsx';
import { formatUsd } from '../ui/money.ts';
import { createOrder, getStore, type Store } from './shopApi.ts';

/** The cart's total: Σ price × quantity in minor units (the gateway computes the same). */
function cartTotal(store: Store, quantities: Record<string, number>): bigint {
  let total = 0n;
  for (const product of store.products) {
    const quantity = quantities[product.id] ?? 0;
    if (quantity > 0) total += parseAmount(product.price) * BigInt(quantity);
  }
  return total;
}

function StoreFront({ merchantId, store }: { merchantId: string; store: Store }) {
  const { gateway } = useApp();
  const navigate = useNavigate();
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const items = store.products
    .filter((product) => (quantities[product.id] ?? 0) > 0)
    .map((product) => ({ product: product.id, quantity: quantities[product.id] ?? 0 }));
  const total = cartTotal(store, quantities);

  const order = async (escrow: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const checkout = await createOrder(gateway, merchantId, { items, escrow });
      navigate(`/checkout/${checkout.invoice}`);
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };

  if (store.products.length === 0) return <p>This shop has nothing for sale yet.</p>;
  return (
    <>
      <ul className="products">
        {store.products.map((product) => (
          <li key={product.id} className="card product">
            <h2>{product.name}</h2>
            {product.description ? <p>{product.description}</p> : null}
            <p className="price">{formatUsd(product.price)}</p>
            <label htmlFor={`quantity-${product.id}`}>Quantity of {product.name}</label>
            <input
              id={`quantity-${product.id}`}
              type="number"
              inputMode="numeric"
              min={0}
              max={99}
              value={quantities[product.id] ?? 0}
              onChange={(event) => {
                const value = Math.max(0, Math.min(99, Math.trunc(Number(event.target.value) || 0)));
                setQuantities((current) => ({ ...current, [product.id]: value }));
              }}
            />
          </li>
        ))}
      </ul>
      <section aria-labelledby="cart-heading" className="card">
        <h2 id="cart-heading">Your cart</h2>
        {items.length === 0 ? (
          <p>Choose a quantity of something to buy.</p>
        ) : (
          <>
            <ul>
              {store.products
                .filter((product) => (quantities[product.id] ?? 0) > 0)
                .map((product) => (
                  <li key={product.id}>
                    {quantities[product.id]} × {product.name}
                  </li>
                ))}
            </ul>
            <p>
              Total: <strong>{formatUsd(total)}</strong>
            </p>
          </>
        )}
        <div className="actions">
          <button type="button" disabled={busy || items.length === 0} onClick={() => void order(false)}>
            Pay now
          </button>
          {store.escrow_available ? (
            <button
              type="button"
              className="secondary"
              disabled={busy || items.length === 0}
              onClick={() => void order(true)}
            >
              Pay with buyer protection (escrow)
            </button>
          ) : null}
        </div>
        {store.escrow_available ? (
          <p className="hint">
            With buyer protection your money is locked until the delivery is confirmed, then released to the
            shop.
          </p>
        ) : null}
        {busy ? <Status>Placing your order…</Status> : null}
        <Alert message={error} />
      </section>
    </>
  );
}

/** `/shop/:merchantId`: a merchant's demo store; its checkout creates an invoice (or an escrow order). */
export default function ShopPage() {
  const { merchantId = '' } = useParams();
  const { gateway } = useApp();
  const [store, setStore] = useState<Store | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getStore(gateway, merchantId)
      .then(setStore)
      .catch((failure: unknown) => setError(describeError(failure)));
  }, [gateway, merchantId]);
  return (
    <section>
      <h1>{store === null ? 'Shop' : store.name}</h1>
      {store === null ? (
        error === null ? (
          <Status>Loading the shop…</Status>
        ) : null
      ) : (
        <StoreFront merchantId={merchantId} store={store} />
      )}
      <Alert message={error} />
    </section>
  );
}
