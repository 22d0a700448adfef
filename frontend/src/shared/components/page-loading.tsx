import { Spin } from 'antd';
import { useTranslation } from 'react-i18next';

export function PageLoading() {
  const { t } = useTranslation();
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin tip={t('app.loading')}>
        <div style={{ minHeight: 40 }} />
      </Spin>
    </div>
  );
}
