import type { FormInstance } from 'antd';
import { useCallback } from 'react';
import { fieldErrorList } from '@/api/problem';
import { useErrorNotice } from '@/shared/lib/use-error-notice';

/** Put a failed save's field errors (422 problem) on the form's fields and toast the problem. */
export function useFormErrors<T>(form: FormInstance<T>): (error: unknown) => void {
  const notifyError = useErrorNotice();
  return useCallback(
    (error: unknown) => {
      form.setFields(fieldErrorList(error) as Parameters<typeof form.setFields>[0]);
      notifyError(error);
    },
    [form, notifyError],
  );
}
