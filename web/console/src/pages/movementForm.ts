/**
 * The deposit and withdrawal forms (`POST /admin/v1/ledger/deposits`, `/withdrawals`). Money
 * must move once however the button is pressed: the form makes one idempotency key per fill and
 * sends it with every attempt (a double click, a retry after the network failed) until a
 * movement succeeds, and the button is disabled while a request runs. The amount is typed in
 * the currency's units and turned into minor units without floating point (parseAmount.ts).
 */
import { ApiError, describeError, post } from '../api.js';
import { h } from '../dom.js';
import { formatMoney } from '../format.js';
import { parseAmount } from '../parseAmount.js';
import type { TransferView } from './matchTypes.js';
import { accountUrl } from './transferColumns.js';

export type MovementKind = 'deposit' | 'withdrawal';

const words = {
  deposit: {
    title: 'Deposit',
    button: 'Deposit',
    busy: 'Depositing…',
    done: 'Deposited',
    path: '/ledger/deposits',
    to: 'to',
  },
  withdrawal: {
    title: 'Withdraw',
    button: 'Withdraw',
    busy: 'Withdrawing…',
    done: 'Withdrew',
    path: '/ledger/withdrawals',
    to: 'from',
  },
} as const;

/** Currency codes the ledger takes: `USD`, `EUR`, `COINS` (the API checks it too). */
const currencyPattern = /^[A-Z][A-Z0-9_]{1,15}$/;

type FieldName = 'userId' | 'currency' | 'amount';

/** A fresh key; `crypto.randomUUID` exists only in a secure context (HTTPS or localhost). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return `console-${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export interface MovementFormOptions {
  kind: MovementKind;
  /** A fixed user and currency (an account's page, both or neither); free fields otherwise. */
  userId?: string;
  currency?: string;
  /** Called after money moved. */
  moved?(transfer: TransferView): void;
}

