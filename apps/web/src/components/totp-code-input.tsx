import { Input, PinInput } from '@mantine/core';
import { useId } from 'react';

interface TotpCodeInputProps {
  value: string;
  onChange: (value: string) => void;
  /** Called with all six digits: forms submit right away, so nobody has to reach for the button. */
  onComplete?: (code: string) => void;
  label?: string;
  description?: string;
  error?: React.ReactNode;
  disabled?: boolean;
  autoFocus?: boolean;
}

/** Six digit boxes for an authenticator code; paste and the browser's one-time-code autofill fill all six at once. */
export function TotpCodeInput({
  value,
  onChange,
  onComplete,
  label = 'Authentication code',
  description,
  error,
  disabled,
  autoFocus,
}: TotpCodeInputProps) {
  const id = useId();
  return (
    <Input.Wrapper
      label={label}
      description={description}
      error={error}
      labelElement="div"
      labelProps={{ id: `${id}-label` }}
      styles={{ label: { marginBottom: 6 } }}
    >
      <PinInput
        length={6}
        type="number"
        inputMode="numeric"
        oneTimeCode
        size="lg"
        gap="xs"
        placeholder=""
        value={value}
        onChange={onChange}
        onComplete={onComplete}
        error={Boolean(error)}
        disabled={disabled}
        autoFocus={autoFocus}
        aria-labelledby={`${id}-label`}
        getInputProps={(index) => ({ 'aria-label': `${label}, digit ${index + 1} of 6` })}
        data-testid="totp-code"
      />
    </Input.Wrapper>
  );
}
