import { Modal } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A dialog that asks first, then shows once what the answer brought (a new secret, new recovery codes): the title
 * says which step it is at, and while the result shows a click beside the dialog does not close it, so it is not
 * lost by a slip of the mouse.
 */
export function RevealOnceModal<Revealed>({
  opened,
  onClose,
  revealed,
  titles,
  size = 'md',
  centered,
  reveal,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  /** What to show once; null while the dialog still asks. */
  revealed: Revealed | null;
  /** While it asks, and once it shows the result. */
  titles: { ask: string; reveal: string };
  /** Mantine's modal size; `md` unless the result needs more room. */
  size?: string;
  centered?: boolean;
  reveal: (revealed: Revealed) => ReactNode;
  /** The question: the form that brings the result. */
  children: ReactNode;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={revealed === null ? titles.ask : titles.reveal}
      size={size}
      centered={centered}
      closeOnClickOutside={revealed === null}
    >
      {revealed === null ? children : reveal(revealed)}
    </Modal>
  );
}
