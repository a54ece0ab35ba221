import { Alert } from '@mantine/core';
import { IconAlertTriangle, IconClockHour4 } from '@tabler/icons-react';
import { formatWait } from '../../lib/format';

/** A refusal that lasts ("too many attempts"), counting down; the form's button stays off until it lifts. */
export function ThrottledAlert({ secondsLeft, what }: { secondsLeft: number; what: string }) {
  return (
    <Alert
      color="orange"
      icon={<IconClockHour4 size={18} />}
      title="Too many attempts"
      role="alert"
      data-testid="throttled"
    >
      For your security, {what} is paused. Try again in {formatWait(secondsLeft)}.
    </Alert>
  );
}

/** An error about the whole form rather than one field. */
export function FormAlert({ message }: { message: string }) {
  return (
    <Alert color="red" icon={<IconAlertTriangle size={18} />} role="alert">
      {message}
    </Alert>
  );
}
