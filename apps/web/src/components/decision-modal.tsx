import { Alert, Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { type ReactNode, useEffect, useState } from 'react';
import { useLastDefined } from '../hooks/use-last-defined';
import { errorMessage, fieldErrors } from '../lib/errors';

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

interface DecisionModalProps<Target> {
  /** What is being decided on; the modal is open while it is not null. */
  target: Target | null;
  onClose: () => void;
  title: string;
  /** The question and the facts (amount, who, what happens next). */
  children: (target: Target) => ReactNode;
  field?: DecisionField;
  confirmLabel: string;
  color: string;
  size?: string;
  /**
   * Makes the decision. Resolving closes nothing by itself (the caller closes on success); a rejection is shown
   * under the field when the server named it, else in the modal, and the person can try again.
   */
  onConfirm: (target: Target, value: string) => Promise<unknown>;
}

/**
 * Confirms one decisive action (reject, mark paid, disable…): the question, an optional required text, the button
 * that stays busy while the request runs, and what went wrong shown where it happened.
 */
export function DecisionModal<Target>({
  target,
  onClose,
  title,
  children,
  field,
  confirmLabel,
  color,
  size = 'md',
  onConfirm,
}: DecisionModalProps<Target>) {
  const shown = useLastDefined(target);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm({
    initialValues: { value: '' },
    validateInputOnBlur: true,
    validate: {
      value: (value) => (field && value.trim().length < field.minLength ? field.tooShort : null),
    },
  });
  const { reset } = form;
  useEffect(() => {
    if (target !== null) {
      reset();
      setFailure(null);
    }
  }, [target, reset]);

  const submit = form.onSubmit(({ value }) => {
    if (shown === null) {
      return;
    }
    setPending(true);
    setFailure(null);
    onConfirm(shown, value.trim())
      .catch((error: unknown) => {
        const message = field ? fieldErrors(error)[field.name] : undefined;
        if (message) {
          form.setFieldError('value', message);
        } else {
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
            {children(shown)}
            {input && field?.multiline ? <Textarea autosize minRows={3} {...input} /> : null}
            {input && !field?.multiline ? <TextInput {...input} /> : null}
            {failure ? (
              <Alert variant="light" color="red" icon={<IconAlertTriangle size={18} />} role="alert">
                {errorMessage(failure)}
              </Alert>
            ) : null}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" color={color} loading={pending}>
                {confirmLabel}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}
