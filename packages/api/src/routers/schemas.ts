import { z } from 'zod';

/** The input of a procedure about one record named by its id (`/…/{id}` in REST paths). */
export const IdInput = z.strictObject({ id: z.string().min(1).max(64) });
