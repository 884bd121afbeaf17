/**
 * A form that writes through the admin API: labelled fields, one submit button that is disabled
 * while the request runs (a double click submits once), and the API's refusal shown in words next
 * to the field it names, or above the fields when it names none.
 *
 * The admin API's refusals are `{code, message}`; a message names the field at fault in the
 * route's own words ("invalid body: defaultName must be at most 20 bytes in UTF-8"), and some
 * codes are about one field whatever the message says (`gift_exists` → `giftId`): `codeFields`.
 */
import { ApiError, describeError } from '../api.js';
import { type Child, h, replaceChildren } from '../dom.js';

export type FormField =
  | {
      kind: 'text' | 'textarea' | 'url';
      name: string;
      label: string;
      value?: string;
      hint?: string;
      required?: boolean;
    }
  | { kind: 'number'; name: string; label: string; value?: number; hint?: string; required?: boolean; min?: number }
  | {
      kind: 'select';
      name: string;
      label: string;
      value?: string;
      hint?: string;
      options: Array<{ value: string; label: string }>;
    };

export interface FormOptions {
  /** Distinguishes the element ids of two forms on one page (`gift-new` → `gift-new-coins`). */
  id: string;
  fields: FormField[];
  submitLabel: string;
  /** Names the form for screen readers. */
  label?: string;
  /**
   * Sends the values (each field's text, trimmed; the page turns them into its request body).
   * Resolves with a note to show ("Saved."), or nothing; rejects with the API's error.
   */
  submit(values: Record<string, string>): Promise<string | void>;
  /** Error codes about one field whatever their message says, e.g. `{ gift_exists: 'giftId' }`. */
  codeFields?: Record<string, string>;
  /** Clears the fields after a successful submit (a form that adds one item after another). */
  resetOnSuccess?: boolean;
  /** More controls beside the submit button (a Cancel link). */
  actions?: Child;
}

export interface FormHandle {
  element: HTMLFormElement;
  /** Shows `error` next to its field (or above the fields). */
  showError(error: unknown): void;
  clearErrors(): void;
}

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

export function form(options: FormOptions): FormHandle {
  const controls = new Map<string, { control: Control; error: HTMLElement }>();
  const top = h('div', { class: 'form-error', role: 'alert', id: `${options.id}-error` });
  const note = h('p', { class: 'form-note', role: 'status', 'aria-live': 'polite' });
  const submitButton = h('button', { type: 'submit', class: 'button primary' }, options.submitLabel);

  const rows = options.fields.map((field) => {
    const id = `${options.id}-${field.name}`;
    const errorId = `${id}-error`;
    const hintId = `${id}-hint`;
    const described = [field.hint ? hintId : '', errorId].filter(Boolean).join(' ');
    const common = {
      id,
      name: field.name,
      'aria-describedby': described,
      required: 'required' in field && field.required,
    };
    let control: Control;
    if (field.kind === 'select') {
      control = h(
        'select',
        common,
        field.options.map((option) =>
          h('option', { value: option.value, selected: option.value === field.value }, option.label),
        ),
      );
    } else if (field.kind === 'textarea') {
      control = h('textarea', { ...common, rows: 2 }, field.value ?? '');
    } else if (field.kind === 'number') {
      control = h('input', {
        ...common,
        type: 'number',
        inputmode: 'numeric',
        step: 1,
        min: field.min,
        value: field.value,
      });
    } else {
      control = h('input', { ...common, type: field.kind === 'url' ? 'url' : 'text', value: field.value ?? '' });
    }
    const error = h('p', { class: 'field-error', id: errorId });
    // A changed value may no longer break the rule: the field's error goes until the next submit.
    control.addEventListener('input', () => {
      control.removeAttribute('aria-invalid');
      error.replaceChildren();
    });
    controls.set(field.name, { control, error });
    return h(
      'div',
      { class: 'form-row' },
      h('label', { for: id }, field.label),
      control,
      field.hint && h('p', { class: 'field-hint muted small', id: hintId }, field.hint),
      error,
    );
  });

  const element = h(
    'form',
    { class: 'entry-form', id: options.id, 'aria-label': options.label, novalidate: true },
    top,
    h('div', { class: 'form-fields' }, rows),
    h('div', { class: 'form-actions' }, submitButton, options.actions, note),
  );

  const clearErrors = () => {
    top.replaceChildren();
    for (const { control, error } of controls.values()) {
      control.removeAttribute('aria-invalid');
      error.replaceChildren();
    }
  };

  const showError = (failure: unknown) => {
    clearErrors();
    const name = failure instanceof ApiError ? fieldOf(failure, [...controls.keys()], options.codeFields) : undefined;
    const target = name === undefined ? undefined : controls.get(name);
    if (target && failure instanceof ApiError) {
      target.control.setAttribute('aria-invalid', 'true');
      target.error.textContent = failure.message;
      target.control.focus();
    } else {
      replaceChildren(top, describeError(failure));
    }
  };

  // The flag, not only the disabled button, keeps a second submit out: events queued before the
  // button was disabled still arrive.
  let inFlight = false;
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    if (inFlight) return;
    inFlight = true;
    submitButton.disabled = true;
    element.setAttribute('aria-busy', 'true');
    note.textContent = '';
    const values: Record<string, string> = {};
    for (const [name, { control }] of controls) values[name] = control.value.trim();
    options
      .submit(values)
      .then((done) => {
        clearErrors();
        if (options.resetOnSuccess) element.reset();
        note.textContent = done ?? '';
      })
      .catch(showError)
      .finally(() => {
        inFlight = false;
        submitButton.disabled = false;
        element.removeAttribute('aria-busy');
      });
  });

  return { element, showError, clearErrors };
}

/**
 * The field an admin API refusal is about: the one its code is about, else the field named
 * first in its message (as a whole word: `name` is not found in `defaultName`).
 */
export function fieldOf(error: ApiError, names: string[], codeFields: Record<string, string> = {}): string | undefined {
  const byCode = codeFields[error.code];
  if (byCode !== undefined && names.includes(byCode)) return byCode;
  let first: { name: string; at: number } | undefined;
  for (const name of names) {
    const at = error.message.search(new RegExp(`(^|[^A-Za-z0-9_])${name}($|[^A-Za-z0-9_])`));
    if (at >= 0 && (first === undefined || at < first.at)) first = { name, at };
  }
  return first?.name;
}
