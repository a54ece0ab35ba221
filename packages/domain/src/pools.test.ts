import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  POOL_ACTIONS,
  POOL_DATE_FIELDS,
  type PoolActor,
  PoolViewSchema,
  poolDateProblems,
  poolFields,
  TERMINAL_STATUSES,
  transition,
  UpdatePoolInput,
} from './pools';
import { EDITABLE_FIELDS, POOL_STATUSES, type PoolStatus } from './vocabulary';

/** The lifecycle of DESIGN.md §4 written out edge by edge, independently of the table in pools.ts. */
const LEGAL_EDGES = new Set([
  'PENDING>ACTIVE',
  'ACTIVE>PAUSED',
  'PAUSED>ACTIVE',
  'ACTIVE>CLOSED',
  'PAUSED>CLOSED',
  'CLOSED>SETTLING',
  'SETTLING>SETTLED',
  'PENDING>CANCELLED',
]);

const actors: PoolActor[] = ['MANAGER', 'ADMIN', 'SCHEDULER'];

describe('pool state machine', () => {
  it('reaches only legal edges, whatever sequence of actions and actors is tried', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ action: fc.constantFrom(...POOL_ACTIONS), actor: fc.constantFrom(...actors) }), {
          maxLength: 40,
        }),
        (steps) => {
          let status: PoolStatus = 'PENDING';
          for (const step of steps) {
            const result = transition(status, step.action, step.actor);
            if (result.ok) {
              expect(LEGAL_EDGES.has(`${status}>${result.to}`)).toBe(true);
              status = result.to;
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('has no way out of SETTLED or CANCELLED', () => {
    for (const status of TERMINAL_STATUSES) {
      for (const action of POOL_ACTIONS) {
        for (const actor of actors) {
          expect(transition(status, action, actor).ok).toBe(false);
        }
      }
    }
  });

  it('lets people publish, pause, resume, settle and cancel, and only the scheduler follow the dates', () => {
    expect(transition('PENDING', 'publish', 'ADMIN')).toEqual({ ok: true, from: 'PENDING', to: 'ACTIVE' });
    expect(transition('PENDING', 'publish', 'SCHEDULER').ok).toBe(false);
    expect(transition('PENDING', 'activate', 'MANAGER').ok).toBe(false);
    expect(transition('ACTIVE', 'close', 'ADMIN').ok).toBe(false);
    expect(transition('PAUSED', 'close', 'SCHEDULER')).toEqual({ ok: true, from: 'PAUSED', to: 'CLOSED' });
    expect(transition('ACTIVE', 'cancel', 'ADMIN')).toMatchObject({
      ok: false,
      reason: 'not_allowed_from_status',
    });
  });

  it('every status is reachable from PENDING', () => {
    const seen = new Set<PoolStatus>(['PENDING']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const status of [...seen]) {
        for (const action of POOL_ACTIONS) {
          for (const actor of actors) {
            const result = transition(status, action, actor);
            if (result.ok && !seen.has(result.to)) {
              seen.add(result.to);
              grew = true;
            }
          }
        }
      }
    }
    expect([...seen].sort()).toEqual([...POOL_STATUSES].sort());
  });
});

describe('pool dates', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  const at = (h: number) => new Date(now.getTime() + h * 3_600_000);

  it('accepts start in the future, end after start, settle on or after end', () => {
    expect(
      poolDateProblems({ startDate: at(48), endDate: at(72), settleDate: at(72) }, now, {
        startMustBeFuture: true,
      }),
    ).toEqual({});
  });

  it('names each broken rule', () => {
    expect(
      poolDateProblems({ startDate: at(-1), endDate: at(-2), settleDate: at(-3) }, now, {
        startMustBeFuture: true,
      }),
    ).toEqual({
      startDate: 'must be in the future',
      endDate: 'must be after the start date',
      settleDate: 'must be on or after the end date',
    });
    expect(
      poolDateProblems({ startDate: at(-1), endDate: at(2), settleDate: at(3) }, now, {
        startMustBeFuture: false,
      }),
    ).toEqual({});
  });
});

describe('pool fields', () => {
  it('lets an edit name only declared fields, each of which clients see', () => {
    const declared = Object.keys(poolFields);
    for (const status of POOL_STATUSES) {
      expect(declared).toEqual(expect.arrayContaining([...EDITABLE_FIELDS[status]]));
    }
    expect(Object.keys(PoolViewSchema.shape)).toEqual(expect.arrayContaining(declared));
    expect(declared).toEqual(expect.arrayContaining([...POOL_DATE_FIELDS]));
  });

  it('accepts every declared field, alone, in an update', () => {
    expect(Object.keys(UpdatePoolInput.shape)).toEqual(['id', ...Object.keys(poolFields)]);
    expect(UpdatePoolInput.safeParse({ id: 'p1', name: 'Renamed pool' }).success).toBe(true);
  });
});
