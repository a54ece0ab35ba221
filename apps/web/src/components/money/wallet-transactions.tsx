import { Anchor, Button, Card, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconReceipt } from '@tabler/icons-react';
import type { RouterOutputs } from '@tradepool/api';
import { useState } from 'react';
import { Link } from 'react-router';
import { getAccessToken } from '../../lib/auth-token';
import { formatShortDateTime } from '../../lib/format';
import { formatSignedCents } from '../../lib/money';
import { useRealtimeEvent } from '../../lib/realtime';
import { trpc } from '../../lib/trpc';
import { DateTimeText } from '../date-time-text';
import { type ListEmpty, ListState } from '../list-state';
import { DemoPaymentBadge } from './money-badges';

type Transaction = RouterOutputs['statements']['transactions']['items'][number];

const PAGE = 25;

function AmountCell({ transaction }: { transaction: Transaction }) {
  const { amountCents: cash, heldCents: held } = transaction;
  return (
    <Stack gap={0} align="flex-end">
      {cash !== 0 ? (
        <Text
          size="sm"
          fw={600}
          c={cash > 0 ? 'teal.7' : undefined}
          style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}
        >
          {formatSignedCents(cash)}
        </Text>
      ) : null}
      {held !== 0 ? (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
          held {formatSignedCents(held)}
        </Text>
      ) : null}
    </Stack>
  );
}

function Description({ transaction }: { transaction: Transaction }) {
  if (transaction.kind === 'DEPOSIT') {
    return (
      <Group gap={6} wrap="nowrap">
        <span>{transaction.description}</span>
        <DemoPaymentBadge size="xs" />
      </Group>
    );
  }
  return transaction.poolId ? (
    <Anchor component={Link} to={`/pools/${transaction.poolId}`} inherit>
      {transaction.description}
    </Anchor>
  ) : (
    transaction.description
  );
}

/**
 * Downloads every movement as CSV through the signed-in session: the same REST route a script would call, with the
 * in-memory access token (never put in a URL), saved under the name the server gives.
 */
async function downloadCsv(): Promise<void> {
  const token = getAccessToken();
  const response = await fetch('/api/v1/wallet/transactions?format=csv', {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    credentials: 'same-origin',
  });
  if (!response.ok) {
    throw new Error(
      response.status === 401 ? 'Your session has expired: sign in again.' : 'The download failed.',
    );
  }
  const name =
    /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'transactions.csv';
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // Revoked after the click has been handled: the browser has started the download by then.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

const NO_MOVEMENTS: ListEmpty = {
  icon: IconReceipt,
  title: 'No movements yet',
  description: 'Deposits, investments, payouts and withdrawals will be listed here.',
  'data-testid': 'wallet-history-empty',
};

/** Every movement of the investor's wallet, newest first, a page at a time, and the whole list as a CSV download. */
export function WalletTransactions() {
  const utils = trpc.useUtils();
  const transactions = trpc.statements.transactions.useInfiniteQuery(
    { limit: PAGE },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
  const [downloading, setDownloading] = useState(false);
  useRealtimeEvent('wallet:update', () => void utils.statements.transactions.invalidate());
  const rows = transactions.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Card p={0}>
      <Group justify="space-between" p="md" pb="sm" wrap="wrap" gap="xs">
        <Stack gap={2}>
          <Title order={2} size="h4">
            History
          </Title>
          <Text size="sm" c="dimmed">
            Every movement of your money, newest first.
          </Text>
        </Stack>
        <Button
          variant="default"
          size="xs"
          leftSection={<IconDownload size={14} />}
          loading={downloading}
          disabled={rows.length === 0}
          data-testid="wallet-download-csv"
          onClick={() => {
            setDownloading(true);
            downloadCsv()
              .catch((error: unknown) =>
                notifications.show({
                  color: 'red',
                  title: 'Could not download your transactions',
                  message: error instanceof Error ? error.message : 'The download failed.',
                }),
              )
              .finally(() => setDownloading(false));
          }}
        >
          Download CSV
        </Button>
      </Group>
      <ListState
        query={transactions}
        items={transactions.data ? rows : undefined}
        errorTitle="Could not load your wallet history"
        empty={NO_MOVEMENTS}
        table={{
          minWidth: 300,
          columns: 3,
          props: { 'data-testid': 'wallet-history', highlightOnHover: true },
          head: (
            <>
              <Table.Th w={190} visibleFrom="sm">
                Date
              </Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
            </>
          ),
          loadingRows: Array.from({ length: 4 }, (_, row) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have nothing else to tell them apart.
            <Table.Tr key={row} aria-hidden>
              <Table.Td visibleFrom="sm">
                <Skeleton h={14} w={140} />
              </Table.Td>
              <Table.Td>
                <Skeleton h={14} w={220} />
              </Table.Td>
              <Table.Td>
                <Skeleton h={14} w={70} ml="auto" />
              </Table.Td>
            </Table.Tr>
          )),
        }}
        pager={{
          hasMore: transactions.hasNextPage,
          loadingMore: transactions.isFetchingNextPage,
          onLoadMore: () => transactions.fetchNextPage(),
          label: 'Show older movements',
          size: 'xs',
          'data-testid': 'wallet-history-more',
        }}
      >
        {(items) =>
          items.map((transaction) => (
            <Table.Tr key={transaction.id} data-kind={transaction.kind} data-testid="wallet-transaction">
              <Table.Td visibleFrom="sm">
                <DateTimeText at={transaction.at} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" component="div">
                  <Description transaction={transaction} />
                </Text>
                {/* Phones have no date column: the date goes under the description. */}
                <Text size="xs" c="dimmed" hiddenFrom="sm">
                  {formatShortDateTime(transaction.at)}
                </Text>
              </Table.Td>
              <Table.Td>
                <AmountCell transaction={transaction} />
              </Table.Td>
            </Table.Tr>
          ))
        }
      </ListState>
    </Card>
  );
}
