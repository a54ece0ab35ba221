import { Code, Stack, Table, Text } from '@mantine/core';
import type { RouterOutputs } from '@tradepool/api';
import type { ReactNode } from 'react';
import { formatMoney } from '../../lib/format';

type LedgerCheck = RouterOutputs['admin']['ledger']['check'];

/** Ledger account ids are `kind:owner` (`cash:<userId>`, `capital:<poolId>`, `external`): readable enough as code. */
function AccountId({ id }: { id: string }) {
  return (
    <Code fz="sm" style={{ wordBreak: 'break-all' }}>
      {id}
    </Code>
  );
}

interface OffenderTableProps {
  title: string;
  minWidth: number;
  testId: string;
  /** Header cells after "Account", right-aligned like the amounts under them. */
  amounts: string[];
  children: ReactNode;
}

/** One kind of broken account, as a small bordered table. */
function OffenderTable({ title, minWidth, testId, amounts, children }: OffenderTableProps) {
  return (
    <div>
      <Text fw={600} size="sm" mb={6}>
        {title}
      </Text>
      <Table.ScrollContainer minWidth={minWidth}>
        <Table withTableBorder verticalSpacing={6} data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Account</Table.Th>
              {amounts.map((amount) => (
                <Table.Th key={amount} ta="right">
                  {amount}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{children}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </div>
  );
}

/** What breaks the books: a sum other than zero, and each kind of broken account. */
export function Offenders({ check }: { check: LedgerCheck }) {
  return (
    <Stack gap="md" mt="md">
      {check.totalCents !== 0 ? (
        <Text size="sm">
          The balances add up to <b>{formatMoney(check.totalCents)}</b> instead of zero: money was created or
          lost.
        </Text>
      ) : null}
      {check.negative.length > 0 ? (
        <OffenderTable
          title={`Below zero where that is forbidden (${check.negative.length})`}
          minWidth={420}
          testId="ledger-negative"
          amounts={['Balance']}
        >
          {check.negative.map((account) => (
            <Table.Tr key={account.id}>
              <Table.Td>
                <AccountId id={account.id} />
              </Table.Td>
              <Table.Td ta="right" c="red.7" fw={600}>
                {formatMoney(account.balanceCents)}
              </Table.Td>
            </Table.Tr>
          ))}
        </OffenderTable>
      ) : null}
      {check.mismatched.length > 0 ? (
        <OffenderTable
          title={`Balance differs from the sum of its transfers (${check.mismatched.length})`}
          minWidth={560}
          testId="ledger-mismatched"
          amounts={['Stored balance', 'From transfers', 'Difference']}
        >
          {check.mismatched.map((account) => (
            <Table.Tr key={account.id}>
              <Table.Td>
                <AccountId id={account.id} />
              </Table.Td>
              <Table.Td ta="right">{formatMoney(account.balanceCents)}</Table.Td>
              <Table.Td ta="right">{formatMoney(account.fromTransfersCents)}</Table.Td>
              <Table.Td ta="right" c="red.7" fw={600}>
                {formatMoney(account.balanceCents - account.fromTransfersCents)}
              </Table.Td>
            </Table.Tr>
          ))}
        </OffenderTable>
      ) : null}
    </Stack>
  );
}
