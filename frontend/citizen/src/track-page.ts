/** /track (ask for the code) and /track/<code> (the submission's page). */

import { ApiProblem, call, submissionsPath } from './api';
import { h, show } from './dom';
import { field, problemText } from './forms';
import type { Lang, Texts } from './i18n';
import { trackView } from './track-view';
import type { PublicSubmission, RevealedSubmission } from './types';

function lookupForm(t: Texts, message = ''): HTMLElement {
  const code = field(
    t.codeLabel,
    h('input', { name: 'code', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', class: 'cz-mono' }),
    { hint: t.codeHint, required: true },
  );
  code.input.id = 'code';
  if (message) code.setError(message);
  const form = h('form', { class: 'cz-form' }, code.row, h('button', { type: 'submit', class: 'cz-button' }, t.lookUp));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = code.input.value.replace(/\s+/g, '').toUpperCase();
    if (value) location.assign(`/track/${encodeURIComponent(value)}`);
  });
  return h('section', { class: 'cz-card' }, h('h1', { class: 'cz-h1' }, t.trackTitle), form);
}

export async function trackPage(root: HTMLElement, t: Texts, lang: Lang, code: string | null): Promise<void> {
  if (!code) {
    show(root, lookupForm(t));
    return;
  }
  const path = `${submissionsPath}/${encodeURIComponent(code)}`;
  const draw = (data: PublicSubmission) => show(root, trackView(data, t, lang, actions));
  const actions = {
    feedback: (rating: number, comment: string) =>
      call<PublicSubmission>('POST', `${path}/feedback`, { satisfied: rating >= 3, rating, ...(comment ? { comment } : {}) }),
    appeal: (reason: string) => call<PublicSubmission>('POST', `${path}/appeal`, { reason }),
    reveal: (phoneLast4: string) => call<RevealedSubmission>('POST', `${path}/reveal`, { phone_last4: phoneLast4 }),
    redraw: draw,
  };
  try {
    draw(await call<PublicSubmission>('GET', path));
  } catch (error) {
    const notFound = error instanceof ApiProblem && error.status === 404;
    show(root, lookupForm(t, notFound ? t.notFound : problemText(error, t)));
  }
}
