import { Button, Group } from '@mantine/core';
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
