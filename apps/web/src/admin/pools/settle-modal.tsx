import {
  Alert,
  Box,
  Button,
  EmptyState,
  Group,
  Modal,
  NumberInput,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconUsers } from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { useLastDefined } from '../../hooks/use-last-defined';
import { errorMessage, fieldErrors } from '../../lib/errors';
import { changeColor, formatNav, formatUsd, formatUsdChange, type Pool } from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import classes from './admin-pools.module.css';

/** A dollar amount as typed, to cents; null for blank (use the model's last equity), undefined for invalid. */
function parseEquity(value: number | string): number | null | undefined {
  if (value === '') {
    return null;
  }
  const text = String(value).replace(/[$,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(text)) {
    return undefined;
  }
  const [whole = '0', fraction = ''] = text.split('.');
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : undefined;
}

function Figure({ label, value, color }: { label: string; value: string; color?: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" lts={0.4}>
        {label}
      </Text>
      <Text fw={650} c={color} className={classes.numeric}>
        {value}
      </Text>
    </Paper>
  );
}

/**
 * SETTLING → SETTLED: a preview of every investor's payout at the final equity (the model's last report unless the
 * manager enters another), then the settlement itself after a confirmation.
 */
export function SettleModal({ pool: current, onClose }: { pool: Pool | null; onClose: () => void }) {
  const pool = useLastDefined(current);
  const utils = trpc.useUtils();
  const [equity, setEquity] = useState<number | string>('');
  const [debounced] = useDebouncedValue(equity, 350);
  const parsed = parseEquity(debounced);
  const settle = trpc.admin.settlement.settle.useMutation();
  const { reset } = settle;

  // Each time the dialog opens for a pool: blank equity, no old error. Keyed on the id, not the object: live updates
  // replace the pool (SETTLING → SETTLED arrives while the settlement answer is on its way) and must not reset the
  // mutation, whose success closes the dialog.
  const openedFor = current?.id ?? null;
  useEffect(() => {
    if (openedFor) {
      setEquity('');
      reset();
    }
  }, [openedFor, reset]);

  const preview = trpc.admin.settlement.preview.useQuery(
    { id: pool?.id ?? '', ...(typeof parsed === 'number' ? { finalEquityCents: parsed } : {}) },
    { enabled: current !== null && parsed !== undefined, placeholderData: keepPreviousData },
  );
  const invalid = parseEquity(equity) === undefined;
  const serverField = settle.isError ? fieldErrors(settle.error).finalEquityCents : undefined;

  const confirm = () => {
    if (!pool || !preview.data) {
      return;
    }
    const summary = preview.data;
    const payoutTotal = summary.payouts.reduce((sum, payout) => sum + payout.payoutCents, 0);
    modals.openConfirmModal({
      title: `Settle ${pool.name}?`,
      children: (
        <Text size="sm">
          {summary.payouts.length === 0
            ? 'The pool has no investors: it is marked settled and nothing is paid.'
            : `${formatUsd(payoutTotal)} goes to ${summary.payouts.length} investor${summary.payouts.length === 1 ? '' : 's'} and ${formatUsd(summary.feesCents)} in fees, at a final equity of ${formatUsd(summary.finalEquityCents)}.`}{' '}
          This cannot be undone.
        </Text>
      ),
      labels: { confirm: 'Settle and pay out', cancel: 'Back' },
      confirmProps: { color: 'red' },
      onConfirm: () => {
        settle.mutate(
          { id: pool.id, ...(typeof parsed === 'number' ? { finalEquityCents: parsed } : {}) },
          {
            onSuccess: (result) => {
              notifications.show({
                color: 'teal',
                title: `${pool.name} settled`,
                message: `Paid out at a NAV of ${formatNav(result.navPerShare, 6)} per share.`,
              });
              void utils.admin.pools.invalidate();
              void utils.pools.invalidate();
              onClose();
            },
          },
        );
      },
    });
  };

  const data = preview.data;
  const totals = data?.payouts.reduce(
    (sum, payout) => ({
      amount: sum.amount + payout.amountCents,
      gross: sum.gross + payout.grossCents,
      fee: sum.fee + payout.feeCents,
      payout: sum.payout + payout.payoutCents,
    }),
    { amount: 0, gross: 0, fee: 0, payout: 0 },
  );

  return (
    <Modal
      opened={current !== null}
      onClose={onClose}
      title={pool ? `Settle ${pool.name}` : 'Settle'}
      size={820}
      closeOnClickOutside={!settle.isPending}
    >
      {pool ? (
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Investors are paid their share of the final equity, less the {pool.performanceFeeBps / 100}%
            performance fee on profit. Leave the final equity blank to use the model’s last report (
            {formatUsd(pool.equityCents)}).
          </Text>
          <NumberInput
            label="Final equity"
            description="Optional: the pool’s final value in dollars"
            placeholder={formatUsd(pool.equityCents)}
            prefix="$"
            thousandSeparator=","
            decimalScale={2}
            allowNegative={false}
            hideControls
            value={equity}
            onChange={setEquity}
            error={invalid ? 'Enter an amount in dollars, up to 2 decimals' : serverField}
            maw={320}
            data-autofocus
          />

          {preview.isError && !data ? (
            <QueryErrorAlert
              title="Could not preview the settlement"
              error={preview.error}
              onRetry={() => preview.refetch()}
              retrying={preview.isFetching}
            />
          ) : !data ? (
            <Stack gap="sm">
              <Skeleton h={64} />
              <Skeleton h={120} />
            </Stack>
          ) : (
            <Box
              style={{
                opacity: preview.isPlaceholderData || preview.isFetching ? 0.6 : 1,
                transition: 'opacity 150ms',
              }}
            >
              <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs" mb="md" data-testid="settlement-summary">
                <Figure label="Final equity" value={formatUsd(data.finalEquityCents)} />
                <Figure label="Capital" value={formatUsd(data.capitalCents)} />
                <Figure
                  label="Gain"
                  value={formatUsdChange(data.gainCents)}
                  color={changeColor(data.gainCents)}
                />
                <Figure label="Fees" value={formatUsd(data.feesCents)} />
                <Figure label="NAV per share" value={formatNav(data.navPerShare, 6)} />
              </SimpleGrid>
              {data.payouts.length === 0 ? (
                <EmptyState
                  py={24}
                  icon={<IconUsers size={24} stroke={1.5} />}
                  variant="light"
                  title="No investors"
                  description="Nothing to pay out: settling only closes the pool."
                />
              ) : (
                <Table.ScrollContainer minWidth={620} mah={320}>
                  <Table verticalSpacing="xs" stickyHeader data-testid="settlement-payouts">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Investor</Table.Th>
                        <Table.Th ta="right">Invested</Table.Th>
                        <Table.Th ta="right">Gross</Table.Th>
                        <Table.Th ta="right">Fee</Table.Th>
                        <Table.Th ta="right">Payout</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.payouts.map((payout) => (
                        <Table.Tr key={payout.investmentId}>
                          <Table.Td>
                            <Text size="sm" truncate maw={260}>
                              {payout.email}
                            </Text>
                          </Table.Td>
                          <Table.Td ta="right" className={classes.numeric}>
                            {formatUsd(payout.amountCents)}
                          </Table.Td>
                          <Table.Td ta="right" className={classes.numeric}>
                            {formatUsd(payout.grossCents)}
                          </Table.Td>
                          <Table.Td ta="right" className={classes.numeric} c="dimmed">
                            {formatUsd(payout.feeCents)}
                          </Table.Td>
                          <Table.Td ta="right" fw={600} className={classes.numeric}>
                            {formatUsd(payout.payoutCents)}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                    {totals ? (
                      <Table.Tfoot>
                        <Table.Tr>
                          <Table.Th>Total</Table.Th>
                          <Table.Th ta="right" className={classes.numeric}>
                            {formatUsd(totals.amount)}
                          </Table.Th>
                          <Table.Th ta="right" className={classes.numeric}>
                            {formatUsd(totals.gross)}
                          </Table.Th>
                          <Table.Th ta="right" className={classes.numeric}>
                            {formatUsd(totals.fee)}
                          </Table.Th>
                          <Table.Th ta="right" className={classes.numeric}>
                            {formatUsd(totals.payout)}
                          </Table.Th>
                        </Table.Tr>
                      </Table.Tfoot>
                    ) : null}
                  </Table>
                </Table.ScrollContainer>
              )}
            </Box>
          )}

          {pool.status !== 'SETTLING' ? (
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />}>
              Only a settling pool can be settled; this one is {pool.status.toLowerCase()}. The preview shows
              what settling would pay at this equity.
            </Alert>
          ) : null}
          {settle.isError && !serverField ? (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(settle.error)}
            </Alert>
          ) : null}

          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={settle.isPending}>
              Cancel
            </Button>
            <Button
              color="red"
              onClick={confirm}
              loading={settle.isPending}
              disabled={pool.status !== 'SETTLING' || invalid || !data || preview.isFetching}
            >
              Settle…
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
