import { Alert, Button, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { type FormValidateInput, type UseFormReturnType, useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useLastDefined } from '../hooks/use-last-defined';
import { errorMessage, fieldErrors } from '../lib/errors';
import { applyFieldErrors } from '../lib/form-errors';
import { ModalActions } from './modal-actions';

/** A text the decision needs: a reason the person will read, a payment reference. Trimmed before it is sent. */
export interface DecisionField {
  /** The input's name in the request, so the server's field error lands under it. */
  name: string;
  label: string;
  description?: string;
  placeholder?: string;
  maxLength: number;
  minLength: number;
  /** Shown when the text is shorter than `minLength`. */
  tooShort: string;
  multiline?: boolean;
}

type Values = Record<string, unknown>;

interface DecisionModalProps<Target, Extra extends Values> {
  /** What is being decided on; the modal is open while it is not null. */
  target: Target | null;
  onClose: () => void;
  title: string;
  /**
   * The question and the facts (amount, who, what happens next), and any inputs beyond `field`, bound to `form`
   * (`form.getInputProps('role')`) for the values `initialValues` starts from.
   */
  children: (target: Target, form: UseFormReturnType<Extra & { value: string }>) => ReactNode;
  field?: DecisionField;
  /** The decision's own inputs, from the target each time the modal opens (a user's current role…). */
  initialValues?: (target: Target) => Extra;
  validate?: FormValidateInput<Extra & { value: string }>;
  confirmLabel: ReactNode | ((values: Extra & { value: string }) => ReactNode);
  /** Nothing to decide yet (the role picked is the current one). */
  confirmDisabled?: (values: Extra & { value: string }, target: Target) => boolean;
  color?: string;
  size?: string;
  /**
   * Makes the decision with the field's trimmed text and every value. Resolving closes nothing by itself (the
   * caller closes on success); a rejection is shown under the input the server named, else in the modal, and the
   * person can try again.
   */
  onConfirm: (target: Target, text: string, values: Extra & { value: string }) => Promise<unknown>;
}

/**
 * Confirms one decisive action (reject, mark paid, change a role…): the question, an optional required text and
 * other inputs on one form, the button that stays busy while the request runs, and what went wrong shown where it
 * happened.
 */
export function DecisionModal<Target, Extra extends Values = Values>({
  target,
  onClose,
  title,
  children,
  field,
  initialValues,
  validate,
  confirmLabel,
  confirmDisabled,
  color,
  size = 'md',
  onConfirm,
}: DecisionModalProps<Target, Extra>) {
  const shown = useLastDefined(target);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<Extra & { value: string }>({
    initialValues: { value: '' } as Extra & { value: string },
    validateInputOnBlur: true,
    validate: {
      value: (value: string) => (field && value.trim().length < field.minLength ? field.tooShort : null),
      ...validate,
    } as FormValidateInput<Extra & { value: string }>,
  });
  const { reset, setValues } = form;
  const start = useRef(initialValues);
  start.current = initialValues;
  useEffect(() => {
    if (target !== null) {
      reset();
      const extra = start.current?.(target);
      if (extra) {
        setValues({ ...extra, value: '' });
      }
      setFailure(null);
    }
  }, [target, reset, setValues]);

  const submit = form.onSubmit((values) => {
    if (shown === null) {
      return;
    }
    setPending(true);
    setFailure(null);
    onConfirm(shown, values.value.trim(), values)
      .catch((error: unknown) => {
        const message = field ? fieldErrors(error)[field.name] : undefined;
        if (message) {
          form.setFieldError('value', message);
        } else if (!applyFieldErrors(form, error)) {
          setFailure(error);
        }
      })
      .finally(() => setPending(false));
  });

  const input = field
    ? {
        label: field.label,
        description: field.description,
        placeholder: field.placeholder,
        maxLength: field.maxLength,
        'data-autofocus': true,
        required: true,
        ...form.getInputProps('value'),
      }
    : null;

  return (
    <Modal opened={target !== null} onClose={onClose} title={title} size={size}>
      {shown !== null ? (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {children(shown, form)}
            {input && field?.multiline ? <Textarea autosize minRows={3} {...input} /> : null}
            {input && !field?.multiline ? <TextInput {...input} /> : null}
            {failure ? (
              <Alert color="red" icon={<IconAlertTriangle size={18} />} role="alert">
                {errorMessage(failure)}
              </Alert>
            ) : null}
            <ModalActions onCancel={onClose}>
              <Button
                type="submit"
                color={color}
                loading={pending}
                disabled={confirmDisabled?.(form.values, shown) ?? false}
              >
                {typeof confirmLabel === 'function' ? confirmLabel(form.values) : confirmLabel}
              </Button>
            </ModalActions>
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}
