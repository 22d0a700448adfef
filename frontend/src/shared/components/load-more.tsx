import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

/** The part of TanStack Query's infinite query that paging needs. */
export interface NextPages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** "Load more" under a cursor-paged list; nothing once the last page is in. */
export function LoadMore({ query }: { query: NextPages }) {
  const { t } = useTranslation();
  if (!query.hasNextPage) return null;
  return (
    <div style={{ textAlign: 'center', margin: 16 }}>
      <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
        {t('common.loadMore')}
      </Button>
    </div>
  );
}
