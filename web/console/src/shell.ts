/**
 * The frame around every page: the sign-in form when there is no session, else the navigation,
 * who is signed in, sign-out, and the page of the current URL in `<main>`.
 */
import { type ApiError, describeError, isAbort, whenSessionLost } from './api.js';
import { errorState, loadingState } from './components/states.js';
import { h, replaceChildren } from './dom.js';
import { adminEvents } from './events.js';
import { detailPages, navPages, notFoundPage } from './pages/index.js';
import { consoleUrl, isUnder, type PageContext, type PageDefinition, Router } from './router.js';
import { currentSession, type SessionInfo, signIn, signOut } from './session.js';

export class ConsoleShell {
  private readonly router = new Router([...navPages, ...detailPages], notFoundPage, (page, context) =>
    this.showPage(page, context),
  );
  private started = false;
  private session: SessionInfo | null = null;
  private main: HTMLElement | undefined;
  private nav: HTMLElement | undefined;
  private firstPage = true;

  constructor(private readonly root: HTMLElement) {}

  async start(): Promise<void> {
    whenSessionLost((error) => this.sessionLost(error));
    try {
      this.session = await currentSession();
    } catch (error) {
      replaceChildren(
        this.root,
        h(
          'main',
          { class: 'signin' },
          errorState(error, () => void this.start()),
        ),
      );
      return;
    }
    if (this.session) this.showShell();
    else this.showSignIn();
  }

  /** The sign-in form; `notice` says why it is shown (signed out: plain; a session that ended: a warning). */
  private showSignIn(notice?: { text: string; kind: 'info' | 'warning' }): void {
    this.router.leave();
    this.main = undefined;
    document.title = 'Sign in · Ringside';
    const input = h('input', {
      id: 'token',
      name: 'token',
      type: 'password',
      autocomplete: 'off',
      spellcheck: 'false',
      required: true,
      'aria-describedby': 'signin-help',
    });
    const problem = h(
      'p',
      { class: notice?.kind === 'info' ? 'form-note' : 'form-error', role: 'alert', id: 'signin-error' },
      notice?.text ?? '',
    );
    const button = h('button', { type: 'submit', class: 'button primary' }, 'Sign in');
    const form = h(
      'form',
      { class: 'signin-form', 'aria-labelledby': 'signin-title' },
      h('h1', { id: 'signin-title' }, 'Ringside console'),
      h(
        'p',
        { id: 'signin-help', class: 'muted' },
        'Sign in with an admin token (admin.tokens in the config; the development tenant prints one at start-up). It is exchanged for a session cookie and not kept by this page.',
      ),
      h('label', { class: 'field', for: 'token' }, h('span', null, 'Admin token')),
      input,
      problem,
      button,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      button.disabled = true;
      problem.textContent = '';
      try {
        this.session = await signIn(input.value);
        input.value = '';
        this.showShell();
      } catch (error) {
        problem.className = 'form-error';
        problem.textContent = `Not signed in: ${describeError(error)}`;
        input.select();
      } finally {
        button.disabled = false;
      }
    });
    replaceChildren(this.root, h('main', { class: 'signin', id: 'main' }, form));
    input.focus();
  }

  private showShell(): void {
    const menu = h(
      'button',
      { type: 'button', class: 'menu-toggle', 'aria-expanded': 'false', 'aria-controls': 'nav' },
      'Menu',
    );
    const nav = h(
      'nav',
      { id: 'nav', class: 'nav', 'aria-label': 'Console pages' },
      h(
        'ul',
        null,
        navPages.map((page) =>
          h('li', null, h('a', { href: consoleUrl(page.path), 'data-path': page.path }, page.title)),
        ),
      ),
    );
    menu.addEventListener('click', () => {
      const open = menu.getAttribute('aria-expanded') !== 'true';
      menu.setAttribute('aria-expanded', String(open));
      nav.classList.toggle('open', open);
    });
    // Following a link closes the menu on a phone.
    nav.addEventListener('click', (event) => {
      if ((event.target as Element).closest('a')) {
        menu.setAttribute('aria-expanded', 'false');
        nav.classList.remove('open');
      }
    });
    const signOutButton = h(
      'button',
      { type: 'button', class: 'button subtle', onclick: () => void this.signOut() },
      'Sign out',
    );
    this.nav = nav;
    this.main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
    replaceChildren(
      this.root,
      h('a', { class: 'skip-link', href: '#main' }, 'Skip to content'),
      h(
        'div',
        { class: 'layout' },
        h(
          'header',
          { class: 'topbar' },
          h(
            'a',
            { class: 'brand', href: consoleUrl('/') },
            h('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
            'Ringside',
          ),
          menu,
          nav,
          h(
            'div',
            { class: 'who' },
            h('span', { class: 'muted' }, 'Signed in as '),
            h('strong', { class: 'who-name' }, this.session?.tokenName ?? ''),
            signOutButton,
          ),
        ),
        this.main,
      ),
    );
    if (!this.started) {
      this.started = true;
      this.router.start();
    } else {
      this.router.render();
    }
  }

  private showPage(page: PageDefinition, context: PageContext): void {
    const main = this.main;
    if (!main) return;
    document.title = `${page.title} · Ringside`;
    for (const link of this.nav?.querySelectorAll('a') ?? []) {
      const current = link.dataset.path !== undefined && isUnder(page, link.dataset.path);
      if (current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const heading = h('h1', { tabindex: '-1' }, page.title);
    const outlet = h('div', { class: 'page' }, loadingState());
    replaceChildren(main, heading, outlet);
    // Moving focus to the new heading tells keyboard and screen-reader users the page changed.
    if (!this.firstPage) heading.focus();
    this.firstPage = false;
    Promise.resolve()
      .then(() => page.render(context))
      .then(
        (node) => {
          if (!context.signal.aborted) replaceChildren(outlet, node);
        },
        (error) => {
          if (!context.signal.aborted && !isAbort(error))
            replaceChildren(
              outlet,
              errorState(error, () => this.router.render()),
            );
        },
      );
  }

  private async signOut(): Promise<void> {
    try {
      await signOut();
    } catch {
      // Signed out already (expired): the form below is the right place either way.
    }
    adminEvents.reset();
    history.pushState(null, '', consoleUrl('/'));
    this.session = null;
    this.showSignIn({ text: 'Signed out.', kind: 'info' });
  }

  private sessionLost(error: ApiError): void {
    if (!this.session) return;
    this.session = null;
    adminEvents.reset();
    // The page stays at its URL: signing in again shows it.
    this.showSignIn({
      text: `Your session has ended (it expired, or was signed out elsewhere): sign in again. The server said: ${error.message}`,
      kind: 'warning',
    });
  }
}
