import * as domain from '@tradepool/domain';
import type { AnyTRPCProcedure } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
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

describe('every answer is a view declared once in the domain', () => {
  const views = new Set<unknown>(Object.values(domain));

  /** The schema itself, or the domain view it wraps in a list or a null. */
  function declaredView(schema: unknown): unknown {
    if (schema instanceof z.ZodArray) {
      return declaredView(schema.element);
    }
    if (schema instanceof z.ZodNullable) {
      return declaredView(schema.unwrap());
    }
    return schema;
  }

  // A shape built in a router file is a second declaration of what a client receives (issue 13): routers name the
  // domain's schema instead, so the service returning its inferred type and the web reading it agree by construction.
  it('names a domain schema (or a list or null of one) as the output of every query and mutation', () => {
    const inline = procedures
      .filter(([, def]) => def.type !== 'subscription' && !(def.output instanceof z.ZodVoid))
      .filter(([, def]) => !views.has(declaredView(def.output)))
      .map(([path]) => path);
    expect(inline).toEqual([]);
  });
});
