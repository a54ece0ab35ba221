import type { ZodError } from 'zod';

/** Turns a zod failure into `{ "a.b": "message" }`, the field map clients show next to inputs. */
export function zodFieldErrors(error: ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const prefix = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        fields[prefix ? `${prefix}.${key}` : key] ??= 'is not allowed here';
      }
      continue;
    }
    fields[prefix || '(input)'] ??= issue.message;
  }
  return fields;
}
