/**
 * A submission's page as its submitter sees it: status, stages in plain words, unit, expected date, every
 * reply, the rating, the one appeal and their own text back. Pure rendering from the API's answer; the
 * forms call `actions`. Without `actions` (the office's preview) the same page shows with its forms disabled.
 */

import { h } from './dom';
import { busy, field, placeErrors, problemText, statusLine } from './forms';
import { formatDate, type Lang, type Texts } from './i18n';
import type { PublicSubmission, RevealedSubmission } from './types';

export interface TrackActions {
  feedback: (rating: number, comment: string) => Promise<PublicSubmission>;
  appeal: (reason: string) => Promise<PublicSubmission>;
  reveal: (phoneLast4: string) => Promise<RevealedSubmission>;
  /** Show the page again after a form changed it. */
  redraw: (data: PublicSubmission) => void;
}

interface Ctx {
  t: Texts;
  lang: Lang;
  actions: TrackActions | null;
}

const en = (ctx: Ctx, zh: string, english: string) => (ctx.lang === 'en' ? english : zh);

function card(title: string | null, ...children: (Node | null)[]): HTMLElement {
  return h('section', { class: 'cz-card' }, title ? h('h2', {}, title) : null, ...children);
}

function facts(data: PublicSubmission, ctx: Ctx): HTMLElement {
  const { t, lang } = ctx;
  const row = (label: string, value: string, testid: string) =>
    h('div', { class: 'cz-fact' }, h('dt', {}, label), h('dd', { 'data-testid': testid }, value));
  return h(
    'dl',
    { class: 'cz-facts' },
    row(t.unit, data.unit_name ?? '—', 'unit-name'),
    row(t.expected, data.expected_date ? formatDate(data.expected_date, lang) : '—', 'expected-date'),
    row(t.submittedAt, formatDate(data.submitted_at, lang, true), 'submitted-at'),
  );
}

function stages(data: PublicSubmission, ctx: Ctx): HTMLElement {
  const items = data.stages.map((s) =>
    h(
      'li',
      {
        class: `cz-stage${s.done ? ' is-done' : ''}${s.current ? ' is-current' : ''}`,
        'aria-current': s.current ? 'step' : null,
      },
      h('span', { class: 'cz-dot', 'aria-hidden': 'true' }),
      h(
        'div',
        {},
        h('strong', {}, en(ctx, s.text, s.text_en)),
        s.at && s.done ? h('time', { datetime: s.at }, ' · ', formatDate(s.at, ctx.lang)) : null,
        h('p', {}, en(ctx, s.detail, s.detail_en)),
      ),
    ),
  );
  return card(ctx.t.stages, h('ol', { class: 'cz-stages' }, items));
}

function replies(data: PublicSubmission, ctx: Ctx): HTMLElement {
  if (data.replies.length === 0) return card(ctx.t.replies, h('p', { class: 'cz-muted' }, ctx.t.noReplies));
  const items = data.replies.map((r) =>
    h(
      'li',
      { class: 'cz-reply' },
      h('p', { class: 'cz-meta' }, formatDate(r.at, ctx.lang, true), r.on === 'issue' ? ` · ${ctx.t.onIssue}` : ''),
      h('p', { class: 'cz-text' }, r.content),
    ),
  );
  return card(ctx.t.replies, h('ol', { class: 'cz-replies', 'data-testid': 'replies' }, items));
}

function feedbackForm(data: PublicSubmission, ctx: Ctx): HTMLElement | null {
  const { t } = ctx;
  if (!data.can_feedback) {
    if (!data.feedback) return null;
    const note =
      data.followup === 'pending' ? t.followupPending : data.followup === 'reopened' ? t.followupReopened : null;
    return card(
      t.yourRating,
      h('p', { 'data-testid': 'your-rating' }, `${t.ratings[data.feedback.rating - 1] ?? ''} · ${data.feedback.rating}/5`),
      note ? h('p', { class: 'cz-note' }, note) : null,
    );
  }
  const status = statusLine();
  const options = t.ratings.map((label, i) =>
    h('label', { class: 'cz-choice' }, h('input', { type: 'radio', name: 'rating', value: i + 1, required: true }), ` ${i + 1} · ${label}`),
  );
  const comment = field(t.comment, h('textarea', { name: 'comment', rows: 3, maxlength: 1000 }));
  const button = h('button', { type: 'submit', class: 'cz-button' }, t.sendFeedback);
  const form = h(
    'form',
    { class: 'cz-form', 'data-testid': 'feedback-form' },
    h('fieldset', { disabled: !ctx.actions }, h('legend', {}, t.rating), ...options),
    comment.row,
    button,
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const actions = ctx.actions;
    const picked = form.querySelector<HTMLInputElement>('input[name=rating]:checked');
    if (!actions || !picked) return;
    void busy(button, t.sending, () => actions.feedback(Number(picked.value), comment.input.value.trim()))
      .then(actions.redraw)
      .catch((error: unknown) => (status.textContent = problemText(error, t)));
  });
  if (!ctx.actions) button.disabled = true;
  return card(t.feedbackTitle, form);
}

