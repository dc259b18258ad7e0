/**
 * The headless host prints `http://127.0.0.1:PORT/?token=…`. The token authorises every Api call, so we
 * take it out of the address bar at once (it would otherwise end up in history, bookmarks and screenshots)
 * and keep it in sessionStorage, which survives a reload but not closing the tab.
 */
const STORAGE_KEY = 'classbridge.token';
const QUERY_PARAMETER = 'token';

export function takeAccessToken(): string | null {
  const url = new URL(window.location.href);
  const fromAddress = url.searchParams.get(QUERY_PARAMETER);
  if (fromAddress) {
    sessionStorage.setItem(STORAGE_KEY, fromAddress);
    url.searchParams.delete(QUERY_PARAMETER);
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromAddress;
  }
  return sessionStorage.getItem(STORAGE_KEY);
}
