import { Card, Checkbox, Collapse, Descriptions, List, Space, Table, Typography } from 'antd';
import type { PaginationProps } from 'antd';
import type { ColumnType, TableProps } from 'antd/es/table';
import type { Key, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useIsPhone } from '@/shared/hooks/use-is-phone';

/**
 * How a row reads as a card on a phone. Columns are named by their `key`, else their `dataIndex`
 * (joined with "." when it is a path).
 */
export interface CardLayout {
  /** the column shown as the card's title (bold, wraps); none: every column is a labelled field */
  title?: string;
  /** columns shown under the title without a label (status tags, traffic light) */
  status?: string[];
  /** the column holding the row's buttons: shown at the foot of the card, wrapping, never scrolled to */
  actions?: string;
  /** columns the card leaves out (an id the title already shows, a narrow progress bar …) */
  hide?: string[];
}

export type ResponsiveTableProps<T> = TableProps<T> & { card: CardLayout };

type Leaf<T> = ColumnType<T> & { name: string };

function columnName<T>(column: ColumnType<T>, index: number): string {
  if (column.key !== undefined) return String(column.key);
  const path = column.dataIndex;
  if (Array.isArray(path)) return path.join('.');
  if (typeof path === 'string' || typeof path === 'number') return String(path);
  return `#${index}`;
}

/** The leaf columns in order (a column group's children stand for it). */
function leaves<T>(columns: TableProps<T>['columns']): Leaf<T>[] {
  const out: Leaf<T>[] = [];
  const walk = (list: TableProps<T>['columns']) => {
    for (const column of list ?? []) {
      if ('children' in column) walk((column).children);
      else out.push({ ...column, name: columnName(column, out.length) });
    }
  };
  walk(columns);
  return out;
}

function valueAt(row: unknown, path: ColumnType<unknown>['dataIndex']): unknown {
  const steps = Array.isArray(path) ? path : path === undefined ? [] : [path];
  let value: unknown = row;
  for (const step of steps) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[String(step)];
  }
  return steps.length ? value : undefined;
}

/** What the table would show in this cell. */
function cell<T>(column: Leaf<T>, row: T, index: number): ReactNode {
  const value = valueAt(row, column.dataIndex);
  if (column.render) {
    const rendered = column.render(value, row, index) as unknown;
    // antd's old `{ children, props }` cell shape
    if (rendered !== null && typeof rendered === 'object' && 'children' in rendered && 'props' in rendered && !('$$typeof' in rendered)) {
      return (rendered as { children: ReactNode }).children;
    }
    return rendered as ReactNode;
  }
  return value === null || value === undefined ? null : (value as ReactNode);
}

function heading<T>(column: Leaf<T>): ReactNode {
  return typeof column.title === 'function' ? column.title({}) : column.title;
}

function rowKeyOf<T>(rowKey: TableProps<T>['rowKey'], row: T, index: number): Key {
  if (typeof rowKey === 'function') return rowKey(row, index);
  const name = rowKey ?? 'key';
  const value = (row as Record<string, unknown>)[name as string];
  return typeof value === 'string' || typeof value === 'number' ? value : index;
}

