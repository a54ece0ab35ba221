import { PasswordInput, type PasswordInputProps } from '@mantine/core';
import { PASSWORD_HINT } from './password';

/** A password being chosen: the rule under it, and the hint password managers need to offer a generated one. */
export function NewPasswordInput(props: PasswordInputProps) {
  return <PasswordInput description={PASSWORD_HINT} autoComplete="new-password" required {...props} />;
}
