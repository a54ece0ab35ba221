import type { UseFormReturnType } from '@mantine/form';
import { fieldErrors } from './errors';

/**
 * Puts the server's field errors beside the form's inputs. Returns true when at least one landed on a field the form
 * has, so the caller knows whether it still needs to show the error as a whole (an alert or a notification).
 */
export function applyFieldErrors<Values extends Record<string, unknown>>(
  form: UseFormReturnType<Values>,
  error: unknown,
  /** Better words for a field than the server's generic ones ("is incorrect"), whatever the server said. */
  messages: Partial<Record<keyof Values & string, string>> = {},
): boolean {
  const known = Object.entries(fieldErrors(error))
    .filter(([field]) => field in form.values)
    .map(([field, message]) => [field, messages[field as keyof Values & string] ?? message] as const);
  if (known.length === 0) {
    return false;
  }
  form.setErrors(Object.fromEntries(known));
  const first = known[0]?.[0];
  if (first) {
    form.getInputNode(first)?.focus();
  }
  return true;
}
