import { useEffect, useState } from 'react';

const STEPS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', Number.POSITIVE_INFINITY],
];

/** How long ago `then` was at `now`, in the largest whole unit ("3 秒前", "5 分钟前"; "3 seconds ago" in English). */
export function timeAgo(then: Date, now: Date, language: string): string {
  let amount = Math.max(0, Math.floor((now.getTime() - then.getTime()) / 1000));
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'always', style: language.startsWith('zh') ? 'narrow' : 'long' });
  for (const [unit, size] of STEPS) {
    if (amount < size) return format.format(-amount, unit);
    amount = Math.floor(amount / size);
  }
  return format.format(-amount, 'day');
}

/** The current time, renewed every `everyMs` while the component is mounted (for "… ago" labels). */
export function useNow(everyMs = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
