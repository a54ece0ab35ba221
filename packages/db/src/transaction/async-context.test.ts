import { AsyncLocalStorage } from 'node:async_hooks';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../testing';

describeEachDialect('transaction() async context', (ctx) => {
  it("runs each callback and its afterCommit in its caller's async context, also within one commit group", async () => {
    const database = ctx.getDb();
    const caller = new AsyncLocalStorage<number>();
    const seen: Array<{ caller: number; in: 'callback' | 'afterCommit'; value: number | undefined }> = [];
    const callers = Array.from({ length: 5 }, (_, i) => i);
    await Promise.all(
      callers.map((i) =>
        caller.run(i, () =>
          database.transaction(
            async () => {
              await Promise.resolve();
              seen.push({ caller: i, in: 'callback', value: caller.getStore() });
            },
            { afterCommit: () => seen.push({ caller: i, in: 'afterCommit', value: caller.getStore() }) },
          ),
        ),
      ),
    );
    expect(seen).toHaveLength(callers.length * 2);
    expect(seen.every((entry) => entry.value === entry.caller)).toBe(true);
  });
});
