import {
  Anchor,
  Button,
  Card,
  Group,
  Menu,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconBan,
  IconCoins,
  IconEdit,
  IconHistory,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlus,
  IconRocket,
  IconStack2,
} from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ListState } from '../../components/list-state';
import { confirmAction } from '../../components/modal-actions';
import { NumericTd } from '../../components/numeric-cell';
import { PageHeader } from '../../components/page-header';
import { PoolStatusBadge } from '../../components/pools/pool-badges';
import { PoolCountdown } from '../../components/pools/pool-countdown';
import { PoolStatusChips } from '../../components/pools/pool-status-chips';
import { RaisedProgress } from '../../components/pools/raised-progress';
import { appCode, errorMessage } from '../../lib/errors';
import { formatCount, formatDate, formatDateTime, formatMoney, formatNav } from '../../lib/format';
import { isPoolSnapshot } from '../../lib/pool-live';
import {
  EDITABLE_FIELDS,
  isPoolStatus,
  POOL_STATUSES,
  type Pool,
  type PoolStatus,
  STATUS_META,
  STRATEGY_LABELS,
} from '../../lib/pools';
import { useRealtimeEvent } from '../../lib/realtime';
import { trpc } from '../../lib/trpc';
import { RowActionsMenu } from '../components/row-actions-menu';
import classes from '../pools/admin-pools.module.css';
import { PoolFormModal } from '../pools/pool-form-modal';
import { PoolHistoryDrawer } from '../pools/pool-history-drawer';
import { SettleModal } from '../pools/settle-modal';

type Transition = 'publish' | 'pause' | 'resume' | 'cancel';

interface TransitionMeta {
  label: string;
  icon: ReactNode;
  done: string;
  /** Asked before acting; null acts at once (nothing is lost by it). */
  confirm: ((pool: Pool) => { title: string; body: string; action: string; danger: boolean }) | null;
}

const TRANSITIONS: Record<Transition, TransitionMeta> = {
  publish: {
    // "Publish" read like "make visible"; what it does is start trading before the start date.
    label: 'Start trading now',
    icon: <IconRocket size={16} />,
    done: 'is trading',
    confirm: (pool) => ({
      title: `Start trading ${pool.name} now?`,
      body: `The pool becomes active at once instead of at its start date (${formatDateTime(pool.startDate)}): the money raised so far (${formatMoney(pool.raisedCents)}) is handed to the trading model, which starts trading it. Investors can still buy shares while it is active. This cannot be undone.`,
      action: 'Start trading now',
      danger: false,
    }),
  },
  pause: {
    label: 'Pause',
    icon: <IconPlayerPause size={16} />,
    done: 'is paused',
    confirm: (pool) => ({
      title: `Pause ${pool.name}?`,
      body: 'Investors see the pool as paused until you resume it. Its end date does not move.',
      action: 'Pause pool',
      danger: false,
    }),
  },
  resume: { label: 'Resume', icon: <IconPlayerPlay size={16} />, done: 'is active again', confirm: null },
  cancel: {
    label: 'Cancel pool…',
    icon: <IconBan size={16} />,
    done: 'is cancelled',
    confirm: (pool) => ({
      title: `Cancel ${pool.name}?`,
      body: `The pool never trades and every investor is refunded to their wallet${pool.raisedCents > 0 ? ' at once' : ''}. This cannot be undone.`,
      action: 'Cancel pool',
      danger: true,
    }),
  },
};

/** What a person may do from each status (packages/domain POOL_TRANSITIONS, people only). */
const ALLOWED: Record<PoolStatus, readonly Transition[]> = {
  PENDING: ['publish', 'cancel'],
  ACTIVE: ['pause'],
  PAUSED: ['resume'],
  CLOSED: [],
  SETTLING: [],
  SETTLED: [],
  CANCELLED: [],
};

function useTransitions(onDone: () => void) {
  const publish = trpc.admin.pools.publish.useMutation();
  const pause = trpc.admin.pools.pause.useMutation();
  const resume = trpc.admin.pools.resume.useMutation();
  const cancel = trpc.admin.pools.cancel.useMutation();
  const mutations = { publish, pause, resume, cancel };

  const run = (pool: Pool, transition: Transition) => {
    mutations[transition].mutate(
      { id: pool.id },
      {
        onSuccess: (saved) => {
          notifications.show({
            color: STATUS_META[saved.status].color,
            title: `${saved.name} ${TRANSITIONS[transition].done}`,
            message: STATUS_META[saved.status].description,
          });
          onDone();
        },
        onError: (error) => {
          notifications.show({
            color: 'red',
            title: appCode(error) === 'CONFLICT' ? 'Not allowed any more' : 'Nothing changed',
            message: errorMessage(error),
          });
          onDone();
        },
      },
    );
  };

  const request = (pool: Pool, transition: Transition) => {
    const confirm = TRANSITIONS[transition].confirm;
    if (!confirm) {
      run(pool, transition);
      return;
    }
    const text = confirm(pool);
    confirmAction({
      title: text.title,
      body: text.body,
      confirmLabel: text.action,
      cancelLabel: 'Back',
      danger: text.danger,
      onConfirm: () => run(pool, transition),
    });
  };

  const pending = (pool: Pool) =>
    Object.values(mutations).some((mutation) => mutation.isPending && mutation.variables?.id === pool.id);
  return { request, pending };
}

