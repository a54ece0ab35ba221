import { Button, Group, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import type { ReactNode } from 'react';

interface ModalActionsProps {
  onCancel: () => void;
  /** Keep Cancel off while something that cannot be abandoned half-way is running. */
  cancelDisabled?: boolean;
  /** The form's own action: its submit button. */
  children: ReactNode;
}

/** The foot of a form in a modal: Cancel, then the form's submit button, on the right. */
export function ModalActions({ onCancel, cancelDisabled, children }: ModalActionsProps) {
  return (
    <Group justify="flex-end" gap="sm">
      <Button variant="default" onClick={onCancel} disabled={cancelDisabled}>
        Cancel
      </Button>
      {children}
    </Group>
  );
}

interface ConfirmActionOptions {
  title: ReactNode;
  /** What happens if the person goes ahead, in a sentence or two. */
  body: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  /** A destructive or irreversible step: the confirm button is red. */
  danger?: boolean;
  onConfirm: () => void;
}

/** Asks before a one-click action: the app's one confirm dialog (title, a short paragraph, Cancel and the action). */
export function confirmAction({
  title,
  body,
  confirmLabel,
  cancelLabel,
  danger,
  onConfirm,
}: ConfirmActionOptions) {
  return modals.openConfirmModal({
    title,
    children: <Text size="sm">{body}</Text>,
    labels: { confirm: confirmLabel, cancel: cancelLabel },
    confirmProps: danger ? { color: 'red' } : undefined,
    onConfirm,
  });
}
