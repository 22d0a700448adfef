/** /submit: the complaint form (one Idempotency-Key per fill, a honeypot field) and the tracking code after. */

import { call, idempotencyKey, submissionsPath } from './api';
import { h, show } from './dom';
import { busy, type Field, field, placeErrors, problemText, statusLine } from './forms';
import type { Texts } from './i18n';
import type { SubmissionCreated } from './types';

function done(root: HTMLElement, t: Texts, created: SubmissionCreated): void {
  const code = h('p', { class: 'cz-code-big', 'data-testid': 'tracking-code' }, created.tracking_code);
  const copied = statusLine();
  const copy = h('button', { type: 'button', class: 'cz-button cz-secondary' }, t.copy);
  copy.addEventListener('click', () => {
    // The clipboard API exists only on https (and localhost); elsewhere the code is selected for a long press.
    if (!window.isSecureContext) {
      getSelection()?.selectAllChildren(code);
      return;
    }
    void navigator.clipboard
      .writeText(created.tracking_code)
      .then(() => (copied.textContent = t.copied))
      .catch(() => getSelection()?.selectAllChildren(code));
  });
  show(
    root,
    h(
      'section',
      { class: 'cz-card cz-done' },
      h('h1', { class: 'cz-h1' }, t.submitted),
      created.folded ? h('p', { class: 'cz-note' }, t.folded) : null,
      h('p', {}, t.yourCode),
      code,
      h('p', { class: 'cz-hint' }, t.keepCode),
      h('div', { class: 'cz-actions' }, copy, h('a', { class: 'cz-button', href: `/track/${encodeURIComponent(created.tracking_code)}` }, t.trackNow)),
      copied,
      h('p', {}, h('a', { href: '/submit' }, t.submitAnother)),
    ),
  );
}

function input(name: string, attrs: Record<string, string | number> = {}): HTMLInputElement {
  return h('input', { name, id: name, ...attrs });
}

export function submitPage(root: HTMLElement, t: Texts): void {
  // One key for this fill: a double tap, or a retry after a lost answer, makes one submission.
  const key = idempotencyKey();
  const fields: Record<string, Field> = {
    title: field(t.title, input('title', { maxlength: 200 }), { required: true }),
    content: field(t.content, h('textarea', { name: 'content', id: 'content', rows: 6, maxlength: 5000 }), { required: true }),
    city: field(`${t.city}${t.optionalMark}`, input('city', { maxlength: 20, autocomplete: 'address-level2' })),
    enterprise_name: field(`${t.enterprise}${t.optionalMark}`, input('enterprise_name', { maxlength: 200, autocomplete: 'organization' })),
    contact_name: field(t.contactName, input('contact_name', { maxlength: 100, autocomplete: 'name' })),
    contact_phone: field(t.contactPhone, input('contact_phone', { type: 'tel', inputmode: 'tel', maxlength: 40, autocomplete: 'tel' })),
    contact_email: field(t.contactEmail, input('contact_email', { type: 'email', maxlength: 200, autocomplete: 'email' })),
  };
  const notify = (value: string, label: string) =>
    h('label', { class: 'cz-choice' }, h('input', { type: 'radio', name: 'notify_by', value, checked: value === '' }), ` ${label}`);
  const notifyError = h('p', { class: 'cz-error', role: 'alert', hidden: true });
  // Robots fill every field; people never see this one (off screen, out of the tab order, hidden from readers).
  const trap = h(
    'div',
    { class: 'cz-hp', 'aria-hidden': 'true' },
    h('label', { for: 'website' }, t.honeypot),
    h('input', { name: 'website', id: 'website', tabindex: -1, autocomplete: 'off' }),
  );
  const status = statusLine();
  const button = h('button', { type: 'submit', class: 'cz-button cz-wide' }, t.send);
  const form = h(
    'form',
    { class: 'cz-form', novalidate: true },
    fields.title?.row,
    fields.content?.row,
    fields.city?.row,
    fields.enterprise_name?.row,
    h('fieldset', { class: 'cz-group' }, h('legend', {}, t.contacts), h('p', { class: 'cz-hint' }, t.contactHint), fields.contact_name?.row, fields.contact_phone?.row, fields.contact_email?.row),
    h(
      'fieldset',
      { class: 'cz-group' },
      h('legend', {}, t.notifyLegend),
      notify('', t.notifyNone),
      notify('sms', t.notifySms),
      notify('email', t.notifyEmail),
      h('p', { class: 'cz-hint' }, t.notifyConsent),
      notifyError,
    ),
    trap,
    button,
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body: Record<string, string> = {};
    for (const [name, value] of data.entries()) if (typeof value === 'string' && value.trim()) body[name] = value.trim();
    for (const f of Object.values(fields)) f.setError('');
    notifyError.hidden = true;
    let ok = true;
    for (const name of ['title', 'content']) {
      if (!body[name]) {
        fields[name]?.setError(t.required);
        ok = false;
      }
    }
    const needs = body.notify_by === 'sms' ? ['contact_phone', t.needPhone] : body.notify_by === 'email' ? ['contact_email', t.needEmail] : null;
    if (needs && !body[needs[0] as string]) {
      notifyError.textContent = needs[1] as string;
      notifyError.hidden = false;
      ok = false;
    }
    if (!ok) {
      // Focus (and so scroll to) the first field to fix; a screen reader reads its label and error.
      form.querySelector<HTMLElement>('[aria-invalid=true], input[name=notify_by]:checked')?.focus();
      return;
    }
    status.textContent = '';
    void busy(button, t.sending, () => call<SubmissionCreated>('POST', submissionsPath, body, { 'Idempotency-Key': key }))
      .then((created) => done(root, t, created))
      .catch((error: unknown) => {
        if (!placeErrors(error, fields)) status.textContent = problemText(error, t);
      });
  });
  show(root, h('section', { class: 'cz-card' }, h('h1', { class: 'cz-h1' }, t.submitTitle), h('p', {}, t.submitIntro), form));
}
