import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ADMIN_TOKEN, AdminClient } from './admin.js';
import type { Backend } from './backends.js';
import { type TencentFixture, tencentFixture } from './fixture.js';
import { repoRoot } from './servers.js';

/**
 * Browser tests of the web console: a real Ringside server (in this process, on a fresh database
 * of the backend) and Debian's Chromium driven by playwright-core, which downloads no browser.
 * `scripts/test.mjs` rebuilds the console before the tests run, and the server serves that build.
 */

/** The Chromium the tests drive: Debian's `chromium` package (.ci/run installs it), or RINGSIDE_CHROMIUM. */
export const chromiumPath = process.env.RINGSIDE_CHROMIUM ?? '/usr/bin/chromium';

/** The two screen sizes every page is checked and photographed at. */
export const viewports = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof viewports;

/** Where screenshots go (ignored by git); `npm run screenshots` copies them to docs/console. */
export const screenshotDir = join(repoRoot, 'test-output/console');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `no Chromium at ${chromiumPath}: install Debian's chromium package (.ci/run does) or set RINGSIDE_CHROMIUM`,
    );
  }
  // Chromium's sandbox refuses to run as root (CI containers): it is the browser's, not the test's, protection.
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: [...args, '--disable-dev-shm-usage'] });
}

export interface ConsoleFixture {
  tencent: TencentFixture;
  /** `http://127.0.0.1:port` of the server. */
  url: string;
  /** The admin API with the bearer token, to make data and check what the console did. */
  admin: AdminClient;
  browser: Browser;
  /**
   * A fresh browser context (no cookies) at `viewport`, with one page; `locale` and `timezoneId`
   * (e.g. `Asia/Tokyo`) are the viewer's, the machine's by default.
   */
  open(viewport?: ViewportName, viewer?: { locale?: string; timezoneId?: string }): Promise<ConsolePage>;
  close(): Promise<void>;
}

/**
 * A server with the two test Tencent apps and `ADMIN_TOKEN` (more config in `options.config`,
 * e.g. `jdb` or `oklp`), and a Chromium. One per test file and backend: `before` makes it,
 * `after` closes it.
 */
export async function consoleFixture(
  backend: Backend,
  options: { config?: Record<string, unknown> } = {},
): Promise<ConsoleFixture> {
  const config = options.config ?? {};
  const tencent = await tencentFixture(backend, {
    config: { ...config, admin: { tokens: [ADMIN_TOKEN], ...(config.admin as object | undefined) } },
  });
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await tencent.close();
    throw error;
  }
  const pages: ConsolePage[] = [];
  return {
    tencent,
    url: tencent.server.url,
    admin: new AdminClient(tencent.server.url, ADMIN_TOKEN),
    browser,
    async open(viewport: ViewportName = 'desktop', viewer = {}) {
      const context = await browser.newContext({
        viewport: viewports[viewport],
        baseURL: tencent.server.url,
        ...viewer,
      });
      const page = new ConsolePage(context, await context.newPage(), viewport);
      pages.push(page);
      return page;
    },
    async close() {
      await Promise.allSettled(pages.map((page) => page.close()));
      await browser.close();
      await tencent.close();
    },
  };
}

/** One browser tab on the console, with everything that went wrong in it collected. */
export class ConsolePage {
  /** Script errors, console errors (a CSP violation is one) and failed requests, in order. */
  readonly problems: string[] = [];

  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly viewport: ViewportName,
  ) {
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // Chromium logs every 4xx answer as an error: the admin API's refusals are part of the
      // console's life (GET /session before signing in is 401), and the console shows them in
      // words; other 4xx/5xx answers are caught below.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded'))
        this.problems.push(`console error: ${message.text()}`);
    });
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (response.status() >= 400 && !path.startsWith('/admin/v1/'))
        this.problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
    });
    page.on('requestfailed', (request) => {
      // A request the page itself cancelled (leaving a page, closing the event stream) is no failure.
      if (request.failure()?.errorText !== 'net::ERR_ABORTED') {
        this.problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
      }
    });
  }

  /** Opens a console URL (`/console/audit`), waiting until the page has loaded. */
  async goto(path: string): Promise<void> {
    await this.page.goto(path, { waitUntil: 'load' });
  }

  /** Signs in through the sign-in form (opening `/console` first unless a console page is open). */
  async signIn(token: string = ADMIN_TOKEN): Promise<void> {
    if (!new URL(this.page.url(), 'http://x').pathname.startsWith('/console')) await this.goto('/console');
    await this.page.getByLabel('Admin token').fill(token);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  /** The page's `<h1>`, once it reads `title`. */
  async waitForHeading(title: string): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
  }

  /**
   * Saves the whole page as `test-output/console/<name>-<desktop|phone>.png` and returns the path
   * (look at it: `npm run screenshots` puts the current ones in docs/console).
   */
  async screenshot(name: string): Promise<string> {
    mkdirSync(screenshotDir, { recursive: true });
    const path = join(screenshotDir, `${name}-${this.viewport}.png`);
    // Every listing has loaded (a list table is aria-busy while it loads).
    await this.page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
    await this.page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
    return path;
  }

  /** Fails unless nothing went wrong in the page (no script error, no CSP violation, no failed request). */
  assertNoProblems(): void {
    if (this.problems.length > 0) throw new Error(`the console page had problems:\n${this.problems.join('\n')}`);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
