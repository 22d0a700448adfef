import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { CampaignImportPage } from './campaign-import-page';
import { ImportPage } from './import-page';

type Kind = 'ledger' | 'campaign';

/**
 * 导入 (office): a ledger (Excel/CSV) or a campaign definition file (YAML), one tab each; `?kind=campaign` opens
 * the second, so the page can be linked to either.
 */
export function ImportCenter() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const kind: Kind = params.get('kind') === 'campaign' ? 'campaign' : 'ledger';
  return (
    <Tabs
      activeKey={kind}
      onChange={(next) => setParams(next === 'campaign' ? { kind: 'campaign' } : {}, { replace: true })}
      items={[
        { key: 'ledger', label: t('campaignImport.tabLedger'), children: <ImportPage /> },
        { key: 'campaign', label: t('campaignImport.tabCampaign'), children: <CampaignImportPage /> },
      ]}
    />
  );
}
