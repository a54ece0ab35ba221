import { IconLock } from '@tabler/icons-react';
import { useAuth } from '../auth/auth-provider';
import { ROLE_META } from '../auth/roles';
import { StatusPage } from '../components/status-page';

/** Shown in place of a page the signed-in person's role does not open (the server would refuse its data anyway). */
export function ForbiddenPage() {
  const { user } = useAuth();

  return (
    <StatusPage
      testId="forbidden"
      documentTitle="No access"
      icon={<IconLock size={32} stroke={1.5} />}
      color="orange"
      code={403}
      title="You don't have access to this page"
    >
      {user
        ? `You are signed in as ${user.email} (${ROLE_META[user.role].label.toLowerCase()}). This page is for other roles. If you think you should have access, ask an administrator.`
        : 'This page is for other roles.'}
    </StatusPage>
  );
}
