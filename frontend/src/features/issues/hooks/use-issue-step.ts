import { useMutation, useQueryClient } from '@tanstack/react-query';
import { issueQueries } from '../api/issue-queries';
import { postIssueStep } from '../api/issue-mutations';
import { STEPS, type FormValues, type StepName } from '../api/issue-actions';

/** Post one workflow step, then refresh the issue, its timeline and the lists. */
export function useIssueStep(issueId: string, unitId: string | null | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ step, values }: { step: StepName; values: FormValues }) => {
      const spec = STEPS[step];
      return postIssueStep(issueId, spec.path(values, { unitId }), spec.body(values));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: issueQueries.all() }),
  });
}
