import { notifications } from '@mantine/notifications';
import { type LiveEvent, useRealtimeEvent } from '../lib/realtime';

interface WithdrawalUpdate {
  withdrawal?: {
    id?: string;
    amountCents?: number;
    status?: string;
    reason?: string | null;
    reference?: string | null;
  };
}

const DECISIONS: Record<
  string,
  { color: string; title: string; message: (amount: string, w: WithdrawalUpdate['withdrawal']) => string }
> = {
  APPROVED: {
    color: 'teal',
    title: 'Withdrawal approved',
    message: (amount) => `${amount} will be sent to your bank; you are told again once it is paid.`,
  },
  PAID: {
    color: 'teal',
    title: 'Withdrawal paid',
    message: (amount, w) => `${amount} was sent${w?.reference ? ` (reference ${w.reference})` : ''}.`,
  },
  REJECTED: {
    color: 'red',
    title: 'Withdrawal rejected',
    message: (amount, w) => `${amount} is back in your wallet.${w?.reason ? ` Reason: ${w.reason}` : ''}`,
  },
};

/**
 * The person's own money events always notify, wherever they are in the app (trade notifications are opt-in, see
 * lib/trade-toasts.ts): an administrator's decision on their withdrawal. What they did themselves (a request, a
 * cancellation) was confirmed where they did it. Mounted once, in the root layout; one toast per event id.
 */
export function useOwnMoneyToasts(): void {
  useRealtimeEvent('withdrawal:update', (event: LiveEvent) => {
    const withdrawal = (event.data as WithdrawalUpdate).withdrawal;
    const decision = withdrawal?.status ? DECISIONS[withdrawal.status] : undefined;
    if (!decision || typeof withdrawal?.amountCents !== 'number') {
      return;
    }
    const amountCents = withdrawal.amountCents;
    // The formatters load with the first toast, not with the app shell: they would put 3 KiB into every investor's
    // initial JS, which has a 200 KiB budget (docs/performance.md).
    void import('../lib/format').then(({ formatMoney }) =>
      notifications.show({
        id: `money-${event.id}`,
        color: decision.color,
        title: decision.title,
        message: decision.message(formatMoney(amountCents), withdrawal),
      }),
    );
  });
}
