import { SimpleGrid, Stack } from '@mantine/core';
import { useAuth } from '../../auth/auth-provider';
import { PageHeader } from '../../components/page-header';
import { PasswordSection } from './password-section';
import { ProfileSection } from './profile-section';
import { SessionsSection } from './sessions-section';
import { TwoFactorSection } from './two-factor-section';

/** The signed-in person's own settings: profile, password, two-factor authentication and sessions. */
export function AccountPage() {
  const { user } = useAuth();
  if (!user) {
    return null;
  }
  return (
    <>
      <PageHeader
        eyebrow="Your account"
        title="Account and security"
        documentTitle="Account"
        description="Your profile, your password, two-factor authentication and the devices you are signed in on."
      />
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <ProfileSection user={user} />
          <PasswordSection email={user.email} />
        </SimpleGrid>
        <TwoFactorSection email={user.email} />
        <SessionsSection />
      </Stack>
    </>
  );
}
