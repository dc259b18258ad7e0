import { ROUTES, routeHref, type RouteId } from './routes';

export function MainNav({ current }: { current: RouteId }) {
  return (
    <nav aria-label="Main" className="main-nav">
      <ul>
        {ROUTES.map((route) => (
          <li key={route.id}>
            <a href={routeHref(route.id)} aria-current={route.id === current ? 'page' : undefined}>
              {route.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
