import { describe, expect, it } from 'vitest';
import { withMotion } from '@/features/reports/lib/chart-motion';

describe('withMotion', () => {
  const option = { animation: true, series: [{ type: 'bar', data: [1, 2] }] };

  it('turns the animation off when the user asked for less motion, and keeps the rest', () => {
    expect(withMotion(option, true)).toEqual({ animation: false, series: option.series });
    expect(option.animation).toBe(true);
  });

  it('leaves the option as it is otherwise', () => {
    expect(withMotion(option, false)).toBe(option);
  });
});
