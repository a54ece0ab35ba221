import { Card, Divider, Group, Stack, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { IconCalendarEvent } from '@tabler/icons-react';
import { PoolStatusTimeline } from '../../components/pools/pool-status-timeline';
import { formatDateTime, formatPreciseDateTime } from '../../lib/format';
import type { Pool } from '../../lib/pools';
import classes from './pool-page.module.css';

function KeyDate({ label, at }: { label: string; at: string }) {
  const past = new Date(at).getTime() <= Date.now();
  return (
    // Wraps rather than clips: a long label beside a date does not fit a phone's width on one line; the date then
    // takes the next line, still right-aligned.
    <Group justify="space-between" gap="sm" style={{ rowGap: 0 }}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Tooltip label={formatPreciseDateTime(at)} openDelay={300}>
        <Text
          size="sm"
          fw={500}
          ta="right"
          ml="auto"
          c={past ? 'dimmed' : undefined}
          className={classes.numeric}
        >
          {formatDateTime(at)}
        </Text>
      </Tooltip>
    </Group>
  );
}

/** The pool's start, end and settlement dates, over its status history. */
export function PoolDatesCard({ pool }: { pool: Pool }) {
  return (
    <Card component="section" aria-labelledby="pool-dates-title" h="100%">
      <Group gap="sm" mb="md" wrap="nowrap">
        <ThemeIcon variant="light" size="lg" radius="md">
          <IconCalendarEvent size={20} stroke={1.6} />
        </ThemeIcon>
        <Title order={2} size="h4" id="pool-dates-title">
          Dates and history
        </Title>
      </Group>
      <Stack gap={6}>
        {pool.status !== 'PENDING' && new Date(pool.startDate).getTime() > Date.now() ? (
          // Started ahead of plan ("Start trading now"): the status history below has the actual time.
          <KeyDate label="Trading started early; planned" at={pool.startDate} />
        ) : (
          <KeyDate
            label={pool.status === 'PENDING' ? 'Trading starts' : 'Trading started'}
            at={pool.startDate}
          />
        )}
        <KeyDate label="Trading ends" at={pool.endDate} />
        <KeyDate label="Settlement" at={pool.settleDate} />
      </Stack>
      <Divider my="md" label="Status history" labelPosition="left" />
      <PoolStatusTimeline poolId={pool.id} />
    </Card>
  );
}
