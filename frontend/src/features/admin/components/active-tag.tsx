import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** 启用 / 停用 */
export function ActiveTag({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return active ? <Tag color="green">{t('admin.active')}</Tag> : <Tag>{t('admin.inactive')}</Tag>;
}