export function movementForm(options: MovementFormOptions): HTMLFormElement {
  const w = words[options.kind];
  const fixed = options.userId !== undefined && options.currency !== undefined;
  const id = (name: string) => `${options.kind}-${name}`;
  const errors = {} as Record<FieldName, HTMLElement>;
  const field = (name: FieldName, label: string, control: HTMLInputElement, hint?: HTMLElement) => {
    errors[name] = h('p', { id: id(`${name}-error`), class: 'field-error', role: 'alert' });
    control.setAttribute('aria-describedby', [hint && hint.id, errors[name].id].filter(Boolean).join(' '));
    return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hint, errors[name]);
  };

  const userId = h('input', {
    id: id('user'),
    name: 'userId',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    value: options.userId ?? '',
  });
  const currency = h('input', {
    id: id('currency'),
    name: 'currency',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    value: options.currency ?? 'USD',
  });
  const amount = h('input', {
    id: id('amount'),
    name: 'amount',
    type: 'text',
    inputmode: 'decimal',
    autocomplete: 'off',
    placeholder: '12.50',
  });
  const preview = h('p', { id: id('amount-hint'), class: 'field-hint' });
  const button = h('button', { type: 'submit', class: 'button primary' }, w.button);
  const note = h('p', { class: 'form-note', role: 'status', 'aria-live': 'polite' });
  const formError = h('p', { class: 'form-error', role: 'alert' });
  let key = newIdempotencyKey();
  const keyText = h('code', { class: 'idempotency-key' }, key);
  let inFlight = false;

  const currencyCode = () => currency.value.trim().toUpperCase();
  const updatePreview = () => {
    const code = currencyCode();
    const parsed = currencyPattern.test(code) ? parseAmount(amount.value, code) : undefined;
    preview.textContent =
      parsed?.ok === true
        ? `${formatMoney(parsed.minor, code)} = ${parsed.minor} minor units`
        : `In ${currencyPattern.test(code) ? code : 'the currency'}'s units, e.g. 12.50`;
  };
  amount.addEventListener('input', updatePreview);
  currency.addEventListener('input', updatePreview);
  updatePreview();

  const clearErrors = () => {
    for (const element of Object.values(errors)) element.textContent = '';
    for (const control of [userId, currency, amount]) control.removeAttribute('aria-invalid');
    formError.textContent = '';
  };
  const showError = (name: FieldName | undefined, message: string) => {
    if (name === undefined) {
      formError.textContent = message;
      return;
    }
    errors[name].textContent = message;
    const control = { userId, currency, amount }[name];
    control.setAttribute('aria-invalid', 'true');
    control.focus();
  };

  const form = h(
    'form',
    { class: `panel movement movement-${options.kind}`, 'aria-label': w.title, novalidate: true },
    h('h3', null, w.title),
    // A fixed user and currency (an account's page) are said, not asked.
    fixed &&
      h(
        'p',
        { class: 'movement-target' },
        options.kind === 'deposit' ? 'To ' : 'From ',
        h('strong', null, options.userId),
        ` in ${options.currency}`,
      ),
    h(
      'div',
      { class: `movement-fields${fixed ? ' fixed' : ''}` },
      !fixed && field('userId', 'User id', userId),
      !fixed && field('currency', 'Currency', currency),
      field('amount', `Amount${fixed ? ` (${options.currency})` : ''}`, amount, preview),
    ),
    h('div', { class: 'form-actions' }, button),
    formError,
    note,
    h('p', { class: 'muted small key-line' }, 'Idempotency key: ', keyText),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (inFlight) return;
    clearErrors();
    note.textContent = '';
    const user = userId.value.trim();
    const code = currencyCode();
    if (user === '') return showError('userId', 'Enter the user id.');
    if (!currencyPattern.test(code)) {
      return showError(
        'currency',
        'A currency code is 2–16 capital letters, digits or _, starting with a letter (USD, COINS).',
      );
    }
    const parsed = parseAmount(amount.value, code);
    if (!parsed.ok) return showError('amount', parsed.message);

    inFlight = true;
    button.disabled = true;
    button.textContent = w.busy;
    form.setAttribute('aria-busy', 'true');
    post<{ transfer: TransferView }>(w.path, {
      userId: user,
      currency: code,
      amount: Number(parsed.minor),
      idempotencyKey: key,
    })
      .then(
        ({ transfer }) => {
          note.replaceChildren(
            `${w.done} ${formatMoney(transfer.amount, transfer.currency)} ${w.to} `,
            h('a', { href: accountUrl(`user:${transfer.currency}:${user}`) }, user),
            `: transfer #${transfer.id}`,
            transfer.balanceAfter !== null
              ? `, balance now ${formatMoney(transfer.balanceAfter, transfer.currency)}.`
              : '.',
          );
          // The next fill is another movement: a new key.
          key = newIdempotencyKey();
          keyText.textContent = key;
          amount.value = '';
          updatePreview();
          options.moved?.(transfer);
        },
        (error: unknown) => {
          const [name, message] = placeError(error, options.kind, formatMoney(parsed.minor, code));
          showError(name, message);
        },
      )
      .finally(() => {
        inFlight = false;
        button.disabled = false;
        button.textContent = w.button;
        form.removeAttribute('aria-busy');
      });
  });
  return form;
}

/** Which field a refusal is about, and the words to show there. */
function placeError(error: unknown, kind: MovementKind, amount: string): [FieldName | undefined, string] {
  if (!(error instanceof ApiError)) return [undefined, describeError(error)];
  if (error.status === 0) {
    return [
      undefined,
      `${error.message} The ${kind} may or may not have gone through: press the button again to retry; the same idempotency key makes sure the money moves once.`,
    ];
  }
  if (error.code === 'insufficient_funds') return ['amount', `Not enough money for ${amount}: ${describeError(error)}`];
  if (error.code === 'idempotency_conflict') {
    return [
      undefined,
      `${describeError(error)}. An earlier attempt of this form went through with other values: check the account before moving money again.`,
    ];
  }
  // The API names the field first: "invalid body: amount must be at least 1", "amount would take…".
  const named = /^(?:invalid body: )?(userId|currency|amount)\b/.exec(error.message)?.[1] as FieldName | undefined;
  return [named, describeError(error)];
}