interface RowActionsProps {
  pool: Pool;
  busy: boolean;
  onTransition: (transition: Transition) => void;
  onEdit: () => void;
  onSettle: () => void;
  onHistory: () => void;
}

function RowActions({ pool, busy, onTransition, onEdit, onSettle, onHistory }: RowActionsProps) {
  const allowed = ALLOWED[pool.status];
  const primary = pool.status === 'SETTLING' ? 'settle' : allowed.find((t) => t !== 'cancel');
  const editable = EDITABLE_FIELDS[pool.status].length > 0;
  return (
    <Group gap={6} wrap="nowrap" justify="flex-end">
      {primary === 'settle' ? (
        <Button
          size="xs"
          variant="light"
          color="violet"
          leftSection={<IconCoins size={14} />}
          onClick={onSettle}
        >
          Settle…
        </Button>
      ) : primary ? (
        <Button
          size="xs"
          variant="light"
          leftSection={TRANSITIONS[primary].icon}
          loading={busy}
          onClick={() => onTransition(primary)}
          aria-label={`${TRANSITIONS[primary].label.replace('…', '')}: ${pool.name}`}
        >
          {primary === 'publish' ? 'Start trading' : TRANSITIONS[primary].label}
        </Button>
      ) : null}
      <RowActionsMenu name={pool.name} width={220}>
        <Menu.Item leftSection={<IconEdit size={16} />} onClick={onEdit} disabled={!editable}>
          Edit…
        </Menu.Item>
        <Menu.Item leftSection={<IconHistory size={16} />} onClick={onHistory}>
          Status history
        </Menu.Item>
        {allowed.length > 0 || pool.status === 'SETTLING' ? <Menu.Divider /> : null}
        {allowed
          .filter((transition) => transition !== 'cancel')
          .map((transition) => (
            <Menu.Item
              key={transition}
              leftSection={TRANSITIONS[transition].icon}
              onClick={() => onTransition(transition)}
            >
              {TRANSITIONS[transition].label}
            </Menu.Item>
          ))}
        {pool.status === 'SETTLING' ? (
          <Menu.Item leftSection={<IconCoins size={16} />} onClick={onSettle}>
            Settle…
          </Menu.Item>
        ) : null}
        {allowed.includes('cancel') ? (
          <Menu.Item color="red" leftSection={TRANSITIONS.cancel.icon} onClick={() => onTransition('cancel')}>
            {TRANSITIONS.cancel.label}
          </Menu.Item>
        ) : null}
      </RowActionsMenu>
    </Group>
  );
}

/** The status filter lives in the URL (`?status=PENDING,ACTIVE`). */
function useStatusFilter() {
  const [params, setParams] = useSearchParams();
  const statuses = (params.get('status') ?? '').split(',').filter(isPoolStatus);
  const setStatuses = (next: PoolStatus[]) => {
    const search = new URLSearchParams(params);
    if (next.length > 0) {
      search.set('status', POOL_STATUSES.filter((status) => next.includes(status)).join(','));
    } else {
      search.delete('status');
    }
    setParams(search, { replace: true });
  };
  return { statuses, setStatuses };
}

/** One pool in the table: its name, status, money raised, NAV, investors, dates and what can be done next. */
function PoolRow(actions: RowActionsProps) {
  const { pool } = actions;
  return (
    <Table.Tr data-pool-id={pool.id}>
      <Table.Td maw={280}>
        <Stack gap={0}>
          <Anchor component={Link} to={`/pools/${pool.id}`} fw={600} size="sm" lineClamp={1}>
            {pool.name}
          </Anchor>
          <Text size="xs" c="dimmed" truncate>
            {STRATEGY_LABELS[pool.strategy]} · {pool.pair}
          </Text>
        </Stack>
      </Table.Td>
      <Table.Td>
        <PoolStatusBadge status={pool.status} />
      </Table.Td>
      <Table.Td>
        <RaisedProgress pool={pool} compact />
      </Table.Td>
      <NumericTd>{formatNav(pool.navPerShare)}</NumericTd>
      <NumericTd>{pool.investorCount}</NumericTd>
      <Table.Td>
        <Tooltip
          multiline
          w={260}
          label={`Starts ${formatDateTime(pool.startDate)} · ends ${formatDateTime(pool.endDate)} · settles ${formatDateTime(pool.settleDate)}`}
        >
          <Stack gap={0}>
            <Text size="xs" className={classes.numeric}>
              {formatDate(pool.startDate)} → {formatDate(pool.endDate)}
            </Text>
            <PoolCountdown pool={pool} size="xs" />
          </Stack>
        </Tooltip>
      </Table.Td>
      <Table.Td className={classes.actionsCell}>
        <RowActions {...actions} />
      </Table.Td>
    </Table.Tr>
  );
}

