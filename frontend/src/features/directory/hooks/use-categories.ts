import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { directoryQueries } from '../api/directory-api';

/** Category options of a campaign (default: the first campaign), for filters and forms. */
export function useCategories(campaignId?: string) {
  const campaigns = useQuery(directoryQueries.campaigns());
  const id = campaignId ?? campaigns.data?.[0]?.id ?? '';
  const campaign = useQuery(directoryQueries.campaign(id));
  const options = useMemo(
    () => (campaign.data?.categories ?? []).map((c) => ({ value: c.id, label: c.name })),
    [campaign.data],
  );
  return { options, isLoading: campaign.isLoading };
}
