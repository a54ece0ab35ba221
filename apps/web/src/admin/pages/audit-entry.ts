import type { RouterOutputs } from '@tradepool/api';

export type AuditEntry = RouterOutputs['admin']['audit']['list']['items'][number];

/** Families of actions, by prefix, for the filter's suggestions and the badge colours. */
export const ACTION_FAMILIES: ReadonlyArray<{ prefix: string; color: string; label: string }> = [
  { prefix: 'auth.', color: 'blue', label: 'Sign-ins and sign-outs' },
  { prefix: 'session.', color: 'cyan', label: 'Sessions' },
  { prefix: 'user.', color: 'violet', label: 'Changes people make to their own account' },
  { prefix: 'admin.', color: 'grape', label: 'Administrators acting on others' },
  { prefix: 'demo.', color: 'yellow', label: 'Demo data' },
];

export function actionColor(action: string): string {
  if (/failed|reuse|locked/.test(action)) {
    return 'orange';
  }
  return ACTION_FAMILIES.find((family) => action.startsWith(family.prefix))?.color ?? 'gray';
}
