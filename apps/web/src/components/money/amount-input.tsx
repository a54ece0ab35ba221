import { Chip, Group, NumberInput, type NumberInputProps } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { formatMoney } from '../../lib/format';
import { dollarsToCents } from '../../lib/money';

export interface AmountPreset {
  cents: number;
  label: string;
}

interface AmountInputProps
  extends Omit<NumberInputProps, 'value' | 'onChange' | 'prefix' | 'decimalScale' | 'min' | 'max'> {
  /** What the person typed, in dollars ('' when empty; optional as `form.getInputProps` types it). */
  value?: number | string;
  onChange: (value: number | string) => void;
  /** Quick amounts, in cents, optionally with their own label ("Max"). */
  presets?: readonly (number | AmountPreset)[];
}

/** What an AmountInput holds, in cents: null when empty or not an amount. */
export function amountCents(value: number | string): number | null {
  return value === '' ? null : dollarsToCents(value);
}

/** A dollar amount: `$` prefix, two decimals at most, grouped thousands, no negatives; presets underneath. */
export function AmountInput({ value = '', onChange, presets, ...props }: AmountInputProps) {
  const cents = amountCents(value);
  return (
    <div>
      <NumberInput
        prefix="$"
        decimalScale={2}
        thousandSeparator=","
        allowNegative={false}
        hideControls
        inputMode="decimal"
        value={value}
        onChange={onChange}
        size="md"
        {...props}
      />
      {presets && presets.length > 0 ? (
        <Group gap="xs" mt="xs" role="group" aria-label="Quick amounts">
          {presets.map((entry) => {
            const preset =
              typeof entry === 'number'
                ? { cents: entry, label: formatMoney(entry, { whole: true }) }
                : entry;
            return (
              <Chip
                key={preset.label}
                size="xs"
                checked={cents === preset.cents}
                onChange={() => onChange(preset.cents / 100)}
                icon={<IconCheck size={12} />}
              >
                {preset.label}
              </Chip>
            );
          })}
        </Group>
      ) : null}
    </div>
  );
}
