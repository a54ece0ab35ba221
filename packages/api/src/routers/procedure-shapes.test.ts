import type { AnyTRPCProcedure } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { appRouter } from '../root';

interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  inputs: unknown[];
  output?: unknown;
}

const procedures = Object.entries(
  (appRouter as unknown as { _def: { procedures: Record<string, AnyTRPCProcedure> } })._def.procedures,
).map(([path, procedure]) => [path, (procedure as unknown as { _def: ProcedureDef })._def] as const);

describe('every procedure declares its shapes', () => {
  it('has procedures to check', () => {
    expect(procedures.length).toBeGreaterThan(10);
  });

  it('declares an input parser on every procedure', () => {
    expect(procedures.filter(([, def]) => def.inputs.length === 0).map(([path]) => path)).toEqual([]);
  });

  // A subscription's resolver returns the stream itself, which tRPC's output parser would validate as one value; its
  // events are typed by the stream instead. Every query and mutation declares what it answers.
  it('declares an output parser on every query and mutation', () => {
    const missing = procedures
      .filter(([, def]) => def.type !== 'subscription' && def.output === undefined)
      .map(([path]) => path);
    expect(missing).toEqual([]);
  });
});
