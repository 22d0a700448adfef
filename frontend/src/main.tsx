import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { cspNonce, nonceDynamicStyles } from '@/app/csp-nonce';
import { createQueryClient, Providers } from '@/app/providers';
import { AppRoutes } from '@/app/routes';
import '@/app/phone.css';
import { createI18n } from '@/i18n';

const nonce = cspNonce();
nonceDynamicStyles(nonce);

const root = document.getElementById('root');
if (!root) throw new Error('#root missing in index.html');

createRoot(root).render(
  <StrictMode>
    <Providers i18n={createI18n()} queryClient={createQueryClient()} nonce={nonce}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </Providers>
  </StrictMode>,
);
