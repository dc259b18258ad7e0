import { useEffect, useRef } from 'react';
import { useEventInvalidation } from '../api/use-event-invalidation';
import { KeychainBanner } from '../components/keychain-banner';
import { CoursesPage } from '../pages/courses/courses-page';
import { DashboardPage } from '../pages/dashboard/dashboard-page';
import { ErrorsPage } from '../pages/errors/errors-page';
import { HistoryPage } from '../pages/history/history-page';
import { ProgressPage } from '../pages/progress/progress-page';
import { ResultsPage } from '../pages/results/results-page';
import { SettingsPage } from '../pages/settings/settings-page';
import { SetupPage } from '../pages/setup/setup-page';
import { MainNav } from './main-nav';
import { ROUTES, type RouteId } from './routes';
import { useHashRoute } from './use-hash-route';

const PAGES: Record<RouteId, () => React.JSX.Element> = {
  dashboard: DashboardPage,
  courses: CoursesPage,
  errors: ErrorsPage,
  progress: ProgressPage,
  results: ResultsPage,
  history: HistoryPage,
  settings: SettingsPage,
  setup: SetupPage,
};

export function App() {
  useEventInvalidation();
  const route = useHashRoute();
  const main = useRef<HTMLElement>(null);
  const previousRoute = useRef(route);

  useEffect(() => {
    const label = ROUTES.find((r) => r.id === route)?.label ?? '';
    document.title = `${label} — ClassBridge`;
    // After a page change, move focus to the new page's heading so keyboard and screen-reader users
    // land on the content (as a full page load would); on first load leave focus where the browser put it.
    if (previousRoute.current !== route) main.current?.querySelector<HTMLElement>('h1')?.focus();
    previousRoute.current = route;
  }, [route]);

  const Page = PAGES[route];
  return (
    <div className="app">
      <a className="skip-link" href="#main-content" onClick={(event) => skipToMain(event, main.current)}>
        Skip to content
      </a>
      <header className="app-header">
        <span className="product-name">
          <span className="product-mark" aria-hidden="true">
            ⇄
          </span>
          ClassBridge
        </span>
        <MainNav current={route} />
      </header>
      <main id="main-content" className="app-main" ref={main} tabIndex={-1}>
        <KeychainBanner />
        <Page />
      </main>
    </div>
  );
}

/** The skip link must not change the hash, which is our router. */
function skipToMain(event: React.MouseEvent, main: HTMLElement | null): void {
  event.preventDefault();
  main?.focus();
}
