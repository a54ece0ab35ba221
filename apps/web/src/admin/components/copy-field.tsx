import { ActionIcon, CopyButton, TextInput, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

interface CopyFieldProps {
  label: string;
  value: string;
  testId?: string;
  /** The copy button's name for screen readers; "Copy <label>" by default. */
  copyLabel?: string;
}

/** A secret or address shown once, read-only, selected on focus, with a copy button. */
export function CopyField({
  label,
  value,
  testId,
  copyLabel = `Copy ${label.toLowerCase()}`,
}: CopyFieldProps) {
  return (
    <TextInput
      label={label}
      value={value}
      readOnly
      ff="monospace"
      onFocus={(event) => event.currentTarget.select()}
      data-testid={testId}
      rightSectionWidth={40}
      rightSection={
        <CopyButton value={value} timeout={1500}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
              <ActionIcon
                variant="subtle"
                color={copied ? 'teal' : 'gray'}
                onClick={copy}
                aria-label={copyLabel}
              >
                {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      }
    />
  );
}
