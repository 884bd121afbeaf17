/** The three states every view of data has besides its data: loading, empty and failed. */
import { describeError, isAbort } from '../api.js';
import { h, replaceChildren } from '../dom.js';

export function loadingState(text = 'Loading…'): HTMLElement {
  return h('p', { class: 'state state-loading', role: 'status', 'aria-live': 'polite' }, text);
}

export function emptyState(text: string): HTMLElement {
  return h('p', { class: 'state state-empty' }, text);
}

/** An error in words (the admin API's message and code), with a "Try again" button when `retry` is given. */
export function errorState(error: unknown, retry?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'state state-error', role: 'alert' },
    h('p', null, h('strong', null, 'Could not load this: '), describeError(error)),
    retry && h('button', { type: 'button', class: 'button', onclick: retry }, 'Try again'),
  );
}

/** Shows a failed read in `holder`, with a retry, unless it was aborted (the page was left). */
export function showReadError(holder: Element, error: unknown, signal: AbortSignal, retry: () => unknown): void {
  if (isAbort(error) || signal.aborted) return;
  replaceChildren(
    holder,
    errorState(error, () => void retry()),
  );
}
