import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

interface Props {
  hasNextPage: boolean;
  loading: boolean;
  onMore: () => void;
}

/** "Load more" under a cursor-paged table. */
export function ListFooter({ hasNextPage, loading, onMore }: Props) {
  const { t } = useTranslation();
  if (!hasNextPage) return null;
  return (
    <div style={{ textAlign: 'center', margin: 16 }}>
      <Button onClick={onMore} loading={loading}>
        {t('common.loadMore')}
      </Button>
    </div>
  );
}
