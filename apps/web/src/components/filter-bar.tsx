import { Button, CloseButton, Group, TextInput } from '@mantine/core';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** The row of filters over a list in a card: inputs side by side, aligned on their boxes, wrapping on a phone. */
export function FilterBar({ children }: { children: ReactNode }) {
  return (
    <Group p="md" gap="sm" align="flex-end" wrap="wrap">
      {children}
    </Group>
  );
}

/**
 * A filter's free-text field: the magnifier, the text as a string, and the room it takes in a `FilterBar` (it grows
 * from `basis` pixels). With `clearLabel`, a cross empties it while it has text.
 */
export function SearchInput({
  label,
  placeholder,
  value,
  onChange,
  basis,
  clearLabel,
}: {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  basis: number;
  clearLabel?: string;
}) {
  return (
    <TextInput
      label={label}
      placeholder={placeholder}
      leftSection={<IconSearch size={16} />}
      rightSection={
        clearLabel && value ? (
          <CloseButton size="sm" aria-label={clearLabel} onClick={() => onChange('')} />
        ) : null
      }
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      style={{ flex: `1 1 ${basis}px` }}
    />
  );
}

/** "Clear", beside filters that are on: sets them all back to showing everything. */
export function ClearFiltersButton({ onClear }: { onClear: () => void }) {
  return (
    <Button variant="subtle" color="gray" leftSection={<IconFilterOff size={16} />} onClick={onClear}>
      Clear
    </Button>
  );
}
