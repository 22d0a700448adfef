import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { useCallback } from 'react';
import { fieldErrorList, isApiError } from '@/api/problem';
import { useErrorNotice } from '@/shared/lib/use-error-notice';

/**
 * Put a failed save's field errors (422 problem) on the form's fields and toast the problem.
 * On 412 (someone changed the row since it was read) the list under `staleKey` is reloaded,
 * so reopening the form edits the current version.
 */
export function useFormErrors<T>(form: FormInstance<T>, staleKey?: QueryKey): (error: unknown) => void {
  const notifyError = useErrorNotice();
  const queryClient = useQueryClient();
  return useCallback(
    (error: unknown) => {
      form.setFields(fieldErrorList(error) as Parameters<typeof form.setFields>[0]);
      notifyError(error);
      if (staleKey && isApiError(error) && error.status === 412) void queryClient.invalidateQueries({ queryKey: staleKey });
    },
    [form, notifyError, queryClient, staleKey],
  );
}