function appealForm(data: PublicSubmission, ctx: Ctx): HTMLElement | null {
  const { t } = ctx;
  if (data.appeal) {
    return card(t.appealed, h('p', { class: 'cz-text' }, data.appeal.reason), h('p', { class: 'cz-note' }, t.followupPending));
  }
  if (!data.can_appeal) return null;
  const reason = field(t.appealReason, h('textarea', { name: 'reason', rows: 3, maxlength: 1000 }), { required: true });
  const status = statusLine();
  const button = h('button', { type: 'submit', class: 'cz-button', disabled: !ctx.actions }, t.sendAppeal);
  const form = h('form', { class: 'cz-form', 'data-testid': 'appeal-form' }, h('p', {}, t.appealHint), reason.row, button, status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const actions = ctx.actions;
    if (!actions) return;
    void busy(button, t.sending, () => actions.appeal(reason.input.value.trim()))
      .then(actions.redraw)
      .catch((error: unknown) => {
        if (!placeErrors(error, { reason })) status.textContent = problemText(error, t);
      });
  });
  return card(t.appealTitle, form);
}

function revealForm(ctx: Ctx): HTMLElement {
  const { t } = ctx;
  const input = h('input', {
    name: 'phone_last4',
    inputmode: 'numeric',
    autocomplete: 'off',
    pattern: '[0-9]{4}',
    maxlength: 4,
    class: 'cz-short',
  });
  const tail = field(t.phoneTail, input, { hint: t.revealHint, required: true });
  const button = h('button', { type: 'submit', class: 'cz-button cz-secondary', disabled: !ctx.actions }, t.reveal);
  const out = h('div', { 'data-testid': 'revealed' });
  const form = h('form', { class: 'cz-form cz-inline', 'data-testid': 'reveal-form' }, tail.row, button);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const actions = ctx.actions;
    if (!actions) return;
    tail.setError('');
    void busy(button, t.sending, () => actions.reveal(input.value.trim()))
      .then((own) => {
        out.replaceChildren(
          h('h3', {}, t.yourText),
          h('p', {}, h('strong', {}, own.title)),
          h('p', { class: 'cz-text' }, own.content),
          own.enterprise_name ? h('p', { class: 'cz-meta' }, `${t.enterprise}${t.colon}${own.enterprise_name}`) : '',
        );
        form.hidden = true;
      })
      .catch((error: unknown) => tail.setError(problemText(error, t)));
  });
  return card(t.revealTitle, form, out);
}

function timeline(data: PublicSubmission, ctx: Ctx): HTMLElement {
  const items = data.timeline.map((e) =>
    h('li', {}, h('time', { datetime: e.at }, formatDate(e.at, ctx.lang, true)), ' ', en(ctx, e.text, e.text_en)),
  );
  return h('details', { class: 'cz-card cz-history' }, h('summary', {}, ctx.t.timeline), h('ol', {}, items));
}

export function trackView(data: PublicSubmission, t: Texts, lang: Lang, actions: TrackActions | null): HTMLElement {
  const ctx: Ctx = { t, lang, actions };
  const head = card(
    null,
    h('p', { class: 'cz-meta' }, `${t.codeLabel} `, h('span', { class: 'cz-mono', 'data-testid': 'shown-code' }, data.tracking_code)),
    h('h1', { class: 'cz-h1' }, data.title),
    h('p', {}, `${t.status}${t.colon}`, h('span', { class: `cz-badge cz-${data.status}`, 'data-testid': 'public-status' }, t.statuses[data.status])),
    facts(data, ctx),
  );
  return h(
    'div',
    { class: 'cz-track' },
    head,
    stages(data, ctx),
    replies(data, ctx),
    feedbackForm(data, ctx),
    appealForm(data, ctx),
    revealForm(ctx),
    timeline(data, ctx),
  );
}
