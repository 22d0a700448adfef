import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { App, Form, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FormModalProps } from '../components/form-modal';
import { useFormErrors } from './use-form-errors';

interface Options<V, R> {
  save: (values: V) => Promise<R>;
  onClose: () => void;
  /** lists reloaded after a save */
  invalidate: readonly QueryKey[];
  /** the list reloaded on 412, when the form edits a versioned row */
  staleKey?: QueryKey;
  /** replaces the "saved" toast, e.g. to show a new secret */
  onSaved?: (result: R) => void;
}

type Wiring<V> = Pick<FormModalProps<V>, 'form' | 'saving' | 'onSubmit' | 'onClose'>;

/**
 * The save of an admin form: on success close, toast and reload the lists; on failure put the
 * problem's field errors on the form. Spread `modal` into a FormModal.
 */
export function useModalForm<V, R = unknown>({ save, onClose, invalidate, staleKey, onSaved }: Options<V, R>): {
  form: FormInstance<V>;
  modal: Wiring<V>;
} {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<V>();
  const showErrors = useFormErrors(form, staleKey);
  const mutation = useMutation({
    mutationFn: save,
    onSuccess: async (result) => {
      onClose();
      if (onSaved) onSaved(result);
      else void message.success(t('common.saved'));
      for (const queryKey of invalidate) await queryClient.invalidateQueries({ queryKey });
    },
    onError: showErrors,
  });
  return { form, modal: { form, saving: mutation.isPending, onSubmit: (v) => mutation.mutate(v), onClose } };
}

/** The "required" rule of every admin form. */
export function useRequired(): { required: true; message: string }[] {
  const { t } = useTranslation();
  return [{ required: true, message: t('forms.required') }];
}
