import { useSyncExternalStore } from 'react';

/** antd's `xs` breakpoint: narrower than `sm` (576 px) is a phone held upright (360–414 px). */
export const PHONE_QUERY = '(max-width: 575.98px)';

function media(): MediaQueryList | null {
  return typeof window.matchMedia === 'function' ? window.matchMedia(PHONE_QUERY) : null;
}

function subscribe(onChange: () => void): () => void {
  const list = media();
  list?.addEventListener('change', onChange);
  return () => list?.removeEventListener('change', onChange);
}

/**
 * Whether the screen is a phone's (< 576 px wide). Read from the media query synchronously, so the first
 * render already has the phone layout (antd's Grid.useBreakpoint answers only after an effect, which would
 * draw the desktop table once and then the cards). Follows rotation and window resizes.
 */
export function useIsPhone(): boolean {
  return useSyncExternalStore(subscribe, () => media()?.matches ?? false);
}
