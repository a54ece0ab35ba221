import {
  Alert,
  Avatar,
  Badge,
  Card,
  Chip,
  Group,
  Menu,
  NumberInput,
  Radio,
  Select,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconCalendarPlus,
  IconCheck,
  IconInfoCircle,
  IconShieldCheck,
  IconUserCheck,
  IconUserCog,
  IconUserOff,
  IconUsers,
} from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import type { RouterInputs, RouterOutputs } from '@tradepool/api';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../auth/auth-provider';
import { ROLE_META, ROLES } from '../../auth/roles';
import type { Role } from '../../auth/session-store';
import { DecisionModal } from '../../components/decision-modal';
import { FilterBar, SearchInput } from '../../components/filter-bar';
import { ListState } from '../../components/list-state';
import { confirmAction } from '../../components/modal-actions';
import { PageHeader } from '../../components/page-header';
import { RoleBadge } from '../../components/role-badge';
import { errorMessage } from '../../lib/errors';
import { formatCount, formatDate, formatDateTime } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import choiceCard from '../components/choice-card.module.css';
import { RowActionsMenu } from '../components/row-actions-menu';
import type { AdminUser } from '../use-user-directory';

type StatusFilter = 'active' | 'disabled';

const PAGE_SIZE = 20;
const SEARCH_DEBOUNCE_MS = 300;

function isRole(value: string | null): value is Role {
  return value !== null && (ROLES as readonly string[]).includes(value);
}

function isStatus(value: string | null): value is StatusFilter {
  return value === 'active' || value === 'disabled';
}

