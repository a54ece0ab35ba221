import { Box, Button, Card, Code, Group, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLink, IconLinkOff, IconRefresh } from '@tabler/icons-react';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { formatCount } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import classes from './admin-audit-page.module.css';
import { CopyValue } from './audit-copy-value';

function shortHash(hash: string): string {
  return hash.length > 16 ? `${hash.slice(0, 10)}…${hash.slice(-6)}` : hash;
}

/** The top of the page: is the log as it was written? Every entry hashes its content and its predecessor's hash. */
export function ChainStatus() {
  const verify = trpc.admin.audit.verify.useQuery(undefined, { staleTime: 0 });

  if (verify.isPending) {
    return (
      <Card mb="lg" aria-busy="true" aria-label="Verifying the audit chain">
        <Group gap="md" wrap="nowrap">
          <Skeleton circle h={44} w={44} />
          <Stack gap={8} style={{ flex: 1 }}>
            <Skeleton h={16} w="40%" />
            <Skeleton h={12} w="70%" />
          </Stack>
        </Group>
      </Card>
    );
  }
  if (verify.isError) {
    return (
      <Box mb="lg">
        <QueryErrorAlert
          title="Could not verify the audit chain"
          error={verify.error}
          onRetry={() => verify.refetch()}
          retrying={verify.isFetching}
        />
      </Box>
    );
  }

  const { intact, checked, brokenAt, lastHash } = verify.data;
  const again = (
    <Button
      variant="default"
      size="xs"
      leftSection={<IconRefresh size={14} />}
      loading={verify.isFetching}
      onClick={() => void verify.refetch()}
    >
      Verify again
    </Button>
  );

  return (
    <Card
      mb="lg"
      className={classes.chain}
      data-intact={intact || undefined}
      data-testid="chain-status"
      role="status"
    >
      <Group justify="space-between" align="flex-start" gap="md" wrap="wrap">
        <Group gap="md" wrap="nowrap" align="flex-start" style={{ flex: '1 1 320px' }}>
          <ThemeIcon size={44} radius="xl" variant="light" color={intact ? 'teal' : 'red'}>
            {intact ? <IconLink size={24} stroke={1.7} /> : <IconLinkOff size={24} stroke={1.7} />}
          </ThemeIcon>
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Title order={2} size="h4" c={intact ? undefined : 'red'}>
              {intact
                ? `Chain intact (${formatCount(checked, 'entry', 'entries')})`
                : `Chain broken at entry #${brokenAt?.seq ?? '?'}`}
            </Title>
            {intact ? (
              <Text size="sm" c="dimmed">
                Every entry matches its hash and links to the one before it: nothing was changed or removed.
              </Text>
            ) : (
              <Text size="sm">
                {brokenAt ? (
                  <>
                    Entry <Code>{brokenAt.id}</Code>: {brokenAt.reason}. Entries from this one on cannot be
                    trusted; the log was changed outside Tradepool.
                  </>
                ) : (
                  'The log was changed outside Tradepool.'
                )}
              </Text>
            )}
            {lastHash ? (
              <Group gap={4} wrap="nowrap">
                <Text size="xs" c="dimmed">
                  Latest hash
                </Text>
                <Code fz="xs">{shortHash(lastHash)}</Code>
                <CopyValue value={lastHash} label="latest hash" />
              </Group>
            ) : null}
          </Stack>
        </Group>
        {again}
      </Group>
    </Card>
  );
}
