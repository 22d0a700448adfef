import { Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '@/features/auth';
import { AUDIT_FEED_ROLES, AUDIT_VERIFY_ROLES } from '../hooks/admin-access';
import { AuditEvents } from './audit-events';
import { AuditVerifyCard } from './audit-verify-card';

/** 审计日志: verify the tamper-evident chain (admin, office) and browse the event log (admin). */
export function AuditPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const role = user?.role;
  const canVerify = role !== undefined && AUDIT_VERIFY_ROLES.includes(role);
  const canRead = role !== undefined && AUDIT_FEED_ROLES.includes(role);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('admin.nav.audit')}
      </Typography.Title>
      {canVerify ? <AuditVerifyCard /> : null}
      {canRead ? <AuditEvents /> : <Typography.Text type="secondary">{t('admin.audit.eventsAdminOnly')}</Typography.Text>}
    </Space>
  );
}