/** Managers' and admins' pool desk: create, edit, publish, pause, resume, cancel and settle pools. */
export function AdminPoolsPage() {
  const utils = trpc.useUtils();
  // Every pool, filtered here: the chips show how many pools each status has.
  const list = trpc.pools.list.useQuery({});
  const { statuses, setStatuses } = useStatusFilter();
  const [form, setForm] = useState<{ mode: 'create' } | { mode: 'edit'; pool: Pool } | null>(null);
  const [settling, setSettling] = useState<Pool | null>(null);
  const [history, setHistory] = useState<Pool | null>(null);
  const refresh = () => {
    void utils.pools.list.invalidate();
  };
  const transitions = useTransitions(refresh);

  // Managers and admins sit in the `admin` room: every pool's changes arrive here, whoever made them.
  useRealtimeEvent('pool:update', (event) => {
    const data = event.data as Parameters<typeof isPoolSnapshot>[0];
    if (!event.poolId || !isPoolSnapshot(data)) {
      return;
    }
    const next = data.pool;
    const known = utils.pools.list.getData({})?.items.some((pool) => pool.id === next.id);
    if (known) {
      utils.pools.list.setData({}, (old) =>
        old ? { items: old.items.map((pool) => (pool.id === next.id ? next : pool)) } : old,
      );
    } else {
      void utils.pools.list.invalidate({});
    }
    if (data.previousStatus) {
      void utils.pools.history.invalidate({ id: next.id });
    }
    // Keep open dialogs on the pool's latest state.
    setSettling((pool) => (pool?.id === next.id ? next : pool));
    setHistory((pool) => (pool?.id === next.id ? next : pool));
  });

  const all = list.data?.items ?? [];
  const counts = Object.fromEntries(POOL_STATUSES.map((status) => [status, 0])) as Record<PoolStatus, number>;
  for (const pool of all) {
    counts[pool.status] += 1;
  }
  const rows = statuses.length > 0 ? all.filter((pool) => statuses.includes(pool.status)) : all;

  return (
    <>
      <PageHeader
        title="Pools"
        description="Create pools from the strategy templates, move them through their lifecycle and settle them."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setForm({ mode: 'create' })}>
            New pool
          </Button>
        }
      />

      <Card p={0}>
        <Stack gap={6} p="md">
          <Text size="sm" fw={500} id="admin-pool-status-filter">
            Status
          </Text>
          <PoolStatusChips
            value={statuses}
            onChange={setStatuses}
            labelledBy="admin-pool-status-filter"
            counts={list.data ? counts : undefined}
          />
        </Stack>

        <ListState
          query={list}
          items={list.data ? rows : undefined}
          keepItemsOnError
          errorTitle="Could not load pools"
          empty={{
            icon: IconStack2,
            title: 'No pools yet',
            description: 'Create the first pool from one of the five strategy templates.',
            action: (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setForm({ mode: 'create' })}>
                New pool
              </Button>
            ),
            'data-testid': 'admin-pools-empty',
          }}
          filtered={
            all.length > 0
              ? {
                  title: 'No pools with these statuses',
                  description: 'Pick other statuses, or clear the filter.',
                  onClear: () => setStatuses([]),
                  clearLabel: 'Clear filter',
                }
              : null
          }
          table={{
            minWidth: 1000,
            columns: 7,
            placeholder: { rows: 5, first: { h: 32, w: 180 }, rest: { h: 14, w: 80 } },
            props: { highlightOnHover: true, 'data-testid': 'admin-pools-table' },
            head: (
              <>
                <Table.Th>Pool</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th w={200}>Raised</Table.Th>
                <Table.Th ta="right">NAV</Table.Th>
                <Table.Th ta="right">Investors</Table.Th>
                <Table.Th>Dates</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </>
            ),
          }}
          pager={{
            summary: (
              <Text size="sm" c="dimmed" data-testid="admin-pools-count">
                {rows.length === all.length
                  ? formatCount(all.length, 'pool')
                  : `${rows.length} of ${all.length} pools`}
              </Text>
            ),
          }}
        >
          {(items) =>
            items.map((pool) => (
              <PoolRow
                key={pool.id}
                pool={pool}
                busy={transitions.pending(pool)}
                onTransition={(transition) => transitions.request(pool, transition)}
                onEdit={() => setForm({ mode: 'edit', pool })}
                onSettle={() => setSettling(pool)}
                onHistory={() => setHistory(pool)}
              />
            ))
          }
        </ListState>
      </Card>

      <PoolFormModal target={form} onClose={() => setForm(null)} onSaved={refresh} />
      <SettleModal pool={settling} onClose={() => setSettling(null)} />
      <PoolHistoryDrawer pool={history} onClose={() => setHistory(null)} />
    </>
  );
}
