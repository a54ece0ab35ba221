import { Alert, Button, Checkbox, CopyButton, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy, IconDownload } from '@tabler/icons-react';
import { useState } from 'react';

interface RecoveryCodesProps {
  codes: readonly string[];
  /** Whose codes, for the downloaded file. */
  email: string;
  onDone: () => void;
  doneLabel?: string;
  /** Shown on the button while `onDone` works (renewing the session after enrolment). */
  doneLoading?: boolean;
}

function fileText(codes: readonly string[], email: string): string {
  return [
    `Tradepool recovery codes for ${email}`,
    `Generated ${new Date().toISOString()}`,
    '',
    'Each code signs you in once, in place of a code from your authenticator app.',
    'Keep them somewhere safe and private, away from your phone.',
    '',
    ...codes,
    '',
  ].join('\n');
}

function download(codes: readonly string[], email: string): void {
  const url = URL.createObjectURL(new Blob([fileText(codes, email)], { type: 'text/plain' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'tradepool-recovery-codes.txt';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * The one time recovery codes are shown: copy or download them, then say so. The button stays off until the box is
 * ticked, because the server keeps only hashes and nobody can show them again.
 */
export function RecoveryCodes({ codes, email, onDone, doneLabel = 'Done', doneLoading }: RecoveryCodesProps) {
  const [saved, setSaved] = useState(false);

  return (
    <Stack gap="md">
      <Alert color="orange" icon={<IconAlertTriangle size={18} />} title="Save these codes now">
        This is the only time they are shown. If you lose your phone, each code lets you sign in once.
      </Alert>
      <Paper withBorder p="md" radius="md" bg="var(--mantine-color-default-hover)">
        <SimpleGrid
          cols={2}
          spacing="xs"
          verticalSpacing={6}
          component="ol"
          m={0}
          p={0}
          style={{ listStyle: 'none' }}
          data-testid="recovery-codes"
          aria-label="Recovery codes"
        >
          {codes.map((code) => (
            <Text component="li" key={code} ff="monospace" fz="md" fw={500} ta="center" lts={0.5}>
              {code}
            </Text>
          ))}
        </SimpleGrid>
      </Paper>
      <Group grow gap="sm">
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button
              variant="default"
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={copy}
              color={copied ? 'teal' : undefined}
            >
              {copied ? 'Copied' : 'Copy all'}
            </Button>
          )}
        </CopyButton>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          onClick={() => download(codes, email)}
        >
          Download
        </Button>
      </Group>
      <Checkbox
        label="I have saved these recovery codes somewhere safe"
        checked={saved}
        onChange={(event) => setSaved(event.currentTarget.checked)}
      />
      <Button onClick={onDone} disabled={!saved} loading={doneLoading}>
        {doneLabel}
      </Button>
    </Stack>
  );
}