/** Filters live in the URL: a reload, the back button or a shared link shows the same list. */
function useUserFilters() {
  const [params, setParams] = useSearchParams();
  const role = params.get('role');
  const status = params.get('status');
  const page = Number(params.get('page') ?? '1');
  const filters = {
    search: params.get('q') ?? '',
    role: isRole(role) ? role : null,
    status: isStatus(status) ? status : null,
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
  const update = (change: Partial<typeof filters>) => {
    const merged = { ...filters, page: 1, ...change };
    const next = new URLSearchParams();
    if (merged.search) {
      next.set('q', merged.search);
    }
    if (merged.role) {
      next.set('role', merged.role);
    }
    if (merged.status) {
      next.set('status', merged.status);
    }
    if (merged.page > 1) {
      next.set('page', String(merged.page));
    }
    setParams(next, { replace: true });
  };
  return { filters, update };
}

function useRefreshUsers() {
  const utils = trpc.useUtils();
  return () => utils.admin.users.list.invalidate();
}

type UserUpdate = RouterInputs['admin']['users']['update'];
type SavedUser = RouterOutputs['admin']['users']['update'];

/** Saves one change to a user from a dialog: says what changed, refreshes the list and closes the dialog. */
function useSaveUser(onClose: () => void) {
  const update = trpc.admin.users.update.useMutation();
  const refresh = useRefreshUsers();
  return async (input: UserUpdate, title: string, message: (saved: SavedUser) => string) => {
    const saved = await update.mutateAsync(input);
    notifications.show({ color: 'teal', title, message: message(saved) });
    void refresh();
    onClose();
  };
}

function ChangeRoleModal({ user, onClose }: { user: AdminUser | null; onClose: () => void }) {
  const save = useSaveUser(onClose);
  return (
    <DecisionModal
      target={user}
      onClose={onClose}
      title="Change role"
      confirmLabel="Change role"
      initialValues={(target) => ({ role: target.role })}
      confirmDisabled={({ role }, target) => role === target.role}
      onConfirm={(target, _text, { role }) =>
        save(
          { id: target.id, role },
          'Role changed',
          (saved) =>
            `${saved.email} is now ${ROLE_META[saved.role].label.toLowerCase()}. Their sessions were ended.`,
        )
      }
    >
      {(target, form) => (
        <>
          <Text size="sm">
            Choose the role for <b>{target.email}</b>.
          </Text>
          <Radio.Group
            value={form.values.role}
            onChange={(value) => isRole(value) && form.setFieldValue('role', value)}
            aria-label="Role"
          >
            <Stack gap="xs">
              {ROLES.map((option) => (
                <Radio.Card key={option} value={option} p="sm" radius="md" className={choiceCard.choiceCard}>
                  <Group wrap="nowrap" align="flex-start" gap="sm">
                    <Radio.Indicator mt={2} />
                    <Stack gap={2}>
                      <Group gap={6}>
                        <Text size="sm" fw={600}>
                          {ROLE_META[option].label}
                        </Text>
                        {option === target.role ? (
                          <Badge size="xs" variant="outline" color="gray">
                            current
                          </Badge>
                        ) : null}
                      </Group>
                      <Text size="xs" c="dimmed">
                        {ROLE_META[option].description}
                      </Text>
                    </Stack>
                  </Group>
                </Radio.Card>
              ))}
            </Stack>
          </Radio.Group>
          <Alert color="orange" icon={<IconInfoCircle size={18} />}>
            Changing the role signs them out everywhere. Admins and managers may have to set up two-factor
            authentication at their next sign-in.
          </Alert>
        </>
      )}
    </DecisionModal>
  );
}

const DAY_PRESETS = [30, 90, 365];
const MAX_DAYS = 3660;
const DAYS_ERROR = 'Between 1 and 3660 days';

/** The whole number of days typed, or null when it is not one the server takes. */
function grantDays(days: number | string): number | null {
  const count = typeof days === 'number' ? days : Number.parseInt(days, 10);
  return Number.isInteger(count) && count >= 1 && count <= MAX_DAYS ? count : null;
}

function GrantSubscriptionModal({ user, onClose }: { user: AdminUser | null; onClose: () => void }) {
  const save = useSaveUser(onClose);
  return (
    <DecisionModal
      target={user}
      onClose={onClose}
      title="Grant subscription days"
      initialValues={(): { days: number | string } => ({ days: 30 })}
      validate={{ days: (days) => (grantDays(days) === null ? DAYS_ERROR : null) }}
      confirmDisabled={({ days }) => grantDays(days) === null}
      confirmLabel={({ days }) => {
        const count = grantDays(days);
        return count === null ? 'Grant' : `Grant ${formatCount(count, 'day')}`;
      }}
      onConfirm={(target, _text, { days }) =>
        save(
          { id: target.id, grantSubscriptionDays: grantDays(days) ?? 0 },
          'Subscription granted',
          (saved) =>
            `${saved.email} is subscribed until ${saved.subscriptionExpiresAt ? formatDate(saved.subscriptionExpiresAt) : '—'}.`,
        )
      }
    >
      {(target, form) => {
        const count = grantDays(form.values.days);
        // The server adds the days to the later of now and the current end, so an active subscription is extended.
        const base =
          target.isSubscriptionActive && target.subscriptionExpiresAt
            ? dayjs(target.subscriptionExpiresAt)
            : dayjs();
        const newEnd = count === null ? null : base.add(count, 'day');
        return (
          <>
            <Text size="sm">
              Add subscription time to <b>{target.email}</b>
              {target.isSubscriptionActive && target.subscriptionExpiresAt
                ? `, currently active until ${formatDate(target.subscriptionExpiresAt)}.`
                : ', who has no active subscription.'}
            </Text>
            <NumberInput
              label="Days"
              min={1}
              max={MAX_DAYS}
              allowDecimal={false}
              allowNegative={false}
              {...form.getInputProps('days')}
              error={count !== null || form.values.days === '' ? null : DAYS_ERROR}
              data-autofocus
            />
            <Group gap="xs">
              {DAY_PRESETS.map((preset) => (
                <Chip
                  key={preset}
                  size="xs"
                  checked={count === preset}
                  onChange={() => form.setFieldValue('days', preset)}
                  icon={<IconCheck size={12} />}
                >
                  {preset === 365 ? '1 year' : `${preset} days`}
                </Chip>
              ))}
            </Group>
            <Text size="sm" c="dimmed" data-testid="new-subscription-end">
              {newEnd ? `New end date: ${formatDate(newEnd.toISOString())}` : 'Enter a number of days.'}
            </Text>
          </>
        );
      }}
    </DecisionModal>
  );
}

function useToggleDisabled() {
  const update = trpc.admin.users.update.useMutation();
  const refresh = useRefreshUsers();

  return (user: AdminUser) => {
    const disabling = !user.disabled;
    confirmAction({
      title: disabling ? `Disable ${user.email}?` : `Enable ${user.email}?`,
      body: disabling
        ? 'They are signed out everywhere at once and cannot sign in until the account is enabled again. Their money and investments are not touched.'
        : 'They can sign in again with their current password.',
      confirmLabel: disabling ? 'Disable account' : 'Enable account',
      cancelLabel: 'Cancel',
      danger: disabling,
      onConfirm: () => {
        update.mutate(
          { id: user.id, disabled: disabling },
          {
            onSuccess: (saved) => {
              notifications.show({
                color: saved.disabled ? 'orange' : 'teal',
                title: saved.disabled ? 'Account disabled' : 'Account enabled',
                message: saved.email,
              });
              void refresh();
            },
            onError: (error) => {
              notifications.show({ color: 'red', title: 'Nothing changed', message: errorMessage(error) });
            },
          },
        );
      },
    });
  };
}

interface RowActionsProps {
  user: AdminUser;
  isSelf: boolean;
  onChangeRole: () => void;
  onGrant: () => void;
  onToggleDisabled: () => void;
}

function RowActions({ user, isSelf, onChangeRole, onGrant, onToggleDisabled }: RowActionsProps) {
  return (
    <RowActionsMenu name={user.email} width={230}>
      <Menu.Item leftSection={<IconUserCog size={16} />} onClick={onChangeRole} disabled={isSelf}>
        Change role…
      </Menu.Item>
      <Menu.Item leftSection={<IconCalendarPlus size={16} />} onClick={onGrant}>
        Grant subscription…
      </Menu.Item>
      <Menu.Divider />
      {user.disabled ? (
        <Menu.Item leftSection={<IconUserCheck size={16} />} onClick={onToggleDisabled}>
          Enable account…
        </Menu.Item>
      ) : (
        <Menu.Item
          color="red"
          leftSection={<IconUserOff size={16} />}
          onClick={onToggleDisabled}
          disabled={isSelf}
        >
          Disable account…
        </Menu.Item>
      )}
      {isSelf ? (
        <Text size="xs" c="dimmed" px="sm" py={6}>
          This is you: you cannot change your own role or disable yourself.
        </Text>
      ) : null}
    </RowActionsMenu>
  );
}

function SubscriptionCell({ user }: { user: AdminUser }) {
  if (!user.subscriptionExpiresAt) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Tooltip label={formatDateTime(user.subscriptionExpiresAt)} openDelay={300}>
      <Text size="sm" c={user.isSubscriptionActive ? undefined : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
        {formatDate(user.subscriptionExpiresAt)}
        {user.isSubscriptionActive ? '' : ' (ended)'}
      </Text>
    </Tooltip>
  );
}

/** One user in the table: who they are, their role, 2FA, subscription, status and what an admin can do. */
function UserRow(actions: RowActionsProps) {
  const { user, isSelf } = actions;
  return (
    <Table.Tr data-disabled={user.disabled || undefined}>
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          <Avatar name={user.displayName} color="initials" radius="xl" size={32} />
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Group gap={6} wrap="nowrap">
              <Text size="sm" fw={600} truncate>
                {user.displayName}
              </Text>
              {isSelf ? (
                <Badge size="xs" variant="outline" color="gray">
                  you
                </Badge>
              ) : null}
            </Group>
            <Text size="xs" c="dimmed" truncate>
              {user.email}
            </Text>
          </Stack>
        </Group>
      </Table.Td>
      <Table.Td>
        <RoleBadge role={user.role} />
      </Table.Td>
      <Table.Td>
        {user.totpEnabled ? (
          <Tooltip label="Two-factor authentication on">
            <IconShieldCheck size={18} color="var(--mantine-color-teal-filled)" aria-label="2FA on" />
          </Tooltip>
        ) : (
          <Text size="sm" c="dimmed" aria-label="2FA off">
            Off
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <SubscriptionCell user={user} />
      </Table.Td>
      <Table.Td>
        <Badge variant="dot" color={user.disabled ? 'red' : 'teal'} tt="none">
          {user.disabled ? 'Disabled' : 'Active'}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Tooltip label={formatDateTime(user.createdAt)} openDelay={300}>
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {formatDate(user.createdAt)}
          </Text>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <RowActions {...actions} />
      </Table.Td>
    </Table.Tr>
  );
}

/** Everyone with an account: find them, change their role, disable them, grant subscription time. ADMIN only. */
export function AdminUsersPage() {
  const { user: me } = useAuth();
  const { filters, update } = useUserFilters();
  const [searchInput, setSearchInput] = useState(filters.search);
  const [debouncedSearch] = useDebouncedValue(searchInput.trim(), SEARCH_DEBOUNCE_MS);
  const [roleTarget, setRoleTarget] = useState<AdminUser | null>(null);
  const [grantTarget, setGrantTarget] = useState<AdminUser | null>(null);
  const toggleDisabled = useToggleDisabled();

  // biome-ignore lint/correctness/useExhaustiveDependencies: only a settled search box changes the URL.
  useEffect(() => {
    if (debouncedSearch !== filters.search) {
      update({ search: debouncedSearch });
    }
  }, [debouncedSearch]);

  const list = trpc.admin.users.list.useQuery(
    {
      search: filters.search || undefined,
      role: filters.role ?? undefined,
      status: filters.status ?? undefined,
      page: filters.page,
      pageSize: PAGE_SIZE,
    },
    { placeholderData: keepPreviousData },
  );

  const filtered = Boolean(filters.search || filters.role || filters.status);
  const clearFilters = () => {
    setSearchInput('');
    update({ search: '', role: null, status: null });
  };

  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const first = total === 0 ? 0 : (filters.page - 1) * PAGE_SIZE + 1;
  const last = Math.min(filters.page * PAGE_SIZE, total);

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone with a Tradepool account: roles, access and subscriptions."
      />

      <Card p={0}>
        <FilterBar>
          <SearchInput
            label="Search"
            placeholder="Email or name"
            value={searchInput}
            onChange={setSearchInput}
            basis={240}
            clearLabel="Clear search"
          />
          <Select
            label="Role"
            placeholder="All roles"
            data={ROLES.map((role) => ({ value: role, label: ROLE_META[role].label }))}
            value={filters.role}
            onChange={(value) => update({ role: isRole(value) ? value : null })}
            clearable
            w={{ base: '100%', xs: 160 }}
          />
          <Select
            label="Status"
            placeholder="Any status"
            data={[
              { value: 'active', label: 'Active' },
              { value: 'disabled', label: 'Disabled' },
            ]}
            value={filters.status}
            onChange={(value) => update({ status: isStatus(value) ? value : null })}
            clearable
            w={{ base: '100%', xs: 160 }}
          />
        </FilterBar>

        <ListState
          query={list}
          items={list.data?.items}
          errorTitle="Could not load users"
          empty={{
            icon: IconUsers,
            title: 'No users yet',
            description: 'Accounts appear here as people sign up.',
            'data-testid': 'users-empty',
          }}
          filtered={
            filtered
              ? {
                  title: 'No users match these filters',
                  description: 'Try another search, or clear the filters.',
                  onClear: clearFilters,
                }
              : null
          }
          table={{
            minWidth: 900,
            columns: 7,
            placeholder: { rows: 6, first: { h: 32, w: 200 }, rest: { h: 14, w: 70 } },
            props: {
              highlightOnHover: true,
              'data-testid': 'users-table',
              'aria-busy': list.isFetching,
              style: { opacity: list.isPlaceholderData ? 0.6 : 1, transition: 'opacity 150ms' },
            },
            head: (
              <>
                <Table.Th>User</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>2FA</Table.Th>
                <Table.Th>Subscription until</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th w={48}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </>
            ),
          }}
          pager={{
            page: filters.page,
            pages,
            onPage: (page) => update({ page }),
            summary: (
              <Text size="sm" c="dimmed" data-testid="users-count">
                {first}–{last} of {formatCount(total, 'user')}
              </Text>
            ),
          }}
        >
          {(items) =>
            items.map((user) => (
              <UserRow
                key={user.id}
                user={user}
                isSelf={user.id === me?.id}
                onChangeRole={() => setRoleTarget(user)}
                onGrant={() => setGrantTarget(user)}
                onToggleDisabled={() => toggleDisabled(user)}
              />
            ))
          }
        </ListState>
      </Card>

      <ChangeRoleModal user={roleTarget} onClose={() => setRoleTarget(null)} />
      <GrantSubscriptionModal user={grantTarget} onClose={() => setGrantTarget(null)} />
    </>
  );
}
