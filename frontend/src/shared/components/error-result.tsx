import { Alert, Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '@/shared/lib/describe-error';

interface Props {
  error: unknown;
  onRetry?: () => void;
  compact?: boolean;
}

/** Page- or block-level rendering of a failed request: never a blank screen. */
export function ErrorResult({ error, onRetry, compact = false }: Props) {
  const { t } = useTranslation();
  const info = describeError(error, t);
  const lines = [info.detail, ...info.hints, ...info.fields].filter((l): l is string => Boolean(l));
  return (
    <Alert
      type={info.status >= 500 || info.status === 0 ? 'warning' : 'error'}
      showIcon
      style={compact ? undefined : { margin: '16px 0' }}
      message={info.summary}
      description={
        lines.length > 0 || onRetry ? (
          <Space direction="vertical" size={4}>
            {lines.map((line) => (
              <Typography.Text key={line}>{line}</Typography.Text>
            ))}
            {onRetry ? (
              <Button size="small" onClick={onRetry}>
                {t('common.retry')}
              </Button>
            ) : null}
          </Space>
        ) : undefined
      }
    />
  );
}
