import { act, renderHook, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Button } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { describe, expect, it, vi } from 'vitest';
import { ResponsiveTable } from '@/shared/components/responsive-table';
import { PHONE_QUERY, useIsPhone } from '@/shared/hooks/use-is-phone';
import { renderAt } from './render';

/** A matchMedia answering the phone query as a browser of the given width would, and telling of resizes. */
function screenWidth(initial: number) {
  let width = initial;
  const listeners = new Set<() => void>();
  vi.stubGlobal('matchMedia', (query: string) => ({
    media: query,
    get matches() {
      return query === PHONE_QUERY ? width < 576 : false;
    },
    addEventListener: (_: string, fn: () => void) => listeners.add(fn),
    removeEventListener: (_: string, fn: () => void) => listeners.delete(fn),
    addListener: () => undefined,
    removeListener: () => undefined,
  }));
  return {
    listeners,
    resize(to: number) {
      width = to;
      listeners.forEach((fn) => fn());
    },
  };
}

describe('useIsPhone', () => {
  it('is true below 576 px and follows the window as it turns', () => {
    const media = screenWidth(390);
    const { result, unmount } = renderHook(() => useIsPhone());
    expect(result.current).toBe(true);
    act(() => media.resize(576));
    expect(result.current).toBe(false);
    act(() => media.resize(575));
    expect(result.current).toBe(true);
    unmount();
    expect(media.listeners.size).toBe(0);
  });
});

interface Row {
  id: string;
  code: string;
  title: string;
  status: string;
  unit: string;
}

const rows: Row[] = [
  { id: '1', code: 'YS-1', title: '窗口推诿', status: '整改中', unit: '高新处' },
  { id: '2', code: 'YS-2', title: '审批超时', status: '已交办', unit: '政策法规处' },
];

function Ledger({ sign, onSelect }: { sign?: (row: Row) => void; onSelect?: (keys: React.Key[]) => void }) {
  const columns: ColumnsType<Row> = [
    { title: '编号', dataIndex: 'code' },
    { title: '标题', dataIndex: 'title' },
    { title: '状态', dataIndex: 'status', render: (s: string) => <span data-testid="status">{s}</span> },
    { title: '牵头单位', dataIndex: 'unit' },
    { title: '操作', key: 'actions', render: (_, row) => <Button onClick={() => sign?.(row)}>签收</Button> },
  ];
  return (
    <ResponsiveTable<Row>
      rowKey="id"
      columns={columns}
      dataSource={rows}
      pagination={false}
      rowSelection={onSelect ? { selectedRowKeys: [], onChange: (keys) => onSelect(keys) } : undefined}
      card={{ title: 'title', status: ['status'], actions: 'actions' }}
    />
  );
}

describe('ResponsiveTable', () => {
  it('is a table on a desktop', () => {
    screenWidth(1440);
    const { container } = renderAt('/', <Ledger />);
    expect(container.querySelector('.ant-table')).not.toBeNull();
    expect(container.querySelector('.ant-card')).toBeNull();
    expect(screen.getByRole('columnheader', { name: '牵头单位' })).toBeInTheDocument();
  });

  it('is a card per row on a phone: title, status, labelled fields and the row buttons', async () => {
    screenWidth(390);
    const sign = vi.fn();
    const { container } = renderAt('/', <Ledger sign={sign} />);
    expect(container.querySelector('.ant-table')).toBeNull();
    const cards = container.querySelectorAll<HTMLElement>('.ant-card');
    expect(cards).toHaveLength(2);
    const second = within(cards[1] as HTMLElement);
    expect(second.getByText('审批超时')).toBeInTheDocument();
    expect(second.getByTestId('status')).toHaveTextContent('已交办');
    // every other column as a label and its value; the title and status are not repeated as fields
    const labels = [...(cards[1] as HTMLElement).querySelectorAll('.ant-descriptions-item-label')].map((e) => e.textContent);
    expect(labels).toEqual(['编号', '牵头单位']);
    expect(second.getByText('政策法规处')).toBeInTheDocument();
    await userEvent.setup().click(second.getByRole('button', { name: /签\s*收/ }));
    expect(sign).toHaveBeenCalledWith(rows[1]);
  });

  it('selects rows by a checkbox on each card', async () => {
    screenWidth(390);
    const onSelect = vi.fn();
    renderAt('/', <Ledger onSelect={onSelect} />);
    const boxes = screen.getAllByRole('checkbox', { name: '选择' });
    await userEvent.setup().click(boxes[1] as HTMLElement);
    expect(onSelect).toHaveBeenCalledWith(['2']);
  });

  it('says 暂无数据 on a phone when there are no rows', () => {
    screenWidth(390);
    const { container } = renderAt('/', <ResponsiveTable<Row> rowKey="id" columns={[{ title: '标题', dataIndex: 'title' }]} dataSource={[]} card={{ title: 'title' }} />);
    expect(container.querySelector('.ant-empty-description')).toHaveTextContent('暂无数据');
  });
});

describe('ResponsiveTable selection on a desktop', () => {
  it('labels its select-all box in Chinese and ticks every row of the page, keeping those ticked elsewhere', async () => {
    screenWidth(1440);
    const onChange = vi.fn();
    renderAt(
      '/',
      <ResponsiveTable<Row>
        rowKey="id"
        columns={[{ title: '标题', dataIndex: 'title' }]}
        dataSource={rows}
        pagination={false}
        rowSelection={{ selectedRowKeys: ['9'], onChange }}
        card={{ title: 'title' }}
      />,
    );
    expect(screen.queryByLabelText('Select all')).toBeNull();
    await userEvent.setup().click(screen.getByRole('checkbox', { name: '全选当页' }));
    expect(onChange.mock.calls[0]?.[0]).toEqual(['9', '1', '2']);
  });
});
