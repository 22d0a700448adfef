import { App } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from './describe-error';

/** Show a failed mutation as a toast (title/detail, field errors, 409 hints). */
export function useErrorNotice(): (error: unknown) => void {
  const { notification } = App.useApp();
  const { t } = useTranslation();
  return useCallback(
    (error: unknown) => {
      const info = describeError(error, t);
      const lines = [info.detail, ...info.hints, ...info.fields].filter(Boolean).join('\n');
      notification.error({
        message: info.summary,
        description: lines || undefined,
        style: { whiteSpace: 'pre-line' },
      });
    },
    [notification, t],
  );
}
