import { lazy, Suspense } from 'react';
import { useAuth } from '../auth/auth-provider';
import { CenteredLoader } from '../components/centered-loader';
import { OverviewPage } from './overview-page';

/** The live dashboard carries charts: its own chunk, fetched only by people who are signed in. */
const InvestorDashboard = lazy(async () => ({
  default: (await import('./dashboard/investor-dashboard')).InvestorDashboard,
}));

/** `/`: what Tradepool is for visitors; the live dashboard for anyone signed in. */
export function HomePage() {
  const { state } = useAuth();
  if (state.status !== 'signed-in' || state.totpEnrollmentRequired) {
    return <OverviewPage />;
  }
  return (
    <Suspense fallback={<CenteredLoader label="Loading your overview…" />}>
      <InvestorDashboard />
    </Suspense>
  );
}
