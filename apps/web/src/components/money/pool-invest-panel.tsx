import { Button, Group, Popover, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconCoin } from '@tabler/icons-react';
import { INVESTABLE_STATUSES } from '@tradepool/domain/vocabulary';
import { useState } from 'react';
import { useAllInvestments } from '../../hooks/use-all-investments';
import { useMoneyLive } from '../../hooks/use-money-live';
import { formatMoney } from '../../lib/format';
import type { Pool } from '../../lib/pools';
import { InvestModal } from './invest-modal';
import { PnlText } from './money-badges';
import classes from './pool-invest-panel.module.css';
import { holdingOf, PositionDetails } from './pool-position-details';

/**
 * What an investor can do on a pool page, in its header: the position they hold (a button opening the details) and
 * the Invest button with its dialog. `pool` is the live pool from the page, so NAV and status changes reach it.
 */
export function PoolInvestActions({ pool }: { pool: Pool }) {
  useMoneyLive();
  const [investing, setInvesting] = useState<Pool | null>(null);
  const [details, setDetails] = useState(false);
  const investments = useAllInvestments();

  const mine = investments.data?.items.filter((item) => item.poolId === pool.id) ?? [];
  const holding = holdingOf(mine, pool.navPerShare);
  const holds = holding.active.length > 0 || holding.settled.length > 0;
  const open = INVESTABLE_STATUSES.includes(pool.status);
  const capacityLeft = Math.max(0, pool.targetAmountCents - pool.raisedCents);
  const full = open && capacityLeft < pool.minInvestmentCents;

  let closedReason: string | null = null;
  if (!open) {
    closedReason = 'Pools take investments only while they are raising money or trading.';
  } else if (full) {
    closedReason = 'This pool is full: less than the minimum investment is left.';
  }

  const investButton = (
    <Button
      leftSection={<IconCoin size={18} />}
      onClick={() => setInvesting(pool)}
      disabled={closedReason !== null}
      data-testid="invest-button"
    >
      {holding.active.length > 0 ? 'Invest more' : 'Invest'}
    </Button>
  );

  return (
    // Wraps on a phone: the position button and "Invest more" side by side are wider than 390 px with the live badge.
    <Group gap="sm" wrap="wrap" data-testid="pool-actions">
      {holds ? (
        <Popover
          opened={details}
          onChange={setDetails}
          position="bottom-end"
          width={360}
          styles={{ dropdown: { maxWidth: 'calc(100vw - 24px)' } }}
          shadow="md"
          withArrow
          trapFocus
        >
          <Popover.Target>
            <UnstyledButton
              className={classes.positionButton}
              onClick={() => setDetails((value) => !value)}
              aria-expanded={details}
              aria-haspopup="dialog"
              data-testid="pool-position-button"
            >
              <Stack gap={0}>
                <Text size="xs" c="dimmed" fw={600} lh={1.2}>
                  Your position
                </Text>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" fw={700} style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {holding.active.length > 0 ? formatMoney(holding.value) : formatMoney(holding.payout)}
                  </Text>
                  {holding.active.length > 0 ? (
                    <PnlText cents={holding.pnl} size="xs" />
                  ) : (
                    <Text size="xs" c="dimmed">
                      paid out
                    </Text>
                  )}
                </Group>
              </Stack>
              <IconChevronDown
                size={14}
                className={classes.chevron}
                data-open={details || undefined}
                aria-hidden
              />
            </UnstyledButton>
          </Popover.Target>
          <Popover.Dropdown>
            <PositionDetails pool={pool} holding={holding} onClose={() => setDetails(false)} />
          </Popover.Dropdown>
        </Popover>
      ) : null}
      {closedReason ? (
        <Tooltip label={closedReason} multiline w={240}>
          <span>{investButton}</span>
        </Tooltip>
      ) : (
        investButton
      )}
      <InvestModal pool={investing} onClose={() => setInvesting(null)} />
    </Group>
  );
}
