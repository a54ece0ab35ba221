import {
  Alert,
  Box,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconUsers } from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useAuth } from '../../auth/auth-provider';
import { Caption } from '../../components/labeled-value';
import { EmptyMessage } from '../../components/list-state';
import { confirmAction, ModalActions } from '../../components/modal-actions';
import { NumericTd, NumericTh } from '../../components/numeric-cell';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { useLastDefined } from '../../hooks/use-last-defined';
import { errorMessage, fieldErrors } from '../../lib/errors';
import { formatCount } from '../../lib/format';
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
      <Caption>{label}</Caption>
      <Text fw={650} c={color} className={classes.numeric}>
        {value}
      </Text>
    </Paper>
  );
}

/**
 * SETTLING → SETTLED: a preview of every investor's payout at the final equity, then the settlement itself after a
 * confirmation. The final equity is the one the model's last report supports (capital + PnL); only an ADMIN may
 * override it, with a reason kept in the audit log, and by at most 5 % (CONTRACT §6). The preview runs under the same
 * rules as the settlement, so what it shows is exactly what will be posted.
 */
export function SettleModal({ pool: current, onClose }: { pool: Pool | null; onClose: () => void }) {
  const pool = useLastDefined(current);
  const utils = trpc.useUtils();
  const { user } = useAuth();
  const isAdmin = user?.role === 'ADMIN';
  const form = useForm<{ overriding: boolean; equity: number | string; reason: string }>({
    initialValues: { overriding: false, equity: '', reason: '' },
  });
  const { overriding, equity, reason } = form.values;
  const { reset: resetForm } = form;
  const [debounced] = useDebouncedValue(equity, 350);
  const settle = trpc.admin.settlement.settle.useMutation();
  const { reset } = settle;

  // Each time the dialog opens for a pool: no override, no old error. Keyed on the id, not the object: live updates
  // replace the pool (SETTLING → SETTLED arrives while the settlement answer is on its way) and must not reset the
  // mutation, whose success closes the dialog.
  const openedFor = current?.id ?? null;
  useEffect(() => {
    if (openedFor) {
      resetForm();
      reset();
    }
  }, [openedFor, reset, resetForm]);

  // The default settlement (no override) gives the reported equity and the bounds an override must stay within.
  const base = trpc.admin.settlement.preview.useQuery({ id: pool?.id ?? '' }, { enabled: current !== null });
  const bounds = base.data ? { min: base.data.overrideMinCents, max: base.data.overrideMaxCents } : null;
  const typed = overriding ? parseEquity(equity) : null;
  const parsed = overriding ? parseEquity(debounced) : null;
  const outOfBounds =
    typeof typed === 'number' && bounds !== null && (typed < bounds.min || typed > bounds.max);
  const override =
    typeof parsed === 'number' && bounds !== null && parsed >= bounds.min && parsed <= bounds.max
      ? parsed
      : null;
  const preview = trpc.admin.settlement.preview.useQuery(
    { id: pool?.id ?? '', ...(override !== null ? { finalEquityCents: override } : {}) },
    { enabled: current !== null && (!overriding || override !== null), placeholderData: keepPreviousData },
  );
  const invalid = overriding && (typed === undefined || typed === null);
  const reasonMissing = overriding && reason.trim() === '';
  const serverFields = settle.isError ? fieldErrors(settle.error) : {};
  const serverField = serverFields.finalEquityCents;
  const equityError = invalid
    ? equity === ''
      ? 'Enter the final equity, or turn the override off'
      : 'Enter an amount in dollars, up to 2 decimals'
    : outOfBounds && bounds
      ? `Must be between ${formatUsd(bounds.min)} and ${formatUsd(bounds.max)} (within 5 % of the reported equity)`
      : serverField;
  // Also while the typed amount has not reached the preview yet: the button must settle what the preview shows.
  const blocked =
    overriding && (invalid || outOfBounds || reasonMissing || override === null || typed !== parsed);

  const confirm = () => {
    if (!pool || !preview.data) {
      return;
    }
    const summary = preview.data;
    const payoutTotal = summary.payouts.reduce((sum, payout) => sum + payout.payoutCents, 0);
    confirmAction({
      title: `Settle ${pool.name}?`,
      body: (
        <>
          {summary.payouts.length === 0
            ? 'The pool has no investors: it is marked settled and nothing is paid.'
            : `${formatUsd(payoutTotal)} goes to ${formatCount(summary.payouts.length, 'investor')} and ${formatUsd(summary.feesCents)} in fees, at a final equity of ${formatUsd(summary.finalEquityCents)}.`}{' '}
          This cannot be undone.
        </>
      ),
      confirmLabel: 'Settle and pay out',
      cancelLabel: 'Back',
      danger: true,
      onConfirm: () => {
        settle.mutate(
          {
            id: pool.id,
            ...(overriding && override !== null ? { finalEquityCents: override, reason: reason.trim() } : {}),
          },
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
            performance fee on profit. The final equity is the pool’s value from the model’s last report: its
            capital plus the reported profit and loss.
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs" data-testid="settlement-default">
            <Figure
              label="Reported equity (default)"
              value={base.data ? formatUsd(base.data.defaultFinalEquityCents) : '…'}
            />
            <Figure label="Capital" value={formatUsd(pool.capitalCents)} />
            <Figure
              label="Override range (±5 %)"
              value={bounds ? `${formatUsd(bounds.min)} – ${formatUsd(bounds.max)}` : '…'}
            />
          </SimpleGrid>
          {isAdmin ? (
            <Stack gap="xs">
              <Switch
                label="Override the final equity"
                description="Admins only, with a reason kept in the audit log, within 5 % of the reported equity"
                checked={overriding}
                onChange={(event) => {
                  form.setFieldValue('overriding', event.currentTarget.checked);
                  reset();
                }}
              />
              {overriding ? (
                <Group align="flex-start" gap="md" wrap="wrap">
                  <NumberInput
                    label="Final equity"
                    description={
                      bounds ? `Between ${formatUsd(bounds.min)} and ${formatUsd(bounds.max)}` : 'In dollars'
                    }
                    placeholder={base.data ? formatUsd(base.data.defaultFinalEquityCents) : undefined}
                    prefix="$"
                    thousandSeparator=","
                    decimalScale={2}
                    allowNegative={false}
                    hideControls
                    required
                    value={equity}
                    onChange={(value) => form.setFieldValue('equity', value)}
                    error={equityError}
                    w={260}
                    data-autofocus
                  />
                  <Textarea
                    label="Reason"
                    description="Why the reported equity is wrong (kept in the audit log)"
                    required
                    autosize
                    minRows={2}
                    maxLength={500}
                    value={reason}
                    onChange={(event) => form.setFieldValue('reason', event.currentTarget.value)}
                    error={
                      serverFields.reason ??
                      (reasonMissing && equity !== '' ? 'A reason is required to override' : undefined)
                    }
                    style={{ flex: 1, minWidth: 260 }}
                  />
                </Group>
              ) : null}
            </Stack>
          ) : (
            <Text size="sm" c="dimmed">
              The pool settles at the reported equity. Only an admin may override it.
            </Text>
          )}

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
                <EmptyMessage
                  py={24}
                  iconSize={24}
                  icon={IconUsers}
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
                          <NumericTd>{formatUsd(payout.amountCents)}</NumericTd>
                          <NumericTd>{formatUsd(payout.grossCents)}</NumericTd>
                          <NumericTd c="dimmed">{formatUsd(payout.feeCents)}</NumericTd>
                          <NumericTd fw={600}>{formatUsd(payout.payoutCents)}</NumericTd>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                    {totals ? (
                      <Table.Tfoot>
                        <Table.Tr>
                          <Table.Th>Total</Table.Th>
                          <NumericTh>{formatUsd(totals.amount)}</NumericTh>
                          <NumericTh>{formatUsd(totals.gross)}</NumericTh>
                          <NumericTh>{formatUsd(totals.fee)}</NumericTh>
                          <NumericTh>{formatUsd(totals.payout)}</NumericTh>
                        </Table.Tr>
                      </Table.Tfoot>
                    ) : null}
                  </Table>
                </Table.ScrollContainer>
              )}
            </Box>
          )}

          {pool.status !== 'SETTLING' ? (
            <Alert color="orange" icon={<IconAlertTriangle size={18} />}>
              Only a settling pool can be settled; this one is {pool.status.toLowerCase()}. The preview shows
              what settling would pay at this equity.
            </Alert>
          ) : null}
          {settle.isError && !serverField && !serverFields.reason ? (
            <Alert color="red" role="alert">
              {errorMessage(settle.error)}
            </Alert>
          ) : null}

          <ModalActions onCancel={onClose} cancelDisabled={settle.isPending}>
            <Button
              color="red"
              onClick={confirm}
              loading={settle.isPending}
              disabled={pool.status !== 'SETTLING' || blocked || !data || preview.isFetching}
            >
              Settle…
            </Button>
          </ModalActions>
        </Stack>
      ) : null}
    </Modal>
  );
}
