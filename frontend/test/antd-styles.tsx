import { createCache, StyleProvider, type CSSObject, type Transformer } from '@ant-design/cssinjs';
import type { ReactNode } from 'react';

/**
 * The CSS properties by which a page hides or disables what it shows: Testing Library's role queries skip what
 * `display: none` or `visibility: hidden` hides, `toBeVisible` also reads `opacity`, and user-event refuses to click
 * through `pointer-events: none`. antd closes a dropdown, a tab pane or a collapsed panel with such a rule of its
 * CSS-in-JS (e.g. `.ant-select-dropdown-hidden { display: none }`), so these declarations stay.
 */
export const KEPT_PROPERTIES = new Set(['display', 'visibility', 'pointerEvents', 'opacity']);

const camelCase = (key: string) => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** A nested rule (selector, @media) as @ant-design/cssinjs's parseStyle tells it from a property's value. */
function isNestedRule(key: string, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (key === 'animationName' && '_keyframe' in value) return false;
  return !('_skip_check_' in value) && !('_multi_value_' in value);
}

/**
 * Every other declaration goes: jsdom has no layout, so margins, fonts and colours change nothing a test can see,
 * but jsdom's getComputedStyle (called by every role query on each ancestor and by user-event on each pointer
 * action) matched each element against antd's thousand-odd rules and resolved each of their declarations: about
 * half of the suite's CPU. Rules left empty are dropped whole by the serializer (stylis).
 */
const hidingRulesOnly: Transformer = {
  visit(style: CSSObject): CSSObject {
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(style)) {
      if (isNestedRule(key, value) || KEPT_PROPERTIES.has(camelCase(key))) kept[key] = value;
    }
    return kept as CSSObject;
  },
};

const transformers = [hidingRulesOnly];

/**
 * antd's style cache forgets a component's styles (and its theme's <style> tags) when the last instance unmounts,
 * which cleanup() does after every test, so each test generated and inserted them all again. This one keeps each
 * entry at a count of 0 instead: the next mount reuses it and re-inserts its style tag only where it is missing, as
 * in the browser, where the theme (ConfigProvider) outlives the pages. The text generated is the same either way.
 */
const cache = createCache();
const update = cache.opUpdate.bind(cache);
cache.opUpdate = (key, next) => {
  update(key, (prev) => next(prev) ?? (prev ? [0, prev[1]] : null));
};

/** antd's CSS-in-JS as the tests see it: the rules that hide, disable or fade something, nothing else. */
export function TestStyles({ children }: { children: ReactNode }) {
  return (
    <StyleProvider cache={cache} transformers={transformers}>
      {children}
    </StyleProvider>
  );
}
