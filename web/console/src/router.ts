/**
 * Client-side routing with the History API: every page has its own URL under `/console`, the
 * server answers index.html for all of them, so a reload, a bookmark and the back button work.
 * Links to console URLs are followed without a page load; everything else is left to the browser.
 */

export const BASE = '/console';

/** What a page gets when it is shown. */
export interface PageContext {
  /** The `:name` parts of the page's path, decoded. */
  params: Record<string, string>;
  /** The URL's query (filters live there, so a reload or a shared link keeps them). */
  query: URLSearchParams;
  /** Aborted when the page is left: cancel requests, unsubscribe from events, stop timers. */
  signal: AbortSignal;
  /** Goes to another console URL (`/audit?outcome=error`), adding a history entry unless `replace`. */
  navigate(url: string, options?: { replace?: boolean }): void;
}

export interface PageDefinition {
  /** Path under `/console`: `/`, `/audit`, `/rooms/:appId/:roomId`. */
  path: string;
  /** The document title and the heading's text. */
  title: string;
  /**
   * The navigation entry (its path) this page is under, when its own path does not start with
   * that entry's: `/ledger` pages are under `/matches` ("Matches & ledger").
   */
  section?: string;
  render(context: PageContext): Node | Promise<Node>;
}

/** Whether `page` is the navigation entry at `navPath`, or one of the pages under it. */
export function isUnder(page: PageDefinition, navPath: string): boolean {
  const path = page.section ?? page.path;
  return path === navPath || (navPath !== '/' && path.startsWith(`${navPath}/`));
}

interface Match {
  page: PageDefinition;
  params: Record<string, string>;
}

/** The console URL for a path under `/console`, e.g. `consoleUrl('/audit', {outcome: 'error'})`. */
export function consoleUrl(path: string, query: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(name, String(value));
  const search = params.toString();
  return `${BASE}${path === '/' ? '' : path}${search ? `?${search}` : ''}`;
}

export class Router {
  private current: AbortController | undefined;

  constructor(
    private readonly pages: PageDefinition[],
    private readonly notFound: PageDefinition,
    /** Shows a page: the shell puts it in place. */
    private readonly show: (page: PageDefinition, context: PageContext) => void,
  ) {}

  start(): void {
    window.addEventListener('popstate', () => this.render());
    document.addEventListener('click', (event) => this.followLink(event));
    this.render();
  }

  /** Goes to `url` (a console URL) and shows its page. */
  navigate(url: string, options: { replace?: boolean } = {}): void {
    if (options.replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    this.render();
  }

  /** Shows the page of the current URL (again). */
  render(): void {
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    const { page, params } = this.match(location.pathname);
    this.show(page, {
      params,
      query: new URLSearchParams(location.search),
      signal: controller.signal,
      navigate: (url, options) => this.navigate(url, options),
    });
  }

  /** Stops the current page (signing out). */
  leave(): void {
    this.current?.abort();
    this.current = undefined;
  }

  private match(pathname: string): Match {
    const rest = pathname === BASE ? '/' : pathname.startsWith(`${BASE}/`) ? pathname.slice(BASE.length) : undefined;
    if (rest === undefined) return { page: this.notFound, params: {} };
    const parts = split(rest);
    for (const page of this.pages) {
      const pattern = split(page.path);
      if (pattern.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const matches = pattern.every((segment, i) => {
        const part = parts[i]!;
        if (segment.startsWith(':')) {
          try {
            params[segment.slice(1)] = decodeURIComponent(part);
          } catch {
            return false;
          }
          return true;
        }
        return segment === part;
      });
      if (matches) return { page, params };
    }
    return { page: this.notFound, params: {} };
  }

  private followLink(event: MouseEvent): void {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    const link = (event.target as Element | null)?.closest?.('a');
    if (!link || link.target || link.hasAttribute('download')) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || !(url.pathname === BASE || url.pathname.startsWith(`${BASE}/`))) return;
    event.preventDefault();
    if (url.pathname + url.search !== location.pathname + location.search) this.navigate(url.pathname + url.search);
  }
}

function split(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}
