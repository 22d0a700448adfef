import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChainVerification } from '@/api/generated/openapi';
import { ErrorResult } from '@/shared/components/error-result';
import { verifyAuditChain } from '../api/audit-api';

function VerificationResult({ result }: { result: ChainVerification }) {
  const { t } = useTranslation();
  const counts = t('admin.audit.checked', { checked: result.checked, anchors: result.anchors_checked });
  if (result.ok) return <Alert type="success" showIcon message={t('admin.audit.intact')} description={counts} />;
  const firstBad =
    result.first_bad_seq === null ? t('admin.audit.firstBadUnknown') : t('admin.audit.firstBad', { seq: result.first_bad_seq });
  return (
    <Alert
      type="error"
      showIcon
      message={t('admin.audit.tampered')}
      description={
        <>
          <div>
            <Typography.Text strong>{firstBad}</Typography.Text>
          </div>
          <div>{counts}</div>
        </>
      }
    />
  );
}

/** 校验审计链: recompute every event hash and match the published chain heads, on request (it reads the whole log). */
export function AuditVerifyCard() {
  const { t } = useTranslation();
  const verify = useMutation({ mutationFn: verifyAuditChain });
  return (
    <Card size="small" title={t('admin.audit.verifyTitle')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('admin.audit.verifyHint')}</Typography.Text>
        <div>
          <Button type="primary" loading={verify.isPending} onClick={() => verify.mutate()}>
            {t('admin.audit.verify')}
          </Button>
        </div>
        {verify.isError ? <ErrorResult error={verify.error} compact onRetry={() => verify.mutate()} /> : null}
        {verify.data ? <VerificationResult result={verify.data} /> : null}
      </Space>
    </Card>
  );
}
