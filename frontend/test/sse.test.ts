import { describe, expect, it } from 'vitest';
import { parseSse } from '@/features/notifications/api/sse';

describe('parseSse', () => {
  it('splits complete messages and keeps the unfinished rest', () => {
    const { messages, rest } = parseSse('event: notification\ndata: {"id":1}\nid: 7\n\n: keep-alive\n\ndata: a\ndata: b\n\ndata: part');
    expect(messages).toEqual([
      { event: 'notification', data: '{"id":1}', id: '7' },
      { event: 'message', data: 'a\nb' },
    ]);
    expect(rest).toBe('data: part');
  });

  it('accepts CRLF line endings', () => {
    expect(parseSse('data: x\r\n\r\n').messages).toEqual([{ event: 'message', data: 'x' }]);
  });
});
