import { useQuery } from '@tanstack/react-query';
import { useApi } from './api-context';

/** The providers the engine describes (`providers:list`): fixed for a running engine, so fetched once. */
export function useProviders() {
  const api = useApi();
  return useQuery({ queryKey: ['providers'], queryFn: () => api.call('providers:list', {}), staleTime: Infinity });
}
