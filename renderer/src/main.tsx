import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context';
import { createApiClient } from './api/create-api-client';
import { App } from './app/app';
import './styles.css';

// Created before React renders so the token leaves the address bar as early as possible.
const apiClient = createApiClient();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Events tell us when data changes; refetching on every window focus would only add load.
      refetchOnWindowFocus: false,
      retry: 1,
    },
  },
});

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

createRoot(rootElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ApiProvider client={apiClient}>
        <App />
      </ApiProvider>
    </QueryClientProvider>
  </StrictMode>,
);
