import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = {
  pending: 'blue',
  sending: 'processing',
  sent: 'green',
  dead: 'red',
  held: 'gold',
  folded: 'default',
};

export function DeliveryStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[status] ?? 'default'}>{t(`admin.deliveryStatuses.${status}`, { defaultValue: status })}</Tag>;
}
