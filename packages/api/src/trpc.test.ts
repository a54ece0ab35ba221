import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { ZodError, z } from 'zod';
import type { Context } from './context';
import { appRouter } from './root';
import { createCallerFactory, publicProcedure, router } from './trpc';

const ctx = {} as Context;

/** Calls `probe` on a one-procedure router returning `value` under `schema`, as tRPC would for a request. */
function probe(schema: z.ZodType, value: unknown) {
  const r = router({ probe: publicProcedure.output(schema).query(() => value as never) });
  return createCallerFactory(r)(ctx).probe();
}

describe("procedures' output check", () => {
  it('answers the output as the schema parses it (unknown keys stripped)', async () => {
    await expect(probe(z.object({ n: z.number() }), { n: 1, extra: 2 })).resolves.toEqual({ n: 1 });
  });

  it('refuses an output that does not fit its schema, with zod’s error as the cause', async () => {
    const error = await probe(z.object({ items: z.array(z.object({ n: z.number() })) }), {
      items: [{ n: 1 }, { n: 'two' }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('INTERNAL_SERVER_ERROR');
    expect((error as TRPCError).message).toBe('Output validation failed');
    expect((error as TRPCError).cause).toBeInstanceOf(ZodError);
  });

  it('checks synchronously: the schema’s parseAsync is not used when parse can do it', async () => {
    const schema = z.object({ n: z.number() });
    schema.parseAsync = () => Promise.reject(new Error('parseAsync was used'));
    await expect(probe(schema, { n: 1 })).resolves.toEqual({ n: 1 });
  });

  it('still runs asynchronous refinements, asynchronously', async () => {
    const schema = z.object({ n: z.number() }).refine(async (v) => v.n > 0, 'must be positive');
    await expect(probe(schema, { n: 1 })).resolves.toEqual({ n: 1 });
    await expect(probe(schema, { n: -1 })).rejects.toMatchObject({ message: 'Output validation failed' });
  });

  it('is what every procedure of the app with an output schema runs', () => {
    const procedures = Object.entries(
      (appRouter as unknown as { _def: { procedures: Record<string, { _def: ProcedureDef }> } })._def
        .procedures,
    );
    const checked = procedures.filter(([, p]) => p._def.output instanceof z.ZodType);
    expect(checked.map(([path]) => path)).toContain('pools.list');
    for (const [, p] of checked) {
      const outputs = p._def.middlewares.filter((m) => m._type === 'output');
      expect(outputs).toHaveLength(1);
      expect(outputs[0]?.name).toBe('syncOutputValidator');
    }
  });
});

interface ProcedureDef {
  output?: unknown;
  middlewares: ({ _type?: string } & (() => unknown))[];
}
