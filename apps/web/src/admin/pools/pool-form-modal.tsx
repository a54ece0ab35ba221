import {
  Alert,
  Badge,
  Button,
  Group,
  Input,
  Modal,
  NumberInput,
  Radio,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconLock } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { CompactMoney } from '../../components/compact-money';
import { PoolStatusBadge } from '../../components/pools/pool-badges';
import { useLastDefined } from '../../hooks/use-last-defined';
import { errorMessage, fieldErrors } from '../../lib/errors';
import {
  EDITABLE_FIELDS,
  isStrategy,
  type Pool,
  type PoolTemplate,
  RISK_LEVELS,
  RISK_META,
  type RiskLevel,
  STRATEGIES,
  STRATEGY_LABELS,
  type Strategy,
} from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import choiceCard from '../components/choice-card.module.css';

/** DateTimePicker speaks local wall-clock strings; the API speaks ISO instants. */
const PICKER_FORMAT = 'YYYY-MM-DD HH:mm:ss';
/** A new pool starts two days out by default: time to raise money, and clear of "start must be in the future". */
const DEFAULT_LEAD_HOURS = 48;
const PAIR_PATTERN = /^[A-Z0-9]{2,10}\/[A-Z0-9]{2,10}$/;

interface PoolFormValues {
  name: string;
  description: string;
  strategy: Strategy | null;
  pair: string;
  riskLevel: RiskLevel;
  /** Dollars, as typed. */
  targetAmount: number | string;
  minInvestment: number | string;
  startDate: string | null;
  endDate: string | null;
  settleDate: string | null;
}

type FormField = keyof PoolFormValues;

/** Form field ↔ API field: amounts are typed in dollars and sent in cents. */
const API_FIELD: Record<FormField, string> = {
  name: 'name',
  description: 'description',
  strategy: 'strategy',
  pair: 'pair',
  riskLevel: 'riskLevel',
  targetAmount: 'targetAmountCents',
  minInvestment: 'minInvestmentCents',
  startDate: 'startDate',
  endDate: 'endDate',
  settleDate: 'settleDate',
};
const FORM_FIELD = Object.fromEntries(Object.entries(API_FIELD).map(([form, api]) => [api, form])) as Record<
  string,
  FormField
>;

const toPicker = (iso: string) => dayjs(iso).format(PICKER_FORMAT);
const toIso = (value: string) => dayjs(value).toISOString();

