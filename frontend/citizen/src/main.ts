/** The public pages' entry: /submit, /track, /track/<code>; Chinese first, English on the header's switch. */

import { h } from './dom';
import { currentLang, setLang, texts } from './i18n';
import { submitPage } from './submit-page';
import { trackPage } from './track-page';

function start(): void {
  const lang = currentLang();
  setLang(lang);
  const t = texts(lang);
  const root = document.getElementById('app');
  const nav = document.getElementById('nav');
  if (!root || !nav) return;
  const here = location.pathname;
  const link = (href: string, label: string) =>
    h('a', { href, 'aria-current': here.startsWith(href) ? 'page' : null }, label);
  const switcher = h('button', { type: 'button', class: 'cz-lang', lang: lang === 'en' ? 'zh-CN' : 'en' }, t.switchTo);
  switcher.addEventListener('click', () => {
    setLang(lang === 'en' ? 'zh' : 'en');
    start();
  });
  nav.replaceChildren(link('/submit', t.navSubmit), link('/track', t.navTrack), switcher);
  const brand = document.getElementById('brand');
  if (brand) brand.textContent = t.appName;
  document.title = t.appName;
  const match = /^\/track(?:\/([^/]+))?\/?$/.exec(here);
  if (match) void trackPage(root, t, lang, match[1] ? decodeURIComponent(match[1]) : null);
  else submitPage(root, t);
}

start();
