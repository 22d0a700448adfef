import { Button, Space, Typography } from 'antd';
import type { ReactNode } from 'react';

interface Props {
  title: string;
  createLabel: string;
  onCreate: () => void;
  /** filters and counts beside the create button */
  children?: ReactNode;
}

/** An admin list page's title and toolbar: the create button first, then any filters. */
export function PageToolbar({ title, createLabel, onCreate, children }: Props) {
  return (
    <>
      <Typography.Title level={3}>{title}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Button type="primary" onClick={onCreate}>
          {createLabel}
        </Button>
        {children}
      </Space>
    </>
  );
}
