/** The app's pages, in nav order. Routing is by hash (`#/courses`) so file:// and the host both work. */
export const ROUTES = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'courses', label: 'Courses' },
  { id: 'progress', label: 'Progress' },
  { id: 'results', label: 'Results' },
  { id: 'errors', label: 'Errors' },
  { id: 'history', label: 'History' },
  { id: 'settings', label: 'Settings' },
  { id: 'setup', label: 'Setup' },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];

export const DEFAULT_ROUTE: RouteId = 'dashboard';

export function routeHref(route: RouteId): string {
  return `#/${route}`;
}

export function routeFromHash(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return ROUTES.find((route) => route.id === id)?.id ?? DEFAULT_ROUTE;
}