/** The list of cards a phone shows in place of the table. */
function CardList<T extends object>({ card, ...props }: ResponsiveTableProps<T>) {
  const { t } = useTranslation();
  const columns = leaves(props.columns);
  const byName = new Map(columns.map((c) => [c.name, c]));
  const titleColumn = card.title === undefined ? undefined : byName.get(card.title);
  const statusColumns = (card.status ?? []).flatMap((name) => byName.get(name) ?? []);
  const actionsColumn = card.actions ? byName.get(card.actions) : undefined;
  const apart = new Set([...(card.title === undefined ? [] : [card.title]), ...(card.status ?? []), ...(card.actions ? [card.actions] : []), ...(card.hide ?? [])]);
  const fields = columns.filter((c) => !apart.has(c.name) && !c.hidden);
  const items = (props.dataSource ?? []) as T[];
  const selection = props.rowSelection;
  const selected = new Set<Key>(selection?.selectedRowKeys ?? []);
  const toggle = (key: Key, checked: boolean) => {
    if (!selection?.onChange) return;
    const keys = items.map((row, i) => rowKeyOf(props.rowKey, row, i)).filter((k) => (k === key ? checked : selected.has(k)));
    const rows = items.filter((row, i) => keys.includes(rowKeyOf(props.rowKey, row, i)));
    selection.onChange(keys, rows, { type: 'single' });
  };
  // a table pages by 10 unless told otherwise: the cards page the same way
  const paging = props.pagination === false ? false : { ...(props.pagination ?? {}) };
  let pagination: PaginationProps | false = false;
  if (paging) {
    const { position: _position, ...rest } = paging;
    pagination = {
      ...rest,
      size: 'small',
      onChange: (current, pageSize) => {
        rest.onChange?.(current, pageSize);
        props.onChange?.({ ...rest, current, pageSize }, {}, [], { action: 'paginate', currentDataSource: items });
      },
    };
  }
  const given = props.locale?.emptyText;
  const emptyText = typeof given === 'function' ? given() : given;
  return (
    <List<T>
      className="responsive-table-cards"
      dataSource={items}
      loading={props.loading}
      pagination={pagination}
      {...(emptyText === undefined ? {} : { locale: { emptyText } })}
      split={false}
      renderItem={(row, index) => {
        const key = rowKeyOf(props.rowKey, row, index);
        const handlers = props.onRow?.(row, index) ?? {};
        const expanded = props.expandable?.expandedRowRender;
        return (
          <List.Item key={key} style={{ padding: '0 0 8px', display: 'block' }}>
            <Card size="small" data-row-key={key} onClick={handlers.onClick} style={handlers.onClick ? { cursor: 'pointer' } : undefined}>
              {selection || titleColumn ? (
                <Space align="start" style={{ width: '100%' }}>
                  {selection ? (
                    <Checkbox
                      checked={selected.has(key)}
                      aria-label={t('common.select')}
                      onClick={(e) => e.stopPropagation()}
                      onChange={(e) => toggle(key, e.target.checked)}
                    />
                  ) : null}
                  <Typography.Text strong style={{ fontSize: 15, overflowWrap: 'anywhere' }}>
                    {titleColumn ? cell(titleColumn, row, index) : null}
                  </Typography.Text>
                </Space>
              ) : null}
              {statusColumns.length ? (
                <div style={{ marginTop: 6, display: 'flex', flexWrap: 'wrap', gap: 4 }}>
                  {statusColumns.map((c) => (
                    <span key={c.name}>{cell(c, row, index)}</span>
                  ))}
                </div>
              ) : null}
              {fields.length ? (
                <Descriptions
                  size="small"
                  column={1}
                  colon={false}
                  style={{ marginTop: 8 }}
                  styles={{ label: { color: 'rgba(0,0,0,0.55)', whiteSpace: 'nowrap', paddingBottom: 2 }, content: { overflowWrap: 'anywhere', minWidth: 0 } }}
                  items={fields.map((c) => ({ key: c.name, label: heading(c), children: cell(c, row, index) }))}
                />
              ) : null}
              {expanded ? (
                <Collapse
                  size="small"
                  ghost
                  items={[{ key: 'more', label: t('common.more'), children: expanded(row, index, 0, true) }]}
                />
              ) : null}
              {actionsColumn ? (
                <div className="responsive-table-actions" style={{ marginTop: 8, display: 'flex', flexWrap: 'wrap', gap: 8 }}>
                  {cell(actionsColumn, row, index)}
                </div>
              ) : null}
            </Card>
          </List.Item>
        );
      }}
    />
  );
}

/**
 * An antd Table on a desktop; on a phone (< 576 px) the same rows as a list of cards: the title, the status,
 * every other column as a labelled field, and the row's buttons at the foot, all without sideways scrolling.
 * Takes antd Table's props and a `card` saying which column is which. On a phone it honours `rowKey`,
 * `loading`, `locale.emptyText`, `pagination`, `rowSelection` (a checkbox per card), `onRow().onClick` and
 * `expandable.expandedRowRender` (a "more" fold); sorting and filtering in column headers are desktop-only.
 */
export function ResponsiveTable<T extends object>(props: ResponsiveTableProps<T>) {
  const { t } = useTranslation();
  const phone = useIsPhone();
  if (phone) return <CardList<T> {...props} />;
  const { card: _card, ...table } = props;
  const selection = table.rowSelection;
  if (selection && selection.columnTitle === undefined && selection.type !== 'radio') {
    // antd labels its own select-all box "Select all" in every language: this one says 全选当页
    const items = (table.dataSource ?? []) as T[];
    const pageKeys = items.map((row, i) => rowKeyOf(table.rowKey, row, i));
    const chosen = new Set<Key>(selection.selectedRowKeys ?? []);
    const ticked = pageKeys.filter((k) => chosen.has(k)).length;
    const all = pageKeys.length > 0 && ticked === pageKeys.length;
    const onAll = (checked: boolean) => {
      const keys = checked ? [...new Set([...chosen, ...pageKeys])] : [...chosen].filter((k) => !pageKeys.includes(k));
      const rows = items.filter((_, i) => keys.includes(pageKeys[i] as Key));
      selection.onChange?.(keys, rows, { type: checked ? 'all' : 'none' });
    };
    const columnTitle = (
      <Checkbox
        aria-label={t('common.selectPage')}
        checked={all}
        indeterminate={ticked > 0 && !all}
        disabled={pageKeys.length === 0}
        onChange={(e) => onAll(e.target.checked)}
      />
    );
    return <Table<T> {...table} rowSelection={{ ...selection, columnTitle }} />;
  }
  return <Table<T> {...table} />;
}