/** Dollars with at most two decimals to integer cents; null when not a positive amount. */
function toCents(value: number | string): number | null {
  const text = typeof value === 'number' ? String(value) : value.replace(/[$,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(text)) {
    return null;
  }
  const [whole = '0', fraction = ''] = text.split('.');
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return cents > 0 && Number.isSafeInteger(cents) ? cents : null;
}

function defaultDates(template?: PoolTemplate) {
  const start = dayjs().add(DEFAULT_LEAD_HOURS, 'hour').add(1, 'hour').startOf('hour');
  const end = start.add(template?.durationDays ?? 30, 'day');
  const settle = end.add(template?.settleAfterDays ?? 1, 'day');
  return {
    startDate: start.format(PICKER_FORMAT),
    endDate: end.format(PICKER_FORMAT),
    settleDate: settle.format(PICKER_FORMAT),
  };
}

function emptyValues(): PoolFormValues {
  return {
    name: '',
    description: '',
    strategy: null,
    pair: '',
    riskLevel: 'MEDIUM',
    targetAmount: '',
    minInvestment: '',
    ...defaultDates(),
  };
}

/** The form fields a template and a pool both carry, amounts in dollars. */
function sharedValues(source: PoolTemplate | Pool) {
  return {
    name: source.name,
    description: source.description,
    strategy: source.strategy,
    pair: source.pair,
    riskLevel: source.riskLevel,
    targetAmount: source.targetAmountCents / 100,
    minInvestment: source.minInvestmentCents / 100,
  };
}

function valuesFromTemplate(template: PoolTemplate): PoolFormValues {
  return { ...sharedValues(template), ...defaultDates(template) };
}

function valuesFromPool(pool: Pool): PoolFormValues {
  return {
    ...sharedValues(pool),
    startDate: toPicker(pool.startDate),
    endDate: toPicker(pool.endDate),
    settleDate: toPicker(pool.settleDate),
  };
}

/**
 * The date rules (DESIGN.md §4), checked as the manager types: start in the future (while the pool has not
 * started), end after start, settlement on or after the end.
 */
function dateProblems(
  values: PoolFormValues,
  options: { startMustBeFuture: boolean; endMustBeFuture: boolean },
) {
  const problems: Partial<Record<'startDate' | 'endDate' | 'settleDate', string>> = {};
  const start = values.startDate ? dayjs(values.startDate) : null;
  const end = values.endDate ? dayjs(values.endDate) : null;
  const settle = values.settleDate ? dayjs(values.settleDate) : null;
  if (!start) {
    problems.startDate = 'Pick the start date';
  } else if (options.startMustBeFuture && !start.isAfter(dayjs())) {
    problems.startDate = 'Must be in the future';
  }
  if (!end) {
    problems.endDate = 'Pick the end date';
  } else if (start && !end.isAfter(start)) {
    problems.endDate = 'Must be after the start date';
  } else if (options.endMustBeFuture && !end.isAfter(dayjs())) {
    problems.endDate = 'Must be in the future';
  }
  if (!settle) {
    problems.settleDate = 'Pick the settlement date';
  } else if (end && settle.isBefore(end)) {
    problems.settleDate = 'Must be on or after the end date';
  }
  return problems;
}

function TemplatePicker({
  value,
  onPick,
}: {
  value: string | null;
  onPick: (template: PoolTemplate) => void;
}) {
  const templates = trpc.pools.templates.useQuery(undefined, { staleTime: Number.POSITIVE_INFINITY });
  if (templates.isPending) {
    return <Skeleton h={86} radius="md" />;
  }
  if (templates.isError) {
    return (
      <Alert color="orange">
        Templates could not be loaded ({errorMessage(templates.error)}). Fill the form by hand.
      </Alert>
    );
  }
  return (
    <Radio.Group
      value={value}
      onChange={(strategy) => {
        const template = templates.data.find((t) => t.strategy === strategy);
        if (template) {
          onPick(template);
        }
      }}
      label="Start from a template"
      description="Prefills every field; change anything before creating."
    >
      <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }} spacing="xs" mt="xs">
        {templates.data.map((template) => (
          <Radio.Card
            key={template.strategy}
            value={template.strategy}
            p="sm"
            radius="md"
            className={choiceCard.choiceCard}
            aria-label={`${template.name} template`}
          >
            <Group wrap="nowrap" align="flex-start" gap="xs">
              <Radio.Indicator size="xs" mt={3} />
              <Stack gap={2} style={{ minWidth: 0 }}>
                <Text size="sm" fw={600} truncate>
                  {template.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {template.pair} · {template.durationDays} days ·{' '}
                  <CompactMoney cents={template.targetAmountCents} />
                </Text>
                <Badge
                  size="xs"
                  variant="outline"
                  color={RISK_META[template.riskLevel].color}
                  tt="none"
                  w="fit-content"
                >
                  {RISK_META[template.riskLevel].label}
                </Badge>
              </Stack>
            </Group>
          </Radio.Card>
        ))}
      </SimpleGrid>
    </Radio.Group>
  );
}

interface PoolFormModalProps {
  /** `{ mode: 'create' }`, `{ mode: 'edit', pool }`, or null when closed. */
  target: { mode: 'create' } | { mode: 'edit'; pool: Pool } | null;
  onClose: () => void;
  onSaved: (pool: Pool) => void;
}

/** A dollar amount typed with cents, never negative, grouped as it is typed. */
const DOLLAR_INPUT = {
  prefix: '$',
  thousandSeparator: ',',
  decimalScale: 2,
  allowNegative: false,
  min: 0,
  hideControls: true,
} as const;

