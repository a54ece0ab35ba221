import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import type { ReactNode } from 'react';

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
