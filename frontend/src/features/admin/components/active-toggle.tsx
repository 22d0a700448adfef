import { Button, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';

interface Props {
  active: boolean;
  /** the i18n group whose confirmDeactivate / confirmActivate texts ask first, e.g. `admin.units` */
  texts: 'admin.units' | 'admin.users';
  onToggle: () => void;
}

/** 停用 / 启用 a directory row, after a confirmation. */
export function ActiveToggle({ active, texts, onToggle }: Props) {
  const { t } = useTranslation();
  return (
    <Popconfirm
      title={t(active ? `${texts}.confirmDeactivate` : `${texts}.confirmActivate`)}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      onConfirm={onToggle}
    >
      <Button size="small" danger={active}>
        {active ? t('admin.deactivate') : t('admin.activate')}
      </Button>
    </Popconfirm>
  );
}