/** Create a pool (from a template) or edit one: only the fields its status allows are enabled. */
export function PoolFormModal({ target: current, onClose, onSaved }: PoolFormModalProps) {
  const target = useLastDefined(current);
  const pool = target?.mode === 'edit' ? target.pool : null;
  const [template, setTemplate] = useState<string | null>(null);
  const create = trpc.admin.pools.create.useMutation();
  const update = trpc.admin.pools.update.useMutation();
  const mutation = pool ? update : create;
  const editable = pool ? EDITABLE_FIELDS[pool.status] : null;
  const canEdit = (field: FormField) => editable === null || editable.includes(API_FIELD[field]);
  const startMustBeFuture = !pool || pool.status === 'PENDING';

  const form = useForm<PoolFormValues>({
    initialValues: emptyValues(),
    validate: {
      name: (value) => {
        const name = value.trim();
        if (name.length < 3) {
          return 'At least 3 characters';
        }
        return name.length > 80 ? 'At most 80 characters' : null;
      },
      description: (value) => (value.trim().length > 2000 ? 'At most 2000 characters' : null),
      strategy: (value) => (value ? null : 'Pick a strategy'),
      pair: (value) =>
        PAIR_PATTERN.test(value.trim()) ? null : 'Like BTC/USDT: capitals and digits, a slash between',
      targetAmount: (value) =>
        toCents(value) === null ? 'Enter an amount in dollars, up to 2 decimals' : null,
      minInvestment: (value, values) => {
        const min = toCents(value);
        if (min === null) {
          return 'Enter an amount in dollars, up to 2 decimals';
        }
        const target = toCents(values.targetAmount);
        return target !== null && min > target ? 'Must not exceed the target amount' : null;
      },
    },
  });
  const { reset: resetCreate } = create;
  const { reset: resetUpdate } = update;

  // Each time the modal opens: a blank form (create) or the pool's current values (edit), no old errors.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only opening the modal resets it.
  useEffect(() => {
    if (!current) {
      return;
    }
    const values = current.mode === 'edit' ? valuesFromPool(current.pool) : emptyValues();
    form.setInitialValues(values);
    form.setValues(values);
    form.clearErrors();
    setTemplate(null);
    resetCreate();
    resetUpdate();
  }, [current]);

  const dates = dateProblems(form.values, {
    startMustBeFuture: startMustBeFuture && (!pool || form.isDirty('startDate')),
    endMustBeFuture: pool !== null && pool.status !== 'PENDING' && form.isDirty('endDate'),
  });
  const dateError = (field: 'startDate' | 'endDate' | 'settleDate') =>
    form.errors[field] ?? (canEdit(field) ? dates[field] : undefined);

  const showServerErrors = (error: unknown): boolean => {
    const known = Object.entries(fieldErrors(error))
      .map(([field, message]) => [FORM_FIELD[field], message] as const)
      .filter((entry): entry is readonly [FormField, string] => entry[0] !== undefined);
    if (known.length === 0) {
      return false;
    }
    form.setErrors(Object.fromEntries(known));
    return true;
  };

  const submit = form.onSubmit((values) => {
    if ((['startDate', 'endDate', 'settleDate'] as const).some((field) => canEdit(field) && dates[field])) {
      return;
    }
    const targetAmountCents = toCents(values.targetAmount) ?? 0;
    const minInvestmentCents = toCents(values.minInvestment) ?? 0;
    const full = {
      name: values.name.trim(),
      description: values.description.trim(),
      strategy: values.strategy ?? 'MOMENTUM_BTC',
      pair: values.pair.trim(),
      riskLevel: values.riskLevel,
      targetAmountCents,
      minInvestmentCents,
      startDate: toIso(values.startDate ?? ''),
      endDate: toIso(values.endDate ?? ''),
      settleDate: toIso(values.settleDate ?? ''),
    };
    const onError = (error: unknown) => {
      showServerErrors(error);
    };
    const onSuccess = (saved: Pool) => {
      notifications.show({
        color: 'teal',
        title: pool ? 'Pool saved' : 'Pool created',
        message: pool
          ? saved.name
          : `${saved.name} is pending. Use “Start trading now” to start early, or let it start on its date.`,
      });
      onSaved(saved);
      onClose();
    };
    if (!pool) {
      create.mutate(full, { onSuccess, onError });
      return;
    }
    // Only what changed, and only what the status allows: the server refuses frozen fields outright.
    const changed = (Object.keys(API_FIELD) as FormField[]).filter(
      (field) => canEdit(field) && form.isDirty(field),
    );
    if (changed.length === 0) {
      onClose();
      return;
    }
    const patch = Object.fromEntries(
      changed.map((field) => [API_FIELD[field], full[API_FIELD[field] as keyof typeof full]]),
    );
    update.mutate({ id: pool.id, ...patch }, { onSuccess, onError });
  });

  const lockedHint = (field: FormField) =>
    pool && !canEdit(field) ? (
      <Group gap={4} component="span" wrap="nowrap">
        <IconLock size={12} aria-hidden />
        <span>Fixed while the pool is {pool.status.toLowerCase()}</span>
      </Group>
    ) : undefined;

  const serverError =
    mutation.isError && Object.keys(fieldErrors(mutation.error)).length === 0
      ? errorMessage(mutation.error)
      : null;

  return (
    <Modal
      opened={current !== null}
      onClose={onClose}
      title={pool ? `Edit ${pool.name}` : 'New pool'}
      size={760}
      closeOnClickOutside={!mutation.isPending}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {pool ? (
            <Alert color="blue" icon={<IconInfoCircle size={18} />} py="xs">
              <Group gap={6}>
                <Text size="sm">This pool is</Text>
                <PoolStatusBadge status={pool.status} size="sm" />
                <Text size="sm">
                  {editable && editable.length > 0
                    ? ': only the fields that status allows can change.'
                    : ': nothing can change any more.'}
                </Text>
              </Group>
            </Alert>
          ) : (
            <TemplatePicker
              value={template}
              onPick={(picked) => {
                setTemplate(picked.strategy);
                form.setValues(valuesFromTemplate(picked));
                form.clearErrors();
              }}
            />
          )}

          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="Name"
              required
              disabled={!canEdit('name')}
              description={lockedHint('name')}
              data-autofocus={pool ? true : undefined}
              {...form.getInputProps('name')}
            />
            <Select
              label="Strategy"
              required
              data={STRATEGIES.map((value) => ({ value, label: STRATEGY_LABELS[value] }))}
              disabled={!canEdit('strategy')}
              description={lockedHint('strategy')}
              allowDeselect={false}
              {...form.getInputProps('strategy')}
              onChange={(value) => form.setFieldValue('strategy', isStrategy(value) ? value : null)}
            />
          </SimpleGrid>
          <Textarea
            label="Description"
            autosize
            minRows={2}
            maxRows={5}
            disabled={!canEdit('description')}
            description={lockedHint('description')}
            {...form.getInputProps('description')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="Pair"
              placeholder="BTC/USDT"
              required
              disabled={!canEdit('pair')}
              description={lockedHint('pair')}
              {...form.getInputProps('pair')}
              onChange={(event) => form.setFieldValue('pair', event.currentTarget.value.toUpperCase())}
            />
            <Stack gap={4}>
              <Input.Label id="pool-risk-label" mb={0}>
                Risk level
              </Input.Label>
              <SegmentedControl
                aria-labelledby="pool-risk-label"
                fullWidth
                disabled={!canEdit('riskLevel')}
                data={RISK_LEVELS.map((value) => ({
                  value,
                  label: RISK_META[value].label.replace(' risk', ''),
                }))}
                value={form.values.riskLevel}
                onChange={(value) => form.setFieldValue('riskLevel', value as RiskLevel)}
              />
              {lockedHint('riskLevel') ? (
                <Text size="xs" c="dimmed">
                  {lockedHint('riskLevel')}
                </Text>
              ) : null}
            </Stack>
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <NumberInput
              label="Target amount"
              required
              {...DOLLAR_INPUT}
              disabled={!canEdit('targetAmount')}
              description={lockedHint('targetAmount') ?? 'The most the pool raises'}
              {...form.getInputProps('targetAmount')}
            />
            <NumberInput
              label="Minimum investment"
              required
              {...DOLLAR_INPUT}
              disabled={!canEdit('minInvestment')}
              description={lockedHint('minInvestment') ?? 'Per investment'}
              {...form.getInputProps('minInvestment')}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            {(
              [
                ['startDate', 'Trading starts', 'In the future'],
                ['endDate', 'Trading ends', 'After the start'],
                ['settleDate', 'Settlement', 'On or after the end'],
              ] as const
            ).map(([field, label, rule]) => (
              <DateTimePicker
                key={field}
                label={label}
                required
                valueFormat="D MMM YYYY, HH:mm"
                placeholder="Pick date and time"
                disabled={!canEdit(field)}
                description={lockedHint(field) ?? rule}
                minDate={field === 'startDate' && startMustBeFuture ? new Date() : undefined}
                value={form.values[field]}
                onChange={(value) => {
                  form.setFieldValue(field, value);
                  form.clearFieldError(field);
                }}
                error={dateError(field)}
                popoverProps={{ withinPortal: true }}
                data-testid={`pool-${field}`}
              />
            ))}
          </SimpleGrid>

          {serverError ? (
            <Alert color="red" role="alert">
              {serverError}
            </Alert>
          ) : null}

          <Group justify="flex-end" gap="sm" mt="xs">
            <Button variant="default" onClick={onClose} disabled={mutation.isPending}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={mutation.isPending}
              disabled={pool !== null && (editable?.length ?? 0) === 0}
            >
              {pool ? 'Save changes' : 'Create pool'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
