import { Alert } from '@mantine/core';
import { IconAlertTriangle, IconClockHour4 } from '@tabler/icons-react';
import { useState } from 'react';
import { useThrottle } from '../../hooks/use-throttle';
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

/**
 * An auth form's refusals that no field explains: too many attempts (`throttled(error)` starts the countdown, and
 * `blocked` holds the submit button off until it runs out) and an error about the whole form (`setFormError`).
 * `alerts` shows them, above the fields; `what` is what the throttle pauses ("signing in").
 */
export function useFormRefusals(what: string) {
  const [formError, setFormError] = useState<string | null>(null);
  const { secondsLeft, blocked, throttled } = useThrottle();
  const alerts = (
    <>
      {blocked ? <ThrottledAlert secondsLeft={secondsLeft} what={what} /> : null}
      {formError ? <FormAlert message={formError} /> : null}
    </>
  );
  return { blocked, throttled, setFormError, alerts };
}
