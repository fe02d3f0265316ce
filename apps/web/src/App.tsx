import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { AppProvider } from './app/AppContext.tsx';
import { Layout } from './ui/Layout.tsx';

// Every page is its own chunk: the first load carries only the shell and the page it shows.
const HomePage = lazy(() => import('./pages/HomePage.tsx'));
const SignUpPage = lazy(() => import('./pages/SignUpPage.tsx'));
const LogInPage = lazy(() => import('./pages/LogInPage.tsx'));
const WalletPage = lazy(() => import('./pages/WalletPage.tsx'));
const SendPage = lazy(() => import('./pages/SendPage.tsx'));
const ReceivePage = lazy(() => import('./pages/ReceivePage.tsx'));
const BuyPage = lazy(() => import('./pages/BuyPage.tsx'));
const CashoutPage = lazy(() => import('./pages/CashoutPage.tsx'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage.tsx'));
const ExplorerHomePage = lazy(() => import('./explorer/ExplorerHomePage.tsx'));
const ShardPage = lazy(() => import('./explorer/ShardPage.tsx'));
const BlockPage = lazy(() => import('./explorer/BlockPage.tsx'));
const TransactionPage = lazy(() => import('./explorer/TransactionPage.tsx'));
const AccountPage = lazy(() => import('./explorer/AccountPage.tsx'));
const ReceiptPage = lazy(() => import('./explorer/ReceiptPage.tsx'));
const NetworkPage = lazy(() => import('./network/NetworkPage.tsx'));
const MerchantPage = lazy(() => import('./merchant/MerchantPage.tsx'));
const InvoicePage = lazy(() => import('./merchant/InvoicePage.tsx'));
const ShopPage = lazy(() => import('./shop/ShopPage.tsx'));
const CheckoutPage = lazy(() => import('./shop/CheckoutPage.tsx'));
const OrderPage = lazy(() => import('./shop/OrderPage.tsx'));

/** The app: one router, the nav bar around every page, pages loaded on demand. */
export function App() {
  return (
    <AppProvider>
      <BrowserRouter>
        <Layout>
          <Suspense fallback={<p role="status">Loading…</p>}>
            <Routes>
              <Route path="/" element={<HomePage />} />
              <Route path="/signup" element={<SignUpPage />} />
              <Route path="/login" element={<LogInPage />} />
              <Route path="/wallet" element={<WalletPage />} />
              <Route path="/wallet/send" element={<SendPage />} />
              <Route path="/wallet/receive" element={<ReceivePage />} />
              <Route path="/buy" element={<BuyPage />} />
              <Route path="/cashout" element={<CashoutPage />} />
              <Route path="/merchant" element={<MerchantPage />} />
              <Route path="/merchant/:merchantId/invoices/:invoiceId" element={<InvoicePage />} />
              <Route path="/shop/:merchantId" element={<ShopPage />} />
              <Route path="/checkout/:invoiceId" element={<CheckoutPage />} />
              <Route path="/orders/:invoiceId" element={<OrderPage />} />
              <Route path="/explorer" element={<ExplorerHomePage />} />
              <Route path="/explorer/shards/:shard" element={<ShardPage />} />
              <Route path="/explorer/shards/:shard/blocks/:height" element={<BlockPage />} />
              <Route path="/explorer/tx/:txId" element={<TransactionPage />} />
              <Route path="/explorer/accounts/:address" element={<AccountPage />} />
              <Route path="/explorer/receipts/:shard/:receiptId" element={<ReceiptPage />} />
              <Route path="/network" element={<NetworkPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </Suspense>
        </Layout>
      </BrowserRouter>
    </AppProvider>
  );
}
