/** Small accessible form pieces: a labelled field with its hint and error, a status line, busy buttons. */

import { ApiProblem } from './api';
import { h } from './dom';
import type { Texts } from './i18n';

let counter = 0;

export interface Field {
  row: HTMLElement;
  input: HTMLInputElement | HTMLTextAreaElement;
  setError: (message: string) => void;
}

export function field(
  label: string,
  input: HTMLInputElement | HTMLTextAreaElement,
  { hint, required }: { hint?: string; required?: boolean } = {},
): Field {
  counter += 1;
  const id = input.id || `cz-f${counter}`;
  input.id = id;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const error = h('p', { class: 'cz-error', id: errorId, role: 'alert', hidden: true });
  input.setAttribute('aria-describedby', hint ? `${hintId} ${errorId}` : errorId);
  if (required) input.required = true;
  const row = h(
    'div',
    { class: 'cz-field' },
    h('label', { for: id }, label, required ? h('span', { class: 'cz-req', 'aria-hidden': 'true' }, ' *') : null),
    input,
    hint ? h('p', { class: 'cz-hint', id: hintId }, hint) : null,
    error,
  );
  const setError = (message: string) => {
    error.textContent = message;
    error.hidden = !message;
    input.setAttribute('aria-invalid', message ? 'true' : 'false');
  };
  return { row, input, setError };
}

/** A polite live region for what a form did (or why it did not). */
export function statusLine(): HTMLParagraphElement {
  return h('p', { class: 'cz-status', role: 'status', 'aria-live': 'polite' });
}

export function problemText(error: unknown, t: Texts): string {
  if (error instanceof ApiProblem) return [error.title || t.failed, error.detail].filter(Boolean).join('：');
  return t.offline;
}

/** Put a 422's field errors on the fields; true when at least one landed. */
export function placeErrors(error: unknown, fields: Record<string, Field>): boolean {
  if (!(error instanceof ApiProblem)) return false;
  let placed = false;
  for (const e of error.errors) {
    const target = fields[e.field.replace(/^body\./, '')];
    if (target) {
      target.setError(e.message);
      placed = true;
    }
  }
  return placed;
}

export async function busy<T>(button: HTMLButtonElement, label: string, work: () => Promise<T>): Promise<T> {
  const idle = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = idle;
  }
}
