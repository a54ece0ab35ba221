import { Autocomplete } from '@mantine/core';
import { DatePickerInput, type DatesRangeValue } from '@mantine/dates';
import { IconCalendar } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { ClearFiltersButton, FilterBar, SearchInput } from '../../components/filter-bar';
import { ACTION_FAMILIES } from './audit-entry';

/** Local calendar days → the instants the API filters on: from the start of the first to the end of the last. */
export function rangeToInstants(range: DatesRangeValue<string>): { from?: string; to?: string } {
  const [start, end] = range;
  if (!start) {
    return {};
  }
  return {
    from: dayjs(start).startOf('day').toISOString(),
    to: dayjs(end ?? start)
      .endOf('day')
      .toISOString(),
  };
}

interface AuditFiltersProps {
  actor: string;
  onActorChange: (actor: string) => void;
  action: string;
  onActionChange: (action: string) => void;
  range: DatesRangeValue<string>;
  onRangeChange: (range: DatesRangeValue<string>) => void;
  /** Whether any filter is on, which shows the button that clears them. */
  filtered: boolean;
  onClear: () => void;
}

/** Who acted, which action (by prefix) and on which days; empty filters show everything. */
export function AuditFilters({
  actor,
  onActorChange,
  action,
  onActionChange,
  range,
  onRangeChange,
  filtered,
  onClear,
}: AuditFiltersProps) {
  return (
    <FilterBar>
      <SearchInput
        label="Actor"
        placeholder="Email or user id"
        value={actor}
        onChange={onActorChange}
        basis={220}
      />
      <Autocomplete
        label="Action"
        placeholder="e.g. auth. or user.totp"
        description={undefined}
        data={ACTION_FAMILIES.map((family) => family.prefix)}
        value={action}
        onChange={onActionChange}
        style={{ flex: '1 1 200px' }}
        ff="monospace"
      />
      <DatePickerInput
        type="range"
        label="Dates"
        placeholder="Any time"
        leftSection={<IconCalendar size={16} />}
        value={range}
        onChange={onRangeChange}
        clearable
        allowSingleDateInRange
        maxDate={dayjs().format('YYYY-MM-DD')}
        valueFormat="D MMM YYYY"
        style={{ flex: '1 1 240px' }}
      />
      {filtered ? <ClearFiltersButton onClear={onClear} /> : null}
    </FilterBar>
  );
}
