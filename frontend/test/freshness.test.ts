import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { freshnessText } from '@/features/reports/components/freshness';
import { createI18n } from '@/i18n';
import { timeAgo } from '@/shared/lib/relative-time';

const now = new Date(2026, 2, 10, 10, 32, 3); // local time: what the browser shows
const at = (seconds: number) => dayjs(now).subtract(seconds, 'second').toISOString();

describe('report freshness as a time', () => {
  const zh = createI18n('zh-CN');
  const en = createI18n('en');

  it('says when the figures were brought up to date and how long ago', () => {
    expect(freshnessText({ as_of_seq: 2378, lag_events: 0, checked_at: at(3) }, now, zh.t, 'zh-CN')).toBe('数据更新于 10:32，3秒前');
    expect(freshnessText({ as_of_seq: 2378, lag_events: 0, checked_at: at(3) }, now, en.t, 'en')).toBe('Updated at 10:32, 3 seconds ago');
  });

  it('names the changes still to be counted, never the event number', () => {
    const text = freshnessText({ as_of_seq: 2378, lag_events: 5, checked_at: at(123) }, now, zh.t, 'zh-CN');
    expect(text).toBe('数据更新于 10:30，2分钟前；尚有 5 条变更未计入');
    expect(text).not.toContain('2378');
  });

  it('gives the date too when the last update was on another day, and says when nothing was read yet', () => {
    expect(freshnessText({ as_of_seq: 9, lag_events: 0, checked_at: at(26 * 3600) }, now, zh.t, 'zh-CN')).toBe(
      '数据更新于 2026-03-09 08:32，1天前',
    );
    expect(freshnessText({ as_of_seq: 0, lag_events: 0, checked_at: null }, now, zh.t, 'zh-CN')).toBe('统计数据尚未生成：尚未读取任何变更');
    expect(freshnessText({ as_of_seq: 9, lag_events: null, checked_at: at(90) }, now, zh.t, 'zh-CN')).toBe(
      '数据更新于 10:30，1分钟前；暂时无法确认是否有未计入的变更',
    );
  });

  it('counts in the largest whole unit', () => {
    expect(timeAgo(new Date(now.getTime() - 59_000), now, 'zh-CN')).toBe('59秒前');
    expect(timeAgo(new Date(now.getTime() - 3 * 3600_000), now, 'zh-CN')).toBe('3小时前');
    expect(timeAgo(new Date(now.getTime() + 5_000), now, 'en')).toBe('0 seconds ago');
  });
});
