import { Badge, type BadgeProps, Text, type TextProps, Tooltip } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import type { RouterOutputs } from '@tradepool/api';
import { useSystemInfo } from '../../hooks/use-system-info';
import { formatChange, formatSignedMoney } from '../../lib/format';

type WithdrawalStatus = RouterOutputs['withdrawals']['list']['items'][number]['status'];
type InvestmentStatus = RouterOutputs['investments']['list']['items'][number]['status'];

export const WITHDRAWAL_STATUS_META: Record<
  WithdrawalStatus,
  { label: string; color: string; help: string }
> = {
  REQUESTED: { label: 'Requested', color: 'blue', help: 'Waiting for an administrator. The amount is held.' },
  APPROVED: { label: 'Approved', color: 'violet', help: 'Approved; the bank transfer is on its way.' },
  PAID: { label: 'Paid', color: 'teal', help: 'Paid out to your bank.' },
  REJECTED: { label: 'Rejected', color: 'red', help: 'Not approved; the amount is back in your wallet.' },
  CANCELLED: { label: 'Cancelled', color: 'gray', help: 'Cancelled; the amount is back in your wallet.' },
};

export function WithdrawalStatusBadge({
  status,
  size = 'md',
}: {
  status: WithdrawalStatus;
  size?: BadgeProps['size'];
}) {
  const meta = WITHDRAWAL_STATUS_META[status];
  return (
    <Badge color={meta.color} variant="light" size={size} miw="max-content" data-status={status}>
      {meta.label}
    </Badge>
  );
}

const INVESTMENT_STATUS_META: Record<InvestmentStatus, { label: string; color: string }> = {
  ACTIVE: { label: 'Active', color: 'blue' },
  SETTLED: { label: 'Settled', color: 'teal' },
  CANCELLED: { label: 'Cancelled', color: 'gray' },
  REFUNDED: { label: 'Refunded', color: 'gray' },
};

export function InvestmentStatusBadge({ status }: { status: InvestmentStatus }) {
  const meta = INVESTMENT_STATUS_META[status];
  return (
    <Badge color={meta.color} variant="light" miw="max-content" data-status={status}>
      {meta.label}
    </Badge>
  );
}

/**
 * "Demo payment" beside anything paid through the demo provider (deposits, subscription payments): the contract wants
 * simulated money labelled wherever it shows. Renders nothing with a real provider.
 */
export function DemoPaymentBadge({ size = 'sm' }: { size?: BadgeProps['size'] }) {
  const info = useSystemInfo();
  if (info.data?.paymentProvider !== 'demo') {
    return null;
  }
  return (
    <Tooltip label="Simulated: completes instantly and no real money moves." multiline w={240}>
      <Badge
        color="yellow"
        variant="light"
        size={size}
        tt="none"
        leftSection={<IconFlask size={12} />}
        data-testid="demo-payment-label"
        tabIndex={0}
      >
        Demo payment
      </Badge>
    </Tooltip>
  );
}

/** Whether payments on this server are simulated (`system.info`); false until known. */
export function useDemoPayments(): boolean {
  return useSystemInfo().data?.paymentProvider === 'demo';
}

/** A signed amount in green (gain) or red (loss), with an optional percentage; the sign is in the text, not only the colour. */
export function PnlText({
  cents,
  ratio,
  ...props
}: { cents: number; ratio?: number | null } & Omit<TextProps, 'c' | 'children'>) {
  const color = cents > 0 ? 'teal.7' : cents < 0 ? 'red.7' : 'dimmed';
  return (
    <Text component="span" c={color} fw={600} style={{ whiteSpace: 'nowrap' }} {...props}>
      {formatSignedMoney(cents)}
      {ratio !== undefined && ratio !== null ? ` (${formatChange(ratio)})` : ''}
    </Text>
  );
}
